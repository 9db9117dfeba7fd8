"""Filter forms above lists and dashboards: a FilterSet base and the crispy helper that lays
any GET filter form out as one row of labelled columns."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

FILTER_COLUMN = "col-6 col-md-3 col-xl-2"


class FilterFormHelper(FormHelper):
    """Crispy layout of a GET filter form: each field a column of the page's
    ``row g-2 align-items-end`` form, its label shown above it; no ``<form>`` tag and no CSRF
    token (the page's template owns the form element, the sort and the buttons).
    ``show_errors=False`` where the page reports the form's errors itself."""

    form_tag = False
    disable_csrf = True

    def __init__(self, form, *, show_errors: bool = True):
        super().__init__(form)
        self.form_show_errors = show_errors
        self.layout = Layout(*(Field(name, wrapper_class=FILTER_COLUMN) for name in form.fields))


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose form renders through crispy (``form.helper``: ``FilterFormHelper``)
    and offers 全部 as the empty choice of its model choices.

    The form is set up when it is first built, so subclasses may still set filter querysets
    (``self.filters[name].queryset``) in their ``__init__`` after calling ``super()``.
    """

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.empty_label = _("全部")
            form.helper = FilterFormHelper(form)
        return form
