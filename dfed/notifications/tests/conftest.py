import pytest

from dfed.notifications.backends import locmem


@pytest.fixture(autouse=True)
def sms_outbox():
    locmem.outbox.clear()
    locmem.failures.clear()
    yield locmem.outbox
    locmem.outbox.clear()
    locmem.failures.clear()
