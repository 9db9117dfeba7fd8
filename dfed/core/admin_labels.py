"""Admin list filters that show a code column (a purpose, an importer key, a subsidy type kept
without field choices) by its label in the current language, not its stored code."""

from collections.abc import Callable

from django.contrib import admin


def labelled_filter(field: str, title, choices: Callable[[], list[tuple[str, str]]]):
    """A ``SimpleListFilter`` class on ``field`` titled ``title`` whose options are
    ``choices()`` — ``(code, label)`` pairs, read per request so a registry filled in
    ``ready()`` and the active language both count."""

    class LabelledFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return [(code, str(label)) for code, label in choices()]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field: self.value()})
            return queryset

    LabelledFilter.title = title
    LabelledFilter.__name__ = f"{field.title()}LabelledFilter"
    return LabelledFilter
