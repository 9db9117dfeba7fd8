"""SMS settings read with defaults, so the app works whatever the settings module defines."""

from django.conf import settings


def backend_path() -> str:
    return getattr(settings, "SMS_BACKEND", "dfed.notifications.backends.console.SmsBackend")


def gateway_url() -> str:
    return getattr(settings, "SMS_GATEWAY_URL", "")


def gateway_key() -> str:
    return getattr(settings, "SMS_GATEWAY_KEY", "")


def gateway_timeout() -> float:
    return float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 5.0))


def file_path() -> str:
    return str(getattr(settings, "SMS_FILE_PATH", "var/sms"))


def rate_limit() -> tuple[int, int]:
    """``SMS_RATE_LIMIT`` like "20/s" or "600/m" as (count, seconds); (0, 1) means no limit."""
    raw = str(getattr(settings, "SMS_RATE_LIMIT", ""))
    if not raw:
        return 0, 1
    count, _, unit = raw.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600}.get((unit or "s").strip()[:1], 1)
    return int(count), seconds


def max_attempts() -> int:
    return int(getattr(settings, "SMS_MAX_ATTEMPTS", 6))


def retry_base_seconds() -> float:
    return float(getattr(settings, "SMS_RETRY_BASE", 2))


def queue_name() -> str | None:
    """The Celery queue sms_send goes to (None: the default queue)."""
    return getattr(settings, "SMS_QUEUE", None)


def stale_seconds() -> int:
    return int(getattr(settings, "SMS_STALE_SECONDS", 600))


def callback_secret() -> str:
    """The secret the gateway signs delivery reports with (empty: reports are refused)."""
    return getattr(settings, "SMS_GATEWAY_CALLBACK_SECRET", "")


def callback_max_age() -> int:
    """How many seconds a signed delivery report stays acceptable."""
    return int(getattr(settings, "SMS_GATEWAY_CALLBACK_MAX_AGE", 300))
