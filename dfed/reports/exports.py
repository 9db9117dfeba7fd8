"""The xlsx download of a widget: the very table its JSON holds."""

import re

from django.http import Http404

from dfed.core.xlsx import xlsx_response

from .widgets import WidgetUnavailable


def widget_xlsx_response(widget, filters, user):
    """The widget's table (the same rows as its JSON) as an xlsx, with a totals row."""
    try:
        table = widget.compute(filters, user)
    except WidgetUnavailable:
        raise Http404 from None
    filename = f"{widget.key}-{filters.start:%Y%m}-{filters.end:%Y%m}.xlsx"
    headers = [str(c.label) for c in table.columns]
    title = re.sub(r"[\\/?*\[\]:]", " ", str(widget.title))
    return xlsx_response(filename, title, headers, table.rows, totals=table.totals)
