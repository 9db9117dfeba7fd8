"""Saving with an audit trail (django-simple-history)."""

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
