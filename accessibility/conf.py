"""Settings of the accessibility app, read with defaults so the shared settings need no change."""

from django.conf import settings

DEFAULT_ELIGIBLE_HOUSEHOLDS = ("dibao", "marginal", "tekun")


def eligible_households() -> tuple[str, ...]:
    """Household types (``Person.Household`` values) that may apply for a home retrofit."""
    return tuple(getattr(settings, "RETROFIT_ELIGIBLE_HOUSEHOLDS", DEFAULT_ELIGIBLE_HOUSEHOLDS))


def photo_max_bytes() -> int:
    """Size limit of a retrofit photo or an evidence file."""
    return int(getattr(settings, "RETROFIT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
