"""The access log's recorder: who saw full identifiers, of whom, how and from where."""

from django.utils.translation import gettext as _

from dfed.core.masking import full_view_record
from dfed.core.net import client_ip

from .models import SensitiveAccessLog
from .services import sensitive_access_log_record

KIND_BY_CONTEXT = {"detail": SensitiveAccessLog.Kind.DETAIL}


def access_log_write(request, *, kind, person=None, query="", count=None) -> None:
    """Write one ``SensitiveAccessLog`` row for this request (registered in ``ready()``)."""
    match = getattr(request, "resolver_match", None)
    sensitive_access_log_record(
        user=request.user,
        person=person,
        ip_address=client_ip(request),
        kind=kind,
        context=(match.view_name if match else "") or kind,
        query=query[:500],
        count=count,
    )


def log_sensitive_view(request, person, context: str = "detail") -> None:
    """A detail page that shows ``person``'s full identifiers records the look."""
    del context  # the page is taken from the URL's name
    full_view_record(request, kind=SensitiveAccessLog.Kind.DETAIL, person=person)


__all__ = ["access_log_write", "log_sensitive_view", "_"]
