import pytest
from django.core.management import CommandError, call_command

from dfed.people.models import Area, Person


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", people=200)
    counts = (Area.objects.count(), Person.objects.count())
    call_command("load_demo", people=200)
    assert (Area.objects.count(), Person.objects.count()) == counts
    assert Area.objects.filter(level="town").count() == 8
    assert Area.objects.filter(level="community").count() == 32
    assert counts[1] == 200


@pytest.mark.django_db
def test_load_demo_refuses_production(settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="不允许"):
        call_command("load_demo")
