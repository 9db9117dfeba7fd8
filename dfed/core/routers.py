"""Reads that may lag go to a PostgreSQL streaming replica; everything else to the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database alias and install
:class:`ReplicaRouter`. A read goes to the replica only inside :func:`replica_reads` (entered by
:class:`ReplicaReadMiddleware` for the views named in ``DATABASE_REPLICA_VIEWS`` — dashboards,
reports, exports) and only while the current user is not *pinned* to the primary: a user who has
just written (any unsafe request) reads from the primary for ``DATABASE_REPLICA_PIN_SECONDS``, so
they always see their own write. Writes and migrations always go to ``default``.
"""

from __future__ import annotations

import contextvars
import fnmatch
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "dfed_primary"
# Who the user is and what they may do is always read fresh: a logout, a revoked role or a
# lockout must take effect at once, and these reads are small.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "contenttypes", "admin"})

_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "dfed_replica_allowed", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, ORM reads go to the replica when one is configured."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within the block, ORM reads go to the primary even inside :func:`replica_reads`."""
    token = _replica_allowed.set(False)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


class ReplicaRouter:
    """Database router: lagging-tolerant reads to ``replica``, all else to ``default``."""

    def db_for_read(self, model, **hints):
        if (
            _replica_allowed.get()
            and replica_configured()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def view_may_read_replica(view_name: str | None) -> bool:
    """Whether a URL name (``app:name``) matches a pattern of ``DATABASE_REPLICA_VIEWS``."""
    if not view_name:
        return False
    patterns = getattr(settings, "DATABASE_REPLICA_VIEWS", ())
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in patterns)


class ReplicaReadMiddleware:
    """Send the reads of safe requests to the views named in ``DATABASE_REPLICA_VIEWS`` and of
    every xlsx export (``?export=xlsx``) to the replica, unless the client wrote in the last
    ``DATABASE_REPLICA_PIN_SECONDS`` seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in ("GET", "HEAD"):
            return None
        if request.COOKIES.get(PIN_COOKIE):
            return None
        match = request.resolver_match
        is_export = request.GET.get("export") == "xlsx"
        if not (is_export or view_may_read_replica(match.view_name if match else None)):
            return None
        with replica_reads():
            return self._call_within(request, view_func, view_args, view_kwargs)

    def _call_within(self, request, view_func, view_args, view_kwargs):
        response = view_func(request, *view_args, **view_kwargs)
        # A template response renders after process_view returns: render it here, inside.
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response


class PrimaryPinMiddleware:
    """After an unsafe request, pin the client's reads to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if replica_configured() and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            seconds = int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 15))
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
            )
        return response
