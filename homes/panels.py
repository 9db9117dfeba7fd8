"""The homes panel on the person page (registered in ``HomesConfig.ready()``)."""

from datetime import timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfed.people.models import Person

from .models import Attendance, Membership
from .selectors import home_list_visible_to

PERMISSION = "homes.view_membership"
ATTENDANCE_DAYS = 30


def person_panel_context(*, person: Person, user) -> dict:
    """The person's memberships of the homes ``user`` may see (newest first) and, per home,
    the days attended in the last 30 days and the last day attended:
    ``{"memberships", "attendance": {home_id: {"recent", "last"}}, "attendance_days",
    "action_url", "action_label"}``."""
    homes = home_list_visible_to(user).values("pk")
    memberships = list(
        Membership.objects.filter(person=person, home__in=homes)
        .select_related("home")
        .order_by("-joined_on")
    )
    attendance = {}
    if memberships and user.has_perm("homes.view_attendance"):
        since = timezone.localdate() - timedelta(days=ATTENDANCE_DAYS)
        rows = (
            Attendance.objects.filter(person=person, home__in=homes)
            .values("home_id")
            .annotate(recent=Count("pk", filter=Q(date__gt=since)), last=Max("date"))
        )
        attendance = {row["home_id"]: row for row in rows}
    for membership in memberships:
        membership.attendance = attendance.get(membership.home_id)
    context = {"memberships": memberships, "attendance_days": ATTENDANCE_DAYS}
    current = any(m.left_on is None for m in memberships)
    active = person.status == Person.Status.ACTIVE
    if user.has_perm("homes.add_membership") and active and not current:
        context["action_url"] = f"{reverse('homes:membership-create')}?person={person.pk}"
        context["action_label"] = _("加入残疾人之家")
    return context
