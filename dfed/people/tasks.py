"""Registry tasks: the nightly rebuild of the summary table, the access log's prune."""

from celery import shared_task

from .services import sensitive_access_log_prune
from .summaries import person_counts_refresh, person_year_counts_refresh


@shared_task(name="dfed.people.tasks.person_counts_refresh_all", acks_late=True)
def person_counts_refresh_all() -> int:
    """Nightly: rebuild ``PersonCount`` for every town (returns its rows written) and
    ``PersonYearCount`` for every year."""
    written = person_counts_refresh()
    person_year_counts_refresh()
    return written


@shared_task(name="dfed.people.tasks.sensitive_access_log_prune_task")
def sensitive_access_log_prune_task() -> int:
    """Daily: delete access-log rows older than the retention setting."""
    return sensitive_access_log_prune()
