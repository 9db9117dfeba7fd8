"""Saving with an audit trail (django-simple-history)."""

from dataclasses import dataclass

from django.db import models
from simple_history.models import HistoricalRecords


class BulkHistoricalRecords(HistoricalRecords):
    """History of a table that roster imports fill by the hundred thousand: its ``history_user``
    link has no index of its own (history is read per object, never listed by user), one index
    less to write for every imported row."""

    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        user = fields.get("history_user")
        if isinstance(user, models.ForeignKey):
            user.db_index = False
        return fields


def save_with_history(instance, *, by, reason: str = "", update_fields=None) -> None:
    """Save ``instance`` recording who changed it (``by``, a User or None) and why (``reason``,
    kept as the history row's change reason when given) in its history. The one way services
    save a model that keeps history; raises what ``save()`` raises (``IntegrityError``, …)."""
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=update_fields)


def delete_with_history(instance, *, by, reason: str = "") -> None:
    """Delete ``instance`` leaving a history row that says who deleted it (``by``) and why
    (``reason``); the counterpart of ``save_with_history`` for rows a service withdraws."""
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.delete()


# --- Bulk changes with history -----------------------------------------------------------------

BULK_HISTORY_CHUNK = 5000


def bulk_update_with_history(queryset, *, by, reason: str, **values) -> int:
    """``queryset.update(**values)`` that also writes one history row per changed object, with
    ``by`` and ``reason`` (mark paid, imports, comparisons). Returns how many rows changed.
    Works in chunks of 5,000 ids, so a province-sized update stays set-based."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), BULK_HISTORY_CHUNK):
        chunk = ids[start : start + BULK_HISTORY_CHUNK]
        changed += model._default_manager.filter(pk__in=chunk).update(**values)
        bulk_history_write(
            model._default_manager.filter(pk__in=chunk), by=by, reason=reason, update=True
        )
    return changed


def bulk_history_write(objects, *, by, reason: str, update: bool = True) -> None:
    """History rows for objects already written by a bulk statement (their current values)."""
    objects = list(objects)
    if objects:
        type(objects[0]).history.bulk_history_create(
            objects,
            batch_size=BULK_HISTORY_CHUNK,
            update=update,
            default_user=by,
            default_change_reason=reason,
        )


# --- What changed: field-level diffs for history panels ----------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    user: object
    kind: str  # 新建 / 修改 / 删除
    reason: str
    changes: list[FieldChange]


def field_value_display(field, value, *, viewer) -> str:
    """A field value as a user reads it: choice labels, related objects, 是/否, dates; identifiers
    through reveal()."""
    from django.utils.translation import gettext as _

    from .masking import SENSITIVE_FIELDS, reveal

    if value is None or value == "":
        return "—"
    if field.name in SENSITIVE_FIELDS:
        return reveal(str(value), kind=SENSITIVE_FIELDS[field.name], viewer=viewer)
    if isinstance(value, models.Model):
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def history_entries(instance, *, viewer, limit: int = 20) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``instance``: who, when, why and, field by field,
    old → new in the model's Chinese labels and display values (低保 → 一般); identifiers masked
    for viewers without ``people.view_sensitive``."""
    from django.utils.translation import gettext as _

    kinds = {"+": _("新建"), "~": _("修改"), "-": _("删除")}
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(instance)
    entries = []
    for index, record in enumerate(records[:limit]):
        changes = []
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                try:
                    field = model._meta.get_field(change.field)
                except Exception:  # noqa: BLE001 - a field since removed
                    continue
                if field.many_to_many:
                    continue
                changes.append(
                    FieldChange(
                        label=str(field.verbose_name),
                        old=field_value_display(field, change.old, viewer=viewer),
                        new=field_value_display(field, change.new, viewer=viewer),
                    )
                )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=record.history_user,
                kind=kinds.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
