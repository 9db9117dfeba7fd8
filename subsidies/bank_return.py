"""``bank_return_import``: the bank's return file (回盘文件) for an exported batch.

The file is the bank file dfed exported (姓名, 身份证号, 开户银行, 账号, 金额, 备注; one row per
person) with the bank's columns added: a result (处理结果 / 状态 / 成功标志 …), a reason
(失败原因) and a serial (银行流水号); xlsx, xls or csv. Each row must match exactly one person's
transfer in the batch by ID number, account and amount; a row that matches nothing, matches a
transfer an earlier row matched, or disagrees on account or amount is an error naming its row and
column. All-or-nothing: with any error nothing is written; the preview (``dry_run``) is the same
check. Re-importing the same file changes nothing (every row is reported unchanged). The importer
follows the import engine's interface (``source, filename, by, progress, dry_run`` → report).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dfed.core.importing import Column, ImportFileError, ImportReport, ImportSpec, RowError
from dfed.core.importing import normalizers as n
from dfed.core.importing.readers import open_rows
from dfed.core.xlsx import XlsxWriter

from .exports import BANK_HEADERS
from .models import FailureReason, Payment, PaymentBatch
from .selectors import batch_accounts
from .services import TransferResult, payment_results_record
from .services.results import result_conflict

PAID, FAILED = Payment.Status.PAID, Payment.Status.FAILED
RETURN_IMPORTER = "bank_return"  # the key registered with dfed.imports (option: ``batch``)

RESULTS = {
    **dict.fromkeys(
        ("成功", "已成功", "交易成功", "处理成功", "发放成功", "已发放", "入账成功", "已入账"),
        PAID,
    ),
    **dict.fromkeys(("Y", "y", "S", "1", "是", "SUCCESS", "success", "Success"), PAID),
    **dict.fromkeys(
        ("失败", "交易失败", "处理失败", "发放失败", "入账失败", "退回", "已退回", "退票"),
        FAILED,
    ),
    **dict.fromkeys(("N", "n", "F", "0", "否", "FAIL", "fail", "FAILED", "failed"), FAILED),
}

# The bank's wording → the reason's category (first match wins; anything else is 其他原因).
REASON_WORDS = (
    (FailureReason.DECEASED, ("死亡", "身故", "已故", "去世")),
    (FailureReason.ACCOUNT_CLOSED, ("销户", "注销", "已关闭", "账户关闭")),
    (FailureReason.NAME_MISMATCH, ("户名", "姓名不符", "姓名不一致", "名称不符", "户名不一致")),
    (FailureReason.ACCOUNT_FROZEN, ("冻结", "挂失", "止付", "睡眠", "久悬", "不动户")),
    (FailureReason.ACCOUNT_INVALID, ("账号", "帐号", "卡号", "无此账户", "账户不存在", "无效")),
)


def failure_code_for(text: str) -> str:
    """The category of a bank's failure text (户主死亡, 账户已销户 …), else 其他原因."""
    compacted = n.compact(text)
    for code, words in REASON_WORDS:
        if any(word in compacted for word in words):
            return code
    return FailureReason.OTHER


def _failed_needs_reason(record) -> list[tuple[str, str]]:
    if record.values.get("result") == FAILED and not record.values.get("reason"):
        return [("reason", _("处理结果为失败时必须填写失败原因"))]
    return []


RETURN_SPEC = ImportSpec(
    columns=[
        Column("name", ("姓名", "户名", "账户名称", "收款人姓名", "收款人")),
        Column(
            "id_number",
            ("身份证号", "身份证号码", "证件号码", "公民身份号码"),
            parse=n.id_number,
            required=True,
            blank_ok=False,
            memo=False,
        ),
        Column("bank_name", ("开户银行", "开户行")),
        Column(
            "account",
            ("账号", "银行账号", "卡号", "收款账号", "账户"),
            parse=n.bank_account,
            required=True,
            blank_ok=False,
            memo=False,
        ),
        Column(
            "amount",
            ("金额", "发放金额", "交易金额", "实发金额"),
            parse=n.amount,
            required=True,
            blank_ok=False,
        ),
        Column("remark", ("备注",)),
        Column(
            "result",
            ("处理结果", "状态", "成功标志", "交易状态", "处理状态", "交易结果", "结果"),
            parse=n.choice(RESULTS, label=_("处理结果")),
            required=True,
            blank_ok=False,
        ),
        Column("reason", ("失败原因", "错误原因", "失败说明", "原因")),
        Column("serial", ("银行流水号", "流水号", "交易流水号")),
    ],
    checks=[_failed_needs_reason],
)

RESULT_HEADERS = ("处理结果", "失败原因", "银行流水号")


@dataclass
class Transfer:
    """One person's transfer in the batch: what the bank file said for it."""

    person_id: int
    account: str
    amount: Decimal = Decimal(0)
    statuses: set = field(default_factory=set)
    payment: Payment | None = None  # one of its payments, for the conflict message


def batch_transfers(batch: PaymentBatch) -> dict[str, Transfer]:
    """ID number → the person's transfer in ``batch`` (payments not held, summed), with the
    account the batch's bank file gave (``batch_accounts``; the current one for a batch
    exported before those were kept)."""
    transfers: dict[str, Transfer] = {}
    accounts = batch_accounts(batch)
    payments = (
        Payment.objects.filter(batch=batch, held=False)
        .select_related("person")
        .only("amount", "status", "person_id", "person__id_number", "person__bank_account")
    )
    for payment in payments.iterator(chunk_size=5000):
        person = payment.person
        transfer = transfers.get(person.id_number)
        if transfer is None:
            account = accounts[person.pk][1] if person.pk in accounts else person.bank_account
            transfer = transfers[person.id_number] = Transfer(person.pk, account or "")
        transfer.amount += payment.amount
        transfer.statuses.add(payment.status)
        transfer.payment = payment
    return transfers


def _match(table, transfers: dict[str, Transfer], report: ImportReport) -> dict[int, tuple]:
    """Row checks against the batch; returns person id → (row, TransferResult) of good rows."""
    seen: dict[str, int] = {}
    matched: dict[int, tuple] = {}
    for record in table.records:
        if record.failed:
            continue
        values, row = record.values, record.row
        errors: list[RowError] = []
        number = values["id_number"].number
        transfer = transfers.get(number)
        if transfer is None:
            errors.append(table.error(row, "id_number", _("本批次中没有该身份证号的发放明细")))
        elif number in seen:
            errors.append(
                table.error(
                    row, "id_number", _("与第%(n)d行是同一笔发放，重复") % {"n": seen[number]}
                )
            )
        else:
            seen[number] = row
            if values["account"] != transfer.account:
                errors.append(table.error(row, "account", _("与本批次发放的账号不一致")))
            if values["amount"] != transfer.amount:
                errors.append(
                    table.error(
                        row,
                        "amount",
                        _("金额%(a)s元与本批次应发%(b)s元不一致")
                        % {"a": values["amount"], "b": transfer.amount},
                    )
                )
        if not errors:
            reason = values.get("reason") or ""
            result = TransferResult(
                values["result"],
                failure_code_for(reason) if values["result"] == FAILED else "",
                reason if values["result"] == FAILED else "",
                values.get("serial") or "",
            )
            done = transfer.statuses - {Payment.Status.PENDING}
            if done and (done != {result.status} or Payment.Status.PENDING in transfer.statuses):
                errors.append(table.error(row, "result", result_conflict(transfer.payment)))
            elif (
                done
                and result.status == FAILED
                and transfer.payment.failure_code != (result.failure_code)
            ):
                errors.append(table.error(row, "reason", result_conflict(transfer.payment)))
            elif done:
                report.unchanged += 1
            else:
                matched[transfer.person_id] = (row, result)
                key = "paid" if result.status == PAID else "failed"
                report.extra[key] = report.extra.get(key, 0) + 1
                report.extra[f"{key}_amount"] = str(
                    Decimal(report.extra.get(f"{key}_amount", "0")) + transfer.amount
                )
        report.errors.extend(errors)
    return matched


def bank_return_import(
    *,
    source,
    batch: int,
    filename: str = "",
    by=None,
    dry_run: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Check a return file against batch ``batch`` (its id) and, unless ``dry_run`` or any error,
    record each row's result (``payment_results_record``). Returns the report: ``created`` counts
    transfers given a result now, ``unchanged`` those that already had it; ``extra`` holds the
    paid/failed counts and amounts (元) and ``batch_paid``. Raises ``PermissionDenied`` for a
    user who may not record results."""
    progress = progress or (lambda fraction, message="": None)
    if by is None or not by.has_perm("subsidies.confirm_paymentbatch"):
        raise PermissionDenied(_("您没有权限执行此操作"))
    report = ImportReport(
        filename=(filename or str(getattr(source, "name", source))).split("/")[-1]
    )
    batch_obj = PaymentBatch.objects.get(pk=batch)
    if batch_obj.status not in (PaymentBatch.Status.EXPORTED, PaymentBatch.Status.PAID):
        report.file_error = _("批次导出银行文件后才能导入回盘文件")
        return report
    progress(0.05, _("正在读取文件……"))
    try:
        table = RETURN_SPEC.parse(open_rows(source, name=report.filename or filename))
    except ImportFileError as exc:
        report.file_error = str(exc)
        return report
    report.rows = len(table.records)
    report.errors.extend(table.errors)
    progress(0.5, _("正在核对本批次发放明细……"))
    matched = _match(table, batch_transfers(batch_obj), report)
    report.created = len(matched)
    if not report.rows:
        report.file_error = _("文件中没有数据行")
    if dry_run or not report.ok:
        return report
    progress(0.8, _("正在登记发放结果……"))
    with transaction.atomic():
        try:
            summary = payment_results_record(
                batch=batch_obj,
                results={person_id: result for person_id, (_row, result) in matched.items()},
                by=by,
                reason=_("银行回盘文件 %(f)s") % {"f": report.filename},
            )
        except ValidationError as exc:
            report.file_error = "；".join(exc.messages)
            return report
    report.written = True
    report.extra["batch_paid"] = summary.batch_paid
    progress(1.0, _("已登记"))
    return report


def bank_return_template(batch: PaymentBatch | None = None) -> XlsxWriter:
    """The return file's template: the exported columns plus the bank's result columns."""
    writer = XlsxWriter()
    example = ["张三", "330102199001011234", "农商银行", "6228480012345678901", "300.00", ""]
    writer.sheet(
        _("回盘"),
        [_(h) for h in (*BANK_HEADERS, *RESULT_HEADERS)],
        [
            [*example, _("成功"), "", "20250301000001"],
            [*example[:5], "", _("失败"), _("账户已销户"), ""],
        ],
        text_columns=(0, 1, 2, 3, 5, 6, 7, 8),
    )
    return writer
