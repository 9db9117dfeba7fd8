"""django-import-export's side of the import machinery, for the Django admin's import and
export of small reference tables (areas, subsidy rates, the retrofit item catalogue, homes):
the same cell normalisers as the engine (invisible characters, the wrappers other programs
add, full-width digits), in the headers and every cell before a row is read, and widgets for
the engine's vocabularies (choices by label, months, sums in yuan).

All-or-nothing comes from django-import-export itself: the admin's first step is a dry run
(the preview) and a file with any row error offers no confirmation; ``use_transactions`` rolls
the whole import back on an error (``IMPORT_EXPORT_USE_TRANSACTIONS``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin

from . import normalizers as n


def clean_header(value) -> str:
    """A header as the engine reads it: invisible characters and wrappers removed, spaces
    dropped, full-width made half-width."""
    if value is None:
        return ""
    return n.compact(n.clean_cell(str(value)))


class NormalisedResource(resources.ModelResource):
    """A ModelResource whose headers and text cells go through the engine's normalisers before
    any field reads them; a cell that cannot be cleaned (a NUL byte) fails its row. Model
    instances are validated (``full_clean``) and the import runs in one transaction."""

    def before_import(self, dataset, **kwargs):
        """Headers matched to the fields' column names as the engine matches them (so
        ``月标准(元)`` with a zero-width space finds ``月标准（元）``)."""
        known = {clean_header(f.column_name): f.column_name for f in self.get_import_fields()}
        headers = [clean_header(h) for h in dataset.headers or []]
        dataset.headers = [known.get(h, h) for h in headers]
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        """Text cells without invisible characters, wrappers (``'…``, ``="…"``, a tab) and
        surrounding spaces; widgets read them further (codes, choices, months, sums)."""
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = n.clean_cell(value)
        super().before_import_row(row, **kwargs)

    def import_data(self, dataset, **kwargs):
        """django-import-export's import, rolled back whole when any row fails validation too
        (its confirm step would otherwise write the valid rows and skip the others)."""
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    class Meta:
        abstract = True
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


def text_field(attribute: str, column: str) -> fields.Field:
    """A text column: a blank cell is an empty string (never NULL), surrounding spaces off."""
    return fields.Field(attribute, column, widget=widgets.CharWidget(allow_blank=True))


def _to_validation(parse, value):
    """``parse(value)``, its ``ValidationError`` turned into the ``ValueError`` the widgets
    raise (django-import-export reports it against the row and column)."""
    try:
        return parse(value)
    except ValidationError as exc:
        raise ValueError("；".join(exc.messages)) from None


class ChoiceWidget(widgets.Widget):
    """A choice field read by its label or a spelling in ``aliases`` (or its stored value),
    written by its label."""

    def __init__(self, choices, aliases: dict | None = None, *, label: str = "", **kwargs):
        super().__init__(**kwargs)
        self.labels = {value: str(text) for value, text in choices}
        mapping = {**{str(text): value for value, text in choices}, **(aliases or {})}
        mapping.update({value: value for value in self.labels if isinstance(value, str)})
        self.parse = n.choice(mapping, label=label)

    def clean(self, value, row=None, **kwargs):
        if n.is_blank(value):
            return None
        return _to_validation(self.parse, value)

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class MonthWidget(widgets.Widget):
    """A month (2025-01, 2025年1月, an Excel date …) → its first day; written as YYYY-MM."""

    def clean(self, value, row=None, **kwargs):
        if n.is_blank(value):
            return None
        return _to_validation(n.month, value)

    def render(self, value, obj=None, **kwargs):
        return f"{value:%Y-%m}" if value else ""


class DayWidget(widgets.Widget):
    """A date (2025-03-01, 2025年3月1日, an Excel date …); written as YYYY-MM-DD."""

    def clean(self, value, row=None, **kwargs):
        if n.is_blank(value):
            return None
        return _to_validation(n.day, value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class AmountWidget(widgets.Widget):
    """A sum in yuan (1,200.5 / 1200元 / ￥1200) → Decimal with 2 places."""

    def clean(self, value, row=None, **kwargs):
        if n.is_blank(value):
            return None
        return _to_validation(n.amount, value)

    def render(self, value, obj=None, **kwargs):
        return f"{value:.2f}" if value is not None else ""


class CodeWidget(widgets.Widget):
    """A numeric code Excel may have stored as a number (administrative codes): digits only,
    without a trailing ``.0``, never in scientific notation."""

    def clean(self, value, row=None, **kwargs):
        if n.is_blank(value):
            return ""
        text = n.compact(value)
        if not text.isdigit():
            raise ValueError(f"应为数字编码：{text}")
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class AllOrNothingImportMixin(ImportExportMixin):
    """The admin's import (preview, then confirm) for a ``NormalisedResource``: a confirmed
    file that turns out wrong (the data changed since the preview) writes nothing and says so,
    instead of reporting the rows it skipped as imported."""

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("文件有错误，未写入任何数据：请重新导入并查看预览。"))
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)
