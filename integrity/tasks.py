"""Celery tasks of the integrity app: they take ids/dates and call services."""

from datetime import date

from celery import shared_task

from .services import reminder_campaigns_send_due


@shared_task(acks_late=True)
def reminder_campaigns_send_due_task(today: str | None = None) -> dict[str, int]:
    """Run daily by beat (see the data migration): send the campaigns that are due."""
    return reminder_campaigns_send_due(today=date.fromisoformat(today) if today else None)
