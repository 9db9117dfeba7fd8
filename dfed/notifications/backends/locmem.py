"""Keep messages in ``outbox`` (a module-level list), like ``django.core.mail.outbox``."""

from . import BaseSmsBackend, PermanentError, TemporaryError

outbox: list = []
# Tests may push errors here: each send pops one and raises it instead of sending.
failures: list = []


class SmsBackend(BaseSmsBackend):
    def send(self, message) -> str:
        if failures:
            error = failures.pop(0)
            if isinstance(error, Exception):
                raise error
            if error == "temporary":
                raise TemporaryError(error)
            raise PermanentError(error)
        provider_id = f"locmem-{message.pk}"
        outbox.append(
            {
                "id": provider_id,
                "phone": message.phone,
                "body": message.body,
                "key": message.idempotency_key,
            }
        )
        return provider_id

    def lookup(self, message) -> str | None:
        for item in outbox:
            if item["key"] == message.idempotency_key:
                return item["id"]
        return None
