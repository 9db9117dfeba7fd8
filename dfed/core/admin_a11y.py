"""Django admin helpers for accessibility."""


class LabelledListEditableMixin:
    """Give each ``list_editable`` input of a changelist an accessible name (its field's label):
    Django renders them under a column header with no ``<label>``, which screen readers (and
    axe's ``label`` rule) cannot tie to the input."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        for name in self.list_editable:
            field = formset.form.base_fields.get(name)
            if field is not None:
                field.widget.attrs.setdefault("aria-label", str(field.label))
        return formset
