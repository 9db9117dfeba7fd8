"""The ledger's lists and forms, declared once per entity and served by the generic views.

Each entry names the model, the form fields, the list columns (label, attribute path, display
getter), the year field used by the overview links, and the search fields.
"""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dfed.core.filters import PortalFilterSet
from dfed.core.masking import MaskedFormMixin, Sensitive, can_view_sensitive, reveal

from .models import (
    Commitment,
    Department,
    Inspection,
    MajorDecision,
    Rectification,
    ResponsibilityLetter,
    RiskPoint,
    ServiceVisit,
    Staff,
    StudySession,
    Talk,
)


@dataclass(frozen=True)
class Entity:
    slug: str
    model: type
    title: str
    fields: list[str]
    columns: list[tuple[str, str]]  # (label, attribute path; "get_x_display" allowed)
    year_lookup: str | None = None  # e.g. "year" or "held_on__year"
    search: list[str] = field(default_factory=list)
    choice_filters: list[str] = field(default_factory=list)
    select_related: list[str] = field(default_factory=list)
    m2m: list[str] = field(default_factory=list)
    default_sort: str = ""
    masked: dict[str, Sensitive] = field(default_factory=dict)  # attribute path → kind

    @property
    def codename(self) -> str:
        return self.model._meta.model_name

    def perm(self, action: str) -> str:
        return f"integrity.{action}_{self.codename}"


ENTITIES = [
    Entity(
        "department",
        Department,
        _("科室"),
        ["name", "order"],
        [(_("名称"), "name"), (_("排序"), "order")],
        search=["name"],
    ),
    Entity(
        "staff",
        Staff,
        _("工作人员"),
        ["name", "department", "post", "supervisor", "phone", "user", "active"],
        [
            (_("姓名"), "name"),
            (_("科室"), "department"),
            (_("职务"), "get_post_display"),
            (_("上级"), "supervisor"),
            (_("手机号"), "phone"),
            (_("在职"), "active"),
        ],
        search=["name", "phone"],
        choice_filters=["post", "department", "active"],
        select_related=["department", "supervisor"],
        masked={"phone": Sensitive.PHONE},
    ),
    Entity(
        "letter",
        ResponsibilityLetter,
        _("责任书"),
        ["year", "issuer", "signer", "signed_on", "notes"],
        [
            (_("年度"), "year"),
            (_("签发人"), "issuer"),
            (_("责任人"), "signer"),
            (_("责任人职务"), "signer.get_post_display"),
            (_("签订日期"), "signed_on"),
        ],
        year_lookup="year",
        search=["signer__name", "issuer__name"],
        select_related=["issuer", "signer"],
    ),
    Entity(
        "commitment",
        Commitment,
        _("承诺书"),
        ["year", "staff", "kind", "signed_on"],
        [
            (_("年度"), "year"),
            (_("承诺人"), "staff"),
            (_("类型"), "get_kind_display"),
            (_("签订日期"), "signed_on"),
        ],
        year_lookup="year",
        search=["staff__name"],
        choice_filters=["kind"],
        select_related=["staff"],
    ),
    Entity(
        "inspection",
        Inspection,
        _("责任制检查"),
        ["year", "period", "held_on", "inspectors", "findings"],
        [
            (_("年度"), "year"),
            (_("类型"), "get_period_display"),
            (_("检查日期"), "held_on"),
            (_("检查人员"), "inspectors"),
            (_("发现问题"), "findings"),
        ],
        year_lookup="year",
        search=["findings", "inspectors"],
        choice_filters=["period"],
    ),
    Entity(
        "rectification",
        Rectification,
        _("整改事项"),
        ["inspection", "description", "owner", "due_on", "closed_on", "closing_note"],
        [
            (_("检查"), "inspection"),
            (_("整改事项"), "description"),
            (_("责任人"), "owner"),
            (_("整改期限"), "due_on"),
            (_("销号日期"), "closed_on"),
            (_("整改情况"), "closing_note"),
        ],
        year_lookup="inspection__year",
        search=["description"],
        select_related=["inspection", "owner"],
    ),
    Entity(
        "session",
        StudySession,
        _("学习与专题研究"),
        ["held_on", "kind", "topic", "materials", "attendees"],
        [
            (_("日期"), "held_on"),
            (_("类型"), "get_kind_display"),
            (_("主题"), "topic"),
            (_("参加人数"), "attendee_count"),
        ],
        year_lookup="held_on__year",
        search=["topic", "materials"],
        choice_filters=["kind"],
        m2m=["attendees"],
    ),
    Entity(
        "talk",
        Talk,
        _("谈心谈话"),
        ["held_on", "talker", "talkee", "topic", "content"],
        [
            (_("日期"), "held_on"),
            (_("谈话人"), "talker"),
            (_("谈话对象"), "talkee"),
            (_("主题"), "topic"),
        ],
        year_lookup="held_on__year",
        search=["topic", "talker__name", "talkee__name"],
        select_related=["talker", "talkee"],
    ),
    Entity(
        "risk",
        RiskPoint,
        _("廉政风险点"),
        ["post", "department", "description", "level", "controls", "reviewed_on"],
        [
            (_("岗位"), "post"),
            (_("科室"), "department"),
            (_("风险描述"), "description"),
            (_("等级"), "get_level_display"),
            (_("防控措施"), "controls"),
            (_("最近评估"), "reviewed_on"),
        ],
        year_lookup="reviewed_on__year",
        search=["post", "description"],
        choice_filters=["level", "department"],
        select_related=["department"],
    ),
    Entity(
        "decision",
        MajorDecision,
        _("三重一大事项"),
        ["matter", "category", "meeting", "decided_on", "participants", "outcome"],
        [
            (_("日期"), "decided_on"),
            (_("事项"), "matter"),
            (_("类别"), "get_category_display"),
            (_("会议"), "meeting"),
            (_("参会人员"), "participants"),
            (_("决策结果"), "outcome"),
        ],
        year_lookup="decided_on__year",
        search=["matter", "outcome"],
        choice_filters=["category"],
    ),
    Entity(
        "visit",
        ServiceVisit,
        _("三服务走访"),
        ["group", "visited_on", "place", "families", "enterprises", "problems", "follow_up"],
        [
            (_("日期"), "visited_on"),
            (_("走访组"), "group"),
            (_("地点"), "place"),
            (_("家庭"), "families"),
            (_("企业"), "enterprises"),
            (_("收集问题"), "problems"),
            (_("跟进落实"), "follow_up"),
        ],
        year_lookup="visited_on__year",
        search=["place", "problems", "group"],
    ),
]
ENTITY_BY_SLUG = {e.slug: e for e in ENTITIES}


def cell(obj, path: str, *, entity: Entity | None = None, viewer=None):
    """The display value at ``path``; identifiers the entity marks masked go through reveal."""
    if entity is not None and path in entity.masked:
        return reveal(_walk(obj, path), kind=entity.masked[path], viewer=viewer)
    return _walk(obj, path)


def _walk(obj, path: str):
    value = obj
    for part in path.split("."):
        if value is None:
            return ""
        value = getattr(value, part)
        if callable(value):
            value = value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value


def filterset_for(entity: Entity) -> type[PortalFilterSet]:
    attrs = {}
    if entity.search:

        def search(self, queryset, name, value):
            q = Q()
            whole = not can_view_sensitive(getattr(self.request, "user", None))
            for f in entity.search:
                # A masked identifier matches only whole: a part would be an oracle.
                lookup = "exact" if whole and f in entity.masked else "icontains"
                q |= Q(**{f"{f}__{lookup}": value})
            return queryset.filter(q)

        attrs["q"] = django_filters.CharFilter(label=_("搜索"), method="search")
        attrs["search"] = search
    if entity.year_lookup:
        attrs["year"] = django_filters.NumberFilter(label=_("年度"), field_name=entity.year_lookup)
    meta = type("Meta", (), {"model": entity.model, "fields": list(entity.choice_filters)})
    attrs["Meta"] = meta
    return type(f"{entity.model.__name__}Filter", (PortalFilterSet,), attrs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def form_for(entity: Entity) -> type[forms.ModelForm]:
    widgets = {}
    for name in entity.fields:
        model_field = entity.model._meta.get_field(name)
        if model_field.get_internal_type() == "DateField":
            widgets[name] = DateInput()
        elif model_field.many_to_many:
            widgets[name] = forms.CheckboxSelectMultiple()
    meta = type("Meta", (), {"model": entity.model, "fields": entity.fields, "widgets": widgets})
    attrs = {"Meta": meta, "masked_fields": dict(entity.masked)}
    return type(f"{entity.model.__name__}Form", (MaskedFormMixin, forms.ModelForm), attrs)
