"""Writes to the registry.

Invariants: one person per ID number (stored upper-case); sex, birth date and town are derived
from the ID number and the community, never typed; every change is in one transaction and
recorded by simple-history with the user who made it; a person who leaves the registry (死亡,
迁出) carries a date, and ``person_left_registry`` lets other apps react in the same transaction.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.history import save_with_history
from dfed.core.permissions import require
from dfed.core.validators import validate_area_code

from .models import Area, Person, PersonTransfer, SensitiveAccessLog
from .signals import people_changed, person_left_registry

PERSON_FIELDS = (
    "name",
    "id_number",
    "ethnicity",
    "certificate_number",
    "category",
    "level",
    "household",
    "community",
    "address",
    "phone",
    "bank_name",
    "bank_account",
    "guardian_name",
    "guardian_phone",
    "note",
)


def _save_person(person: Person, *, by, reason: str) -> Person:
    person.full_clean()
    before = (
        Person.objects.filter(pk=person.pk).values_list("name", "town_id").first()
        if person.pk
        else None
    )
    save_with_history(person, by=by, reason=reason)
    if before is not None and before != (person.name, person.town_id):
        people_changed.send(sender=Person, people=Person.objects.filter(pk=person.pk))
    return person


@transaction.atomic
def person_create(*, by, **fields) -> Person:
    """Register a person; validation (ID, certificate, phone, account) is in ``Person.clean``.

    Raises: PermissionDenied if ``by`` lacks people.add_person or the community's town;
    ValidationError if a field is invalid or the ID number is registered already."""
    require(by, "people.add_person", town_id=getattr(fields.get("community"), "parent_id", None))
    person = Person(**{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    return _save_person(person, by=by, reason=_("新建"))


@transaction.atomic
def person_update(*, person: Person, by, reason: str = "", **fields) -> Person:
    """Change the given fields; ``reason`` (default 修改) goes into the person's history.

    Raises: PermissionDenied if ``by`` lacks people.change_person or the person's town (or a
    new community's); ValidationError if a field is invalid."""
    require(by, "people.change_person", town_id=person.town_id)
    if fields.get("community") is not None:
        require(by, "people.change_person", town_id=fields["community"].parent_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in fields.items():
        if name in PERSON_FIELDS:
            setattr(person, name, value)
    return _save_person(person, by=by, reason=reason or _("修改"))


@transaction.atomic
def person_set_status(
    *, person: Person, status: str, on: date | None, by, reason: str = ""
) -> Person:
    """Mark a person 在册, 迁出 or 死亡 (with the date); leaving tells the other apps.

    Raises: PermissionDenied if ``by`` lacks people.change_person or the person's town;
    ValidationError if 迁出/死亡 has no date or the date is in the future."""
    require(by, "people.change_person", town_id=person.town_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if status != Person.Status.ACTIVE and on is None:
        raise ValidationError({"status_date": _("迁出或死亡必须填写日期")})
    if on is not None and on > timezone.localdate():
        raise ValidationError({"status_date": _("日期不能晚于今天")})
    person.status = status
    person.status_date = on if status != Person.Status.ACTIVE else None
    _save_person(
        person, by=by, reason=reason or _("状态变更：%(s)s") % {"s": Person.Status(status).label}
    )
    if status != Person.Status.ACTIVE:
        person_left_registry.send(sender=Person, person=person, status=status, on=on, by=by)
    return person


def sensitive_access_log_record(
    *,
    user,
    person: Person | None = None,
    ip_address: str | None = None,
    kind: str = SensitiveAccessLog.Kind.DETAIL,
    context: str = "detail",
    query: str = "",
    count: int | None = None,
) -> SensitiveAccessLog:
    """Write one access-log row (a response showed full identifiers)."""
    return SensitiveAccessLog.objects.create(
        user=user,
        person=person,
        ip_address=ip_address,
        kind=kind,
        context=context,
        query=query,
        count=count,
    )


def sensitive_access_log_prune(*, now=None) -> int:
    """Delete access-log rows older than ``ACCESS_LOG_RETENTION_MONTHS`` (default 6) months;
    return how many. Rows inside the retention window are never touched."""
    from django.conf import settings
    from django.utils import timezone

    from dfed.core.months import month_add

    months = int(getattr(settings, "ACCESS_LOG_RETENTION_MONTHS", 6))
    now = timezone.localtime(now or timezone.now())
    first = month_add(now.date().replace(day=1), -months)
    day = min(now.day, (month_add(first, 1) - first).days)
    cutoff = now.replace(year=first.year, month=first.month, day=day)
    deleted, _ = SensitiveAccessLog.objects.filter(viewed_at__lt=cutoff).delete()
    return deleted


# --- Area import ----------------------------------------------------------------------------


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class AreaImportError(ValidationError):
    pass


LEVEL_BY_DEPTH = {1: Area.Level.DISTRICT, 2: Area.Level.TOWN, 3: Area.Level.COMMUNITY}


def area_rows_from_csv(text: str) -> list[tuple[int, dict]]:
    """Parse ``code,name,parent_code`` CSV into (line number, row) pairs; header is line 1.

    Raises: AreaImportError if a column is missing from the header."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"code", "name", "parent_code"} - set(reader.fieldnames or [])
    if missing:
        raise AreaImportError([_("第1行 表头缺少列：%(c)s") % {"c": ", ".join(sorted(missing))}])
    return [(reader.line_num, row) for row in reader]


@transaction.atomic
def area_import(*, rows: Iterable[tuple[int, dict]]) -> AreaImportResult:
    """Create or update areas from rows; all-or-nothing, every error listed as 第N行. Run by
    an administrator from ``manage.py import_areas`` (no user to check).

    Raises: AreaImportError listing every row's error; nothing is written then."""
    errors: list[tuple[int, str]] = []
    parsed: dict[str, tuple[int, str, str]] = {}
    for line, row in rows:
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        parent_code = (row.get("parent_code") or "").strip()
        if not any((code, name, parent_code)):
            continue
        try:
            validate_area_code(code)
        except ValidationError:
            errors.append(
                (
                    line,
                    _("第%(n)d行 code 行政区划代码应为12位数字：%(v)s")
                    % {"n": line, "v": code or _("（空）")},
                )
            )
            continue
        if code in parsed:
            errors.append(
                (
                    line,
                    _("第%(n)d行 code 代码重复（与第%(m)d行相同）：%(v)s")
                    % {"n": line, "m": parsed[code][0], "v": code},
                )
            )
            continue
        if not name:
            errors.append((line, _("第%(n)d行 name 名称不能为空") % {"n": line}))
        if parent_code and parent_code == code:
            errors.append((line, _("第%(n)d行 parent_code 上级不能是自己") % {"n": line}))
        parsed[code] = (line, name, parent_code)

    existing = {a.code: a for a in Area.objects.select_related("parent")}
    parent_of = {code: (a.parent.code if a.parent else "") for code, a in existing.items()}
    parent_of.update({code: p for code, (_l, _n, p) in parsed.items()})
    for line, _name, parent_code in parsed.values():
        if parent_code and parent_code not in parent_of:
            errors.append(
                (
                    line,
                    _("第%(n)d行 parent_code 上级代码不存在：%(v)s")
                    % {"n": line, "v": parent_code},
                )
            )

    depth: dict[str, int] = {}
    for code, (line, _name, _parent) in parsed.items():
        seen, current, steps = set(), code, 0
        while current:
            if current in seen:
                errors.append((line, _("第%(n)d行 parent_code 上下级关系成环") % {"n": line}))
                steps = -1
                break
            seen.add(current)
            steps += 1
            current = parent_of.get(current, "")
        if steps > 3:
            errors.append(
                (line, _("第%(n)d行 parent_code 层级超过三级（区→镇街道→社区村）") % {"n": line})
            )
        depth[code] = steps
    if errors:
        raise AreaImportError([message for _line, message in sorted(errors)])

    result = AreaImportResult()
    pending = dict(parsed)
    while pending:  # parents before children
        ready = [c for c, (_l, _n, p) in pending.items() if not p or p not in pending]
        for code in sorted(ready):
            _line, name, parent_code = pending.pop(code)
            parent = existing.get(parent_code) if parent_code else None
            level = LEVEL_BY_DEPTH[depth[code]]
            area = existing.get(code)
            if area is None:
                area = Area.objects.create(code=code, name=name, parent=parent, level=level)
                existing[code] = area
                result.created += 1
            elif (area.name, area.parent_id, area.level) != (
                name,
                getattr(parent, "pk", None),
                level,
            ):
                area.name, area.parent, area.level = name, parent, level
                area.full_clean()
                area.save(update_fields=["name", "parent", "level"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


# --- Transfers within the district (区内迁移) ---------------------------------------------------


@transaction.atomic
def person_transfer_request(
    *, id_number: str, to_community: Area, by, reason: str = ""
) -> PersonTransfer:
    """Ask to move the person registered under ``id_number`` into ``to_community`` (one of the
    asker's towns).

    Raises: PermissionDenied if ``by`` lacks people.add_persontransfer or the target's town;
    ValidationError (without naming the person or their town) if the ID cannot be moved there
    or a transfer is pending."""
    from dfed.core.scoping import user_town_ids
    from dfed.core.validators import normalize_id_number

    require(by, "people.add_persontransfer")
    town_ids = user_town_ids(by)
    if to_community.level != Area.Level.COMMUNITY or (
        town_ids is not None and to_community.parent_id not in town_ids
    ):
        raise ValidationError(_("只能迁入本人所辖镇街道的社区（村）"))
    person = (
        Person.objects.select_for_update()
        .filter(id_number=normalize_id_number(id_number), status=Person.Status.ACTIVE)
        .first()
    )
    if person is None or person.town_id == to_community.parent_id:
        raise ValidationError(_("该身份证号无法申请区内迁移"))
    if PersonTransfer.objects.filter(person=person, status=PersonTransfer.Status.PENDING).exists():
        raise ValidationError(_("此人已有待审核的区内迁移申请"))
    transfer = PersonTransfer(
        person=person,
        from_community=person.community,
        to_community=to_community,
        reason=reason.strip(),
        requested_by=by,
    )
    transfer.full_clean()
    transfer.save()
    return transfer


@transaction.atomic
def person_transfer_decide(
    *, transfer: PersonTransfer, by, approve: bool, note: str = ""
) -> PersonTransfer:
    """A district reviewer approves (the person's community and town change, recorded in the
    history with the reason 区内迁移) or rejects (a note is required) a pending transfer.

    Raises: PermissionDenied if ``by`` lacks people.approve_persontransfer or does not see the
    whole district; ValidationError if it was decided already, a rejection has no note or the
    person's community changed meanwhile."""
    from django.core.exceptions import PermissionDenied

    from dfed.core.scoping import user_sees_district

    require(by, "people.approve_persontransfer")
    if not user_sees_district(by):
        raise PermissionDenied(_("没有审批区内迁移的权限"))
    transfer = PersonTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != PersonTransfer.Status.PENDING:
        raise ValidationError(_("该申请已处理"))
    if not approve and not note.strip():
        raise ValidationError(_("驳回必须填写理由"))
    if approve:
        person = Person.objects.select_for_update().get(pk=transfer.person_id)
        if person.community_id != transfer.from_community_id:
            raise ValidationError(_("此人的社区已变更，请重新申请"))
        person.community = transfer.to_community
        _save_person(
            person,
            by=by,
            reason=_("区内迁移：%(a)s → %(b)s")
            % {"a": transfer.from_community, "b": transfer.to_community},
        )
    transfer.status = PersonTransfer.Status.APPROVED if approve else PersonTransfer.Status.REJECTED
    transfer.decided_by, transfer.decided_at = by, timezone.now()
    transfer.decision_note = note.strip()
    transfer.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    return transfer
