"""Registry tasks: take ids or nothing, call a service."""

from celery import shared_task

from .services import sensitive_access_log_prune


@shared_task(name="dfed.people.tasks.sensitive_access_log_prune_task")
def sensitive_access_log_prune_task() -> int:
    """Daily: delete access-log rows older than the retention setting."""
    return sensitive_access_log_prune()
