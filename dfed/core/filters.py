import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose widgets carry Bootstrap classes.

    The form is styled when it is first built, so subclasses may still set filter querysets
    (``self.filters[name].queryset``) in their ``__init__`` after calling ``super()``.
    """

    @property
    def form(self):
        form = super().form
        if not getattr(self, "_form_styled", False):
            self._form_styled = True
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.empty_label = _("全部")
                widget = field.widget
                if isinstance(widget, forms.Select | forms.SelectMultiple):
                    widget.attrs.setdefault("class", "form-select")
                elif isinstance(widget, forms.CheckboxInput):
                    widget.attrs.setdefault("class", "form-check-input")
                else:
                    widget.attrs.setdefault("class", "form-control")
        return form
