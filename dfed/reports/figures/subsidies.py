"""Subsidy figures: people paid and money paid in the year, per subsidy type.

Counted from the payments the bank has paid (已发放; failed and unanswered ones are not spent)
of batches whose 发放月份 falls in the year. People are distinct over the year, which is why
this reads the payments rather than adding up monthly summary rows.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from subsidies.models import PaymentBatch, SubsidyType
from subsidies.selectors import finding_figures, payment_list_paid

from ..summaries import COUNTED_STATUSES
from . import Figure, FigureGroup, link, to_wan, year_bounds

TITLE = _("两项补贴")


def subsidy_figures(year: int) -> FigureGroup:
    payments = payment_list_paid().filter(batch__month__year=year)
    sums = payments.aggregate(
        **{
            f"{t}_people": Count("person_id", distinct=True, filter=Q(type=t))
            for t in SubsidyType.values
        },
        **{f"{t}_amount": Sum("amount", filter=Q(type=t)) for t in SubsidyType.values},
    )
    batches = PaymentBatch.objects.filter(month__year=year, status__in=COUNTED_STATUSES).count()
    living, care = SubsidyType.LIVING, SubsidyType.CARE
    payments_of = {t: link("subsidies:payment-list", f"type={t}") for t in (living, care)}
    url = link("subsidies:batch-list")
    return FigureGroup(
        key="subsidies",
        title=TITLE,
        figures=[
            Figure(
                "living_people",
                _("困难残疾人生活补贴发放人数"),
                sums[f"{living}_people"],
                _("名"),
                url,
            ),
            Figure(
                "living_wan",
                _("困难残疾人生活补贴发放金额"),
                to_wan(sums[f"{living}_amount"]),
                _("万元"),
                payments_of[living],
            ),
            Figure(
                "care_people",
                _("重度残疾人护理补贴发放人数"),
                sums[f"{care}_people"],
                _("名"),
                payments_of[care],
            ),
            Figure(
                "care_wan",
                _("重度残疾人护理补贴发放金额"),
                to_wan(sums[f"{care}_amount"]),
                _("万元"),
                payments_of[care],
            ),
            Figure("batches", _("确认发放批次"), batches, _("个"), url),
            *_finding_figures(year),
        ],
    )


def _finding_figures(year: int) -> list[Figure]:
    """精准管理 / 主动发现: the comparison's findings first found in the year."""
    start, end = year_bounds(year)
    f = finding_figures(start=start, end=end)
    url = link("subsidies:finding-list", "status=")
    stops = link("subsidies:finding-list", "status=&kind=stop")
    starts = link("subsidies:finding-list", "status=&kind=start")
    return [
        Figure("findings_stop", _("数据比对发现应停发"), f.found["stop"], _("条"), stops),
        Figure("findings_correct", _("数据比对发现信息不一致"), f.found["correct"], _("条"), url),
        Figure("findings_acted", _("比对发现已处理"), f.acted, _("条"), url),
        Figure(
            "findings_days",
            _("从名单导入到处理平均用时"),
            f.average_days or Decimal(0),
            _("天"),
            url,
        ),  # fmt: skip
        Figure("stopped_yuan", _("停发后每月不再发放"), f.stopped_monthly, _("元"), stops),
        Figure("recovered_wan", _("停发后追回资金"), to_wan(f.recovered), _("万元"), stops),
        Figure("findings_start", _("主动发现符合条件未享受"), f.found["start"], _("人"), starts),
        Figure("reached", _("主动发现后建立申请"), f.reached, _("人"), starts),
    ]
