"""Writes on members: joining, leaving, attendance and service records."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dfed.core.history import save_with_history
from dfed.core.permissions import require
from dfed.people.models import Person
from dfed.people.selectors import person_names_for_message

from ..models import (
    Attendance,
    Home,
    Membership,
    ServiceRecord,
    ServiceType,
)


@transaction.atomic
def membership_join(*, home: Home, person: Person, joined_on: date, by) -> Membership:
    """Make a person a member from ``joined_on``; refused while they belong to another home on
    that date.

    Raises: PermissionDenied if ``by`` lacks homes.add_membership or the home's town;
    ValidationError if the person is not 在册, the home not open, the date in the future or
    the person already a member somewhere."""
    require(by, "homes.add_membership", town_id=home.town_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(
            _("%(p)s 状态为“%(s)s”，不能加入")
            % {"p": person.name, "s": person.get_status_display()}
        )
    if home.status != Home.Status.OPEN:
        raise ValidationError(_("%(h)s 不在运营中，不能接收成员") % {"h": home.name})
    if joined_on > timezone.localdate():
        raise ValidationError(_("加入日期不能晚于今天"))
    clash = (
        Membership.objects.filter(person=person)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=joined_on))
        .select_related("home")
        .first()
    )
    if clash is not None:
        if clash.home_id == home.pk:
            raise ValidationError(_("%(p)s 已是本残疾人之家的成员") % {"p": person.name})
        raise ValidationError(
            _("%(p)s 已是“%(h)s”的成员（%(d)s 加入），一人只能加入一个残疾人之家，请先办理退出")
            % {"p": person.name, "h": clash.home.name, "d": clash.joined_on.isoformat()}
        )
    membership = Membership(home=home, person=person, joined_on=joined_on)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            save_with_history(membership, by=by)
    except IntegrityError as exc:  # a concurrent join got there first
        raise ValidationError(_("%(p)s 已是其他残疾人之家的成员") % {"p": person.name}) from exc
    return membership


@transaction.atomic
def membership_leave(
    *, membership: Membership, left_on: date, reason: str, by, drop_later_attendance=False
) -> Membership:
    """End a membership. Attendance recorded after ``left_on`` is refused, or removed when
    ``drop_later_attendance`` (the person died or moved away on that date).

    Raises: PermissionDenied if ``by`` lacks homes.change_membership or the home's town;
    ValidationError if it has already ended, ``left_on`` is before joining or attendance is
    recorded after it."""
    require(by, "homes.change_membership", town_id=membership.home.town_id)
    return _membership_end(
        membership=membership,
        left_on=left_on,
        reason=reason,
        by=by,
        drop_later_attendance=drop_later_attendance,
    )


def _membership_end(
    *, membership: Membership, left_on: date, reason: str, by, drop_later_attendance: bool
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError(_("该成员已于 %(d)s 退出") % {"d": membership.left_on.isoformat()})
    if left_on < membership.joined_on:
        raise ValidationError(_("退出日期不能早于加入日期"))
    later = Attendance.objects.filter(
        home=membership.home_id, person=membership.person_id, date__gt=left_on
    )
    if drop_later_attendance:
        later.delete()
    elif later.exists():
        last = later.order_by("-date").values_list("date", flat=True).first()
        raise ValidationError(
            _("%(d)s 还有出勤记录，退出日期不能早于最后一次出勤") % {"d": last.isoformat()}
        )
    membership.left_on, membership.leave_reason = left_on, (reason or "").strip()
    save_with_history(
        membership,
        by=by,
        reason=pgettext("membership", "退出"),
        update_fields=["left_on", "leave_reason", "updated_at"],
    )
    return membership


@transaction.atomic
def membership_end_for_person(*, person: Person, on: date, reason: str, by=None) -> int:
    """End a person's open memberships (they died or moved away); returns how many. Called by
    the registry's event (the registry's service checked who acted), so no permission check.

    Raises: ValidationError as ``membership_leave`` does."""
    ended = 0
    for membership in Membership.objects.filter(person=person, left_on__isnull=True):
        _membership_end(
            membership=membership,
            left_on=max(on, membership.joined_on),
            reason=reason,
            by=by,
            drop_later_attendance=True,
        )
        ended += 1
    return ended


def on_person_left_registry(sender, *, person, status, on, by=None, **kwargs) -> None:
    """Receiver of ``dfed.people.signals.person_left_registry``."""
    reason = _("登记状态变更为“%(s)s”") % {"s": Person.Status(status).label}
    membership_end_for_person(person=person, on=on, reason=reason, by=by)


def _members_on(home: Home, day: date):
    return Membership.objects.filter(home=home, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


# --- Attendance and services ----------------------------------------------------------------


@transaction.atomic
def attendance_save(*, home: Home, day: date, present: Iterable[int], by) -> dict[str, int]:
    """Set who was present at a home on a day (person ids); idempotent. Returns
    ``{"present": n, "added": n, "removed": n}``.

    Raises: PermissionDenied if ``by`` lacks homes.add_attendance or the home's town;
    ValidationError if ``day`` is in the future, someone was not a member that day or is
    recorded at another home that day."""
    require(by, "homes.add_attendance", town_id=home.town_id)
    if day > timezone.localdate():
        raise ValidationError(_("不能登记今天以后的出勤"))
    present = {int(pk) for pk in present}
    members = set(_members_on(home, day).values_list("person_id", flat=True))
    strangers = present - members
    if strangers:
        names = person_names_for_message(user=by, ids=strangers)
        raise ValidationError(_("以下人员当天不是本家成员：%(n)s") % {"n": names})
    existing = set(
        Attendance.objects.filter(home=home, date=day).values_list("person_id", flat=True)
    )
    removed, _count = (
        Attendance.objects.filter(home=home, date=day).exclude(person_id__in=present).delete()
    )
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(
                Attendance(home=home, person_id=pk, date=day, recorded_by=by)
                for pk in sorted(present - existing)
            )
    except IntegrityError as exc:
        raise ValidationError(_("有成员当天已在其他残疾人之家登记出勤")) from exc
    return {"present": len(present), "added": len(present - existing), "removed": removed}


@transaction.atomic
def service_record_create(
    *,
    home: Home,
    by,
    date: date,
    service_type: ServiceType,
    hours: Decimal,
    staff: str = "",
    attendees: Iterable[int] = (),
    note: str = "",
) -> ServiceRecord:
    """Record a service given at a home (``hours`` in hours, ``attendees`` person ids).

    Raises: PermissionDenied if ``by`` lacks homes.add_servicerecord or the home's town;
    ValidationError if the date is in the future or an attendee was not a member that day."""
    require(by, "homes.add_servicerecord", town_id=home.town_id)
    if date > timezone.localdate():
        raise ValidationError(_("服务日期不能晚于今天"))
    attendee_ids = {int(pk) for pk in attendees}
    members = set(_members_on(home, date).values_list("person_id", flat=True))
    if attendee_ids - members:
        raise ValidationError(_("参加人员必须是当天的本家成员"))
    record = ServiceRecord(
        home=home,
        date=date,
        service_type=service_type,
        hours=hours,
        staff=staff,
        note=note,
        created_by=by,
    )
    record.full_clean()
    record.save()
    record.attendees.set(attendee_ids)
    return record
