"""Registry tasks: the nightly rebuild of the summary table."""

from celery import shared_task

from .summaries import person_counts_refresh


@shared_task(name="dfed.people.tasks.person_counts_refresh_all", acks_late=True)
def person_counts_refresh_all() -> int:
    """Rebuild ``PersonCount`` for every town; returns the rows written."""
    return person_counts_refresh()
