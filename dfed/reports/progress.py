"""Task progress kept in the cache as the JSON static/js/dfed.js polls:
``{state, percent, message, redirect}``."""

from django.core.cache import cache

TIMEOUT = 24 * 3600


def progress_key(kind: str, pk) -> str:
    return f"reports:progress:{kind}:{pk}"


def progress_set(kind: str, pk, *, state: str, percent: float, message: str, redirect=""):
    cache.set(
        progress_key(kind, pk),
        {"state": state, "percent": round(percent), "message": message, "redirect": redirect},
        TIMEOUT,
    )


def progress_get(kind: str, pk) -> dict | None:
    return cache.get(progress_key(kind, pk))
