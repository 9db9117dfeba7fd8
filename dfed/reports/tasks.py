from celery import shared_task

from . import services


@shared_task(acks_late=True)
def annual_summary_generate(summary_id: int) -> None:
    services.annual_summary_generate(summary_id=summary_id)
