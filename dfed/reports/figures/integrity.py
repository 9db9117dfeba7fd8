"""党风廉政建设 figures for a year (from the integrity overview) and the festival reminder SMS
(campaigns sent that year and the texts they produced)."""

from django.utils.translation import gettext_lazy as _

from dfed.notifications.models import SmsMessage
from dfed.notifications.selectors import sms_counts_by_campaign
from integrity.selectors import integrity_figures_for_year

from .base import Figure, FigureGroup, link

TITLE = _("党风廉政建设")
SMS_TITLE = _("节日廉政提醒短信")

# (our key, overview key, label, unit)
DUTIES = (
    ("letters", "letters", _("签订党风廉政建设责任书"), _("份")),
    ("commitments", "commitments", _("签订廉政承诺书"), _("份")),
    ("topic_studies", "special", _("党组专题研究党风廉政建设"), _("次")),
    ("study_sessions", "study", _("集中学习"), _("次")),
    ("inspections", "inspections", _("责任制检查考核"), _("次")),
    ("talks", "talks", _("谈心谈话"), _("人次")),
    ("risk_points", "risks", _("评估廉政风险点"), _("个")),
    ("major_decisions", "decisions", _("“三重一大”事项集体决策"), _("项")),
    ("service_visits", "visits", _("“三服务”走访"), _("次")),
)


def _url(row) -> str:
    name, query = row["url"]
    return link(name, query.lstrip("?"))


def integrity_figures(year: int) -> FigureGroup:
    year_figures = integrity_figures_for_year(year=year)
    overview = {row["key"]: row for row in year_figures.overview}
    figures = [
        Figure(key, label, overview[source]["done"] or 0, unit, _url(overview[source]))
        for key, source, label, unit in DUTIES
    ]
    figures.append(
        Figure(
            "visit_families",
            _("“三服务”走访家庭"),
            year_figures.visit_families,
            _("户"),
            _url(overview["visits"]),
        )
    )
    figures.append(
        Figure(
            "risk_points_total",
            _("登记在册的廉政风险点"),
            year_figures.risk_points_total,
            _("个"),
            link("integrity:risk-list"),
        )
    )
    return FigureGroup(key="integrity", title=TITLE, figures=figures)


def sms_figures(year: int) -> FigureGroup:
    sent_campaigns = integrity_figures_for_year(year=year).campaign_refs_sent
    counts = sms_counts_by_campaign(sent_campaigns)
    sent = sum(  # a delivery receipt turns 已发送 into 已送达: both went out
        c.get(SmsMessage.Status.SENT, 0) + c.get(SmsMessage.Status.DELIVERED, 0)
        for c in counts.values()
    )
    failed = sum(c.get(SmsMessage.Status.FAILED, 0) for c in counts.values())
    url = link("integrity:campaign-list", f"year={year}")
    return FigureGroup(
        key="sms",
        title=SMS_TITLE,
        figures=[
            Figure("festivals", _("发送廉洁提醒的节日"), len(sent_campaigns), _("个"), url),
            Figure("sent", _("提醒短信发送成功"), sent, _("条"), url),
            Figure("failed", _("提醒短信发送失败"), failed, _("条"), url),
        ],
    )
