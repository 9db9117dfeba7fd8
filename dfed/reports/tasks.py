from datetime import date

from celery import shared_task

from . import services, summaries


@shared_task(acks_late=True)
def annual_summary_generate(summary_id: int) -> None:
    services.annual_summary_generate(summary_id=summary_id)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def payment_summary_refresh_month(month: str) -> int:
    """Rebuild one 发放月份 of the subsidy summary (after its batch is confirmed)."""
    return summaries.payment_summary_refresh(months=[date.fromisoformat(month)])


@shared_task(name="dfed.reports.tasks.payment_summary_refresh_all", acks_late=True)
def payment_summary_refresh_all() -> int:
    """Nightly: rebuild the whole subsidy summary (catches anything a signal missed)."""
    return summaries.payment_summary_refresh()
