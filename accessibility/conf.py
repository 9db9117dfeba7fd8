"""Settings of the accessibility app, read with defaults so the shared settings need no change."""

from django.conf import settings

DEFAULT_ELIGIBLE_HOUSEHOLDS = ("dibao", "marginal", "tekun")


def eligible_households() -> tuple[str, ...]:
    """Household types (``Person.Household`` values) that may apply for a home retrofit."""
    return tuple(getattr(settings, "RETROFIT_ELIGIBLE_HOUSEHOLDS", DEFAULT_ELIGIBLE_HOUSEHOLDS))


def photo_max_bytes() -> int:
    """Size limit of a retrofit photo or an evidence file."""
    return int(getattr(settings, "RETROFIT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def photo_max_pixels() -> int:
    """Largest photo accepted, in pixels (width × height); larger files are refused unread."""
    return int(getattr(settings, "RETROFIT_PHOTO_MAX_PIXELS", 50_000_000))


def photo_max_side() -> int:
    """Longest side accepted, in pixels (catches absurd shapes such as 1 × 40000)."""
    return int(getattr(settings, "RETROFIT_PHOTO_MAX_SIDE", 16_384))


def thumbnail_size() -> int:
    """Longest side of a stored thumbnail, in pixels."""
    return int(getattr(settings, "RETROFIT_THUMBNAIL_SIZE", 320))
