"""The Django admin's history pages in display values, identifiers masked by the one rule."""

from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import field_value_display


class DisplayHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose change list says 低保 → 一般 rather than dibao → general, and
    masks identifiers for staff without ``people.view_sensitive``."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _DisplayContextHelper(self.model, historical_record, viewer=request.user)


class _DisplayContextHelper(HistoricalRecordContextHelper):
    def __init__(self, model, historical_record, *, viewer, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.viewer = viewer

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return field_value_display(field, value, viewer=self.viewer)
