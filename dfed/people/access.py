"""View-layer helper: record who saw a person's full identifiers."""

from dfed.core.masking import can_view_sensitive

from .services import sensitive_access_log_record


def log_sensitive_view(request, person, context: str = "detail") -> None:
    """Pages that show full ID numbers to users with ``view_sensitive`` record each look."""
    if can_view_sensitive(request.user):
        sensitive_access_log_record(
            user=request.user,
            person=person,
            ip_address=request.META.get("REMOTE_ADDR"),
            context=context,
        )
