"""Celery tasks: take ids, call a service, report progress."""

from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from .progress import progress_set
from .services import payment_batch_generate
from .services.family import service_code_send


@shared_task(name="subsidies.payment_batch_generate")
def payment_batch_generate_task(month: str, user_id: int | None, token: str) -> int:
    """Generate the batch for ``month`` (ISO date) and report progress under ``token``."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def report(percent: int, message: str) -> None:
        progress_set(token, state="running", percent=percent, message=str(message))

    try:
        batch = payment_batch_generate(month=date.fromisoformat(month), by=user, progress=report)
    except (ValidationError, PermissionDenied) as exc:
        message = "；".join(getattr(exc, "messages", [str(exc)]))
        progress_set(token, state="failed", percent=100, message=message)
        return 0
    except Exception:
        progress_set(token, state="failed", percent=100, message=_("生成失败，请联系管理员"))
        raise
    progress_set(
        token,
        state="done",
        percent=100,
        message=_("已生成 %(n)d 笔") % {"n": batch.inserted},
        redirect=reverse("subsidies:batch-detail", args=[batch.pk]),
    )
    return batch.pk


@shared_task(name="subsidies.service_code_send")
def service_code_send_task(challenge_id: int) -> bool:
    """Text the verification code of a /service/ request when it matched someone."""
    return service_code_send(challenge_id=challenge_id)


@shared_task(name="subsidies.finding_compare")
def finding_compare_task() -> dict:
    """Compare the registry with the current list rows (after each list import; monthly)."""
    from .services import finding_compare

    return finding_compare()


def external_list_imported_receiver(sender, *, external_list, by=None, **kwargs) -> None:
    """A list was kept (on commit): compare in the background."""
    finding_compare_task.delay()
