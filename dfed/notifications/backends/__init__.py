"""SMS backends, chosen by ``SMS_BACKEND`` like Django's ``EMAIL_BACKEND``.

A backend's ``send(message)`` returns the provider's message id, or raises
:class:`TemporaryError` (retry later: 5xx, timeout, connection refused) or
:class:`PermanentError` (do not retry: 4xx, rejected number). ``lookup(message)`` returns the
provider id of an earlier accepted send of the same message, or None: the task asks it before
sending again a message whose previous attempt ended without a known outcome.
"""

from django.utils.module_loading import import_string

from ..conf import backend_path


class TemporaryError(Exception):
    """The gateway may accept the message later. ``maybe_delivered``: the request may have
    reached the gateway (timeout, connection lost after sending), so look it up before resending.
    """

    def __init__(self, message="", *, maybe_delivered: bool = False):
        super().__init__(message)
        self.maybe_delivered = maybe_delivered


class PermanentError(Exception):
    """The gateway refused the message; retrying will not help."""


class BaseSmsBackend:
    def send(self, message) -> str:
        raise NotImplementedError

    def lookup(self, message) -> str | None:
        return None


def get_backend(path: str | None = None) -> BaseSmsBackend:
    return import_string(path or backend_path())()
