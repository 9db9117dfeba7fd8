from django.contrib import messages
from django.core.exceptions import ValidationError


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
