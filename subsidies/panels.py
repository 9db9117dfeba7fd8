"""The subsidies panel on the person page (registered in ``SubsidiesConfig.ready()``)."""

from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dfed.people.models import Person

from .models import PaymentBatch
from .selectors import (
    application_list_visible_to,
    entitlement_list_visible_to,
    payment_list_visible_to,
)

PERMISSION = "subsidies.view_application"


def person_panel_context(*, person: Person, user) -> dict:
    """The person's entitlements, latest applications and paid totals, read through the user's
    scoped selectors: ``{"entitlements", "applications", "payments": {count, total (元),
    last_month}, "action_url", "action_label"}``. Identifiers are not shown here."""
    entitlements = []
    if user.has_perm("subsidies.view_entitlement"):
        entitlements = list(
            entitlement_list_visible_to(user).filter(person=person).order_by("-start_month")
        )
    applications = list(
        application_list_visible_to(user).filter(person=person).order_by("-created_at")[:5]
    )
    payments = None
    if user.has_perm("subsidies.view_payment"):
        payments = (
            payment_list_visible_to(user)
            .filter(person=person, batch__status__in=PaymentBatch.COUNTED_STATUSES)
            .aggregate(count=Count("pk"), total=Sum("amount"), last_month=Max("month"))
        )
    context = {"entitlements": entitlements, "applications": applications, "payments": payments}
    if user.has_perm("subsidies.add_application") and person.status == Person.Status.ACTIVE:
        context["action_url"] = f"{reverse('subsidies:application-create')}?person={person.pk}"
        context["action_label"] = _("申请补贴")
    return context
