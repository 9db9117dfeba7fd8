import sys

from . import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Print each message to stdout (the embedded default)."""

    def send(self, message) -> str:
        sys.stdout.write(f"[SMS] {message.phone}: {message.body}\n")
        sys.stdout.flush()
        return f"console-{message.idempotency_key}"
