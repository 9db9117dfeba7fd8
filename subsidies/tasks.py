"""Celery tasks: take ids, call a service, report progress."""

from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from dfed.core.money import money_format
from dfed.core.progress import progress_set

from . import services
from .selectors import payment_batch_totals

BATCH_PROGRESS = "subsidies.batch"  # progress entries of batch generation, by token


@shared_task(name="subsidies.payment_batch_generate")
def payment_batch_generate_task(month: str, user_id: int | None, token: str) -> int:
    """Generate the batch for ``month`` (ISO date) and report progress under ``token``."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def report(percent: int, message: str) -> None:
        progress_set(BATCH_PROGRESS, token, state="running", percent=percent, message=str(message))

    try:
        batch = services.payment_batch_generate(
            month=date.fromisoformat(month), by=user, progress=report
        )
    except (ValidationError, PermissionDenied) as exc:
        message = "；".join(getattr(exc, "messages", [str(exc)]))
        progress_set(BATCH_PROGRESS, token, state="failed", percent=100, message=message)
        return 0
    except Exception:
        progress_set(
            BATCH_PROGRESS, token, state="failed", percent=100, message=_("生成失败，请联系管理员")
        )
        raise
    total = payment_batch_totals(batch)["total"]
    progress_set(
        BATCH_PROGRESS,
        token,
        state="done",
        percent=100,
        message=_(
            "%(month)s发放批次已生成：新增 %(n)d 笔；批次共 %(people)d 人 %(count)d 笔，合计 %(amount)s"  # noqa: E501
        )
        % {
            "month": batch,
            "n": batch.inserted,
            "people": total["people"],
            "count": total["count"],
            "amount": money_format(total["amount"]),
        },
        redirect=reverse("subsidies:batch-detail", args=[batch.pk]),
    )
    return batch.pk


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def payment_summary_refresh_month(month: str) -> int:
    """Rebuild one 发放月份 (ISO date) of the subsidy summary (after its batch is confirmed)."""
    return services.payment_summary_refresh(months=[date.fromisoformat(month)])


@shared_task(name="subsidies.tasks.payment_summary_refresh_all", acks_late=True)
def payment_summary_refresh_all() -> int:
    """Nightly: rebuild the whole subsidy summary (catches anything a confirmation missed)."""
    return services.payment_summary_refresh()


@shared_task(name="subsidies.service_code_send")
def service_code_send_task(challenge_id: int) -> bool:
    """Text the verification code of a /service/ request when it matched someone."""
    from .services.family import service_code_send  # services import this module

    return service_code_send(challenge_id=challenge_id)


@shared_task(name="subsidies.service_codes_send_pending")
def service_codes_send_pending_task() -> int:
    """Every minute: send family codes whose hand-over to the broker was lost."""
    from .services.family import service_codes_send_pending

    return service_codes_send_pending()


@shared_task(name="subsidies.finding_compare")
def finding_compare_task() -> dict:
    """Compare the registry with the current list rows (after each list import; monthly)."""
    from .services import finding_compare

    return finding_compare()


def external_list_imported_receiver(sender, *, external_list, by=None, **kwargs) -> None:
    """A list was kept (on commit): compare in the background."""
    finding_compare_task.delay()
