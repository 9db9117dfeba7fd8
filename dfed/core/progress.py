"""Progress of long work (a Celery task) kept in the cache, as the JSON ``static/js/dfed.js``
polls: ``{"state": "pending"|"running"|"done"|"failed", "percent": 0–100, "message": str,
"redirect": url or ""}``.

An entry is named by a kind (``"subsidies.batch"``, ``"reports.annual"``) and an id (a row's pk
or a token from :func:`progress_new`); it expires after ``timeout`` seconds (a day by default),
so a page must be able to fall back to its own row when the cache has forgotten.

(The import engine keeps its job progress in ``dfed.core.importing.progress``.)
"""

import uuid

from django.core.cache import cache

TIMEOUT = 24 * 3600


def progress_key(kind: str, ident) -> str:
    """The cache key of one entry."""
    return f"progress:{kind}:{ident}"


def progress_set(
    kind: str,
    ident,
    *,
    state: str,
    percent: float,
    message: str = "",
    redirect: str = "",
    timeout: int = TIMEOUT,
) -> None:
    """Record the entry (``percent`` rounded to a whole number)."""
    cache.set(
        progress_key(kind, ident),
        {"state": state, "percent": round(percent), "message": str(message), "redirect": redirect},
        timeout,
    )


def progress_new(kind: str, *, message: str = "排队中…") -> str:
    """A fresh token with a pending entry under ``kind``; the token names the entry after."""
    token = uuid.uuid4().hex
    progress_set(kind, token, state="pending", percent=0, message=message)
    return token


def progress_get(kind: str, ident) -> dict | None:
    """The entry, or ``None`` when there is none (never set, or expired)."""
    return cache.get(progress_key(kind, ident))
