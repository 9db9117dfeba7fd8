"""Task progress in the cache, read by the page's progress bar as JSON."""

import uuid

from django.core.cache import cache

TIMEOUT = 60 * 60


def _key(token: str) -> str:
    return f"subsidies:progress:{token}"


def progress_new() -> str:
    token = uuid.uuid4().hex
    progress_set(token, state="pending", percent=0, message="排队中…")
    return token


def progress_set(token: str, *, state: str, percent: int, message: str = "", redirect: str = ""):
    cache.set(
        _key(token),
        {"state": state, "percent": percent, "message": message, "redirect": redirect},
        TIMEOUT,
    )


def progress_get(token: str) -> dict | None:
    return cache.get(_key(token))
