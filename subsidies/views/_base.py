from django.contrib import messages
from django.core.exceptions import ValidationError

from dfed.core.masking import can_view_sensitive
from dfed.people.services import sensitive_access_log_record


def log_sensitive_view(request, person, context: str) -> None:
    """Detail pages show full ID numbers to users with view_sensitive: record who looked."""
    if can_view_sensitive(request.user):
        sensitive_access_log_record(
            user=request.user,
            person=person,
            ip_address=request.META.get("REMOTE_ADDR"),
            context=context,
        )


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def run_service(request, call, success: str) -> bool:
    """Call a service; show ``success`` or the ValidationError's messages. True on success."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True
