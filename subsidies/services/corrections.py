"""银行信息更正: the town's caseworker corrects bank details a failed payment exposed.

Invariants: at most one open correction per person; completing it writes the new details through
the registry (its history notes why) and makes the person's waiting failed months due, so the next
batch re-issues them once; a correction outside the user's towns is refused.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.people.services import person_update

from ..models import AccountCorrection, Payment
from ._common import require, save_with_history


@transaction.atomic
def account_correction_complete(
    *, correction: AccountCorrection, by, bank_name: str, bank_account: str, note: str = ""
) -> AccountCorrection:
    """Save the corrected bank details (a blank account keeps the current one); unchanged
    details need a note (e.g. 账户已解冻).

    Raises ``PermissionDenied`` outside the user's towns and ``ValidationError`` when the
    correction is done already, the details are invalid, or nothing changed without a note.
    """
    require(by, "subsidies.change_accountcorrection", town_id=correction.person.town_id)
    correction = (
        AccountCorrection.objects.select_for_update().select_related("person").get(pk=correction.pk)
    )
    if correction.status != AccountCorrection.Status.OPEN:
        raise ValidationError(_("该更正已办结"))
    person = correction.person
    bank_name, note = bank_name.strip(), note.strip()
    bank_account = bank_account.strip() or person.bank_account  # blank: the account stays
    unchanged = (bank_name, bank_account.replace(" ", "")) == (
        person.bank_name,
        person.bank_account,
    )
    if unchanged and not note:
        raise ValidationError({"note": _("银行信息未修改，请说明原因（例如账户已解冻）")})
    if not unchanged:
        person_update(
            person=person,
            by=by,
            bank_name=bank_name,
            bank_account=bank_account,
            reason=_("银行回盘发放失败，更正银行信息"),
        )
    due = Payment.objects.filter(
        person=person, status=Payment.Status.FAILED, reissue=Payment.Reissue.WAITING
    ).update(reissue=Payment.Reissue.DUE)
    correction.status = AccountCorrection.Status.DONE
    correction.done_by, correction.done_at, correction.note = by, timezone.now(), note
    save_with_history(correction, by=by, reason=_("已更正，%(n)d 笔待下批补发") % {"n": due})
    return correction
