"""Rates in force, and the user-scoped reads of applications, attachments and entitlements."""

from datetime import date

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dfed.core.months import month_start
from dfed.core.scoping import scope_to_towns

from ..models import (
    Application,
    ApplicationAttachment,
    Entitlement,
    SubsidyRate,
)


def rate_for(*, type: str, tier: str, month: date) -> SubsidyRate | None:  # noqa: A002
    """The rate in force for ``month`` (the one whose range covers it), or ``None``."""
    return (
        SubsidyRate.objects.filter(type=type, tier=tier, effective_from__lte=month)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month))
        .order_by("-effective_from")
        .first()
    )


def rates_in_force(*, month: date) -> dict[tuple[str, str], SubsidyRate]:
    """Every rate in force for ``month``, by (type, tier), in one read of the small rate table."""
    rates = SubsidyRate.objects.filter(effective_from__lte=month).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=month)
    )
    return {(rate.type, rate.tier): rate for rate in rates.order_by("effective_from")}


# --- user-scoped reads ------------------------------------------------------------------------


def application_list_visible_to(user) -> QuerySet[Application]:
    queryset = Application.objects.select_related("person", "person__town", "created_by")
    return scope_to_towns(queryset, user, field="person__town")


def application_get_visible(*, user, pk) -> Application:
    return get_object_or_404(application_list_visible_to(user), pk=pk)


def application_list_drafts_of(user) -> QuerySet[Application]:
    """The drafts (new or returned) the user created, and the online applications of the user's
    towns that no caseworker has submitted yet (网上申请)."""
    online = Q(created_by__isnull=True, channel=Application.Channel.ONLINE)
    return application_list_visible_to(user).filter(
        Q(created_by=user) | online, status=Application.Status.DRAFT
    )


def application_list_waiting_for(user) -> QuerySet[Application]:
    """What waits for this user's review: 乡镇审核 in their towns, 区残联审定 for reviewers."""
    statuses = []
    if user.has_perm("subsidies.town_review_application"):
        statuses.append(Application.Status.TOWN_REVIEW)
    if user.has_perm("subsidies.district_review_application"):
        statuses.append(Application.Status.DISTRICT_REVIEW)
    return application_list_visible_to(user).filter(status__in=statuses).order_by("submitted_at")


def attachment_get_visible(*, user, pk) -> ApplicationAttachment:
    visible = application_list_visible_to(user).values("pk")
    return get_object_or_404(
        ApplicationAttachment.objects.select_related("application"),
        pk=pk,
        application__in=visible,
    )


def entitlement_list_visible_to(user) -> QuerySet[Entitlement]:
    queryset = Entitlement.objects.select_related("person", "person__town", "person__community")
    return scope_to_towns(queryset, user, field="person__town")


def entitlement_get_visible(*, user, pk) -> Entitlement:
    return get_object_or_404(entitlement_list_visible_to(user), pk=pk)


def entitlement_list_review_due(user, *, month: date | None = None) -> QuerySet[Entitlement]:
    """年审: current entitlements whose review is due, or whose person's facts changed."""
    month = month or month_start(timezone.localdate())
    changed_household = ~Q(person__household=F("confirmed_household"))
    changed_level = ~Q(person__level=F("confirmed_level"))
    changed_category = ~Q(person__category=F("confirmed_category"))
    left = ~Q(person__status="active")
    due = Q(review_due__lte=month) | Q(review_due__isnull=True)
    return (
        entitlement_list_visible_to(user)
        .exclude(state=Entitlement.State.ENDED)
        .filter(due | changed_household | changed_level | changed_category | left)
        .annotate(
            household_changed=ExpressionWrapper(changed_household, output_field=BooleanField()),
            level_changed=ExpressionWrapper(
                changed_level | changed_category, output_field=BooleanField()
            ),
            review_overdue=ExpressionWrapper(due, output_field=BooleanField()),
            person_left=ExpressionWrapper(left, output_field=BooleanField()),
        )
        .order_by("review_due", "person__town__code", "person__name")
    )


def subsidy_rate_list() -> QuerySet[SubsidyRate]:
    return SubsidyRate.objects.order_by("type", "tier", "-effective_from")


def entitlement_count_missing_payment(month: date) -> int:
    """Active entitlements due for ``month`` with no payment for it (e.g. no rate in force)."""
    return (
        Entitlement.objects.filter(state=Entitlement.State.ACTIVE, start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .filter(Q(paid_through__isnull=True) | Q(paid_through__lt=month))
        .exclude(payments__month=month)
        .count()
    )
