"""The person picker: wherever a form needs a person, a search-as-you-type box that finds people
by name or ID number (Tom Select, vendored in static/vendor/tom-select, set up by
static/js/person-picker.js from the widget's data- attributes; no inline script).

- One JSON endpoint, ``people:person-lookup`` (:class:`PersonLookupView`), reads through
  ``selectors.person_lookup`` and so through ``person_search``: the user's towns only, ID numbers
  through ``reveal`` (masked without ``people.view_sensitive``, whose holders' looks are logged
  like a list's), and for users without that permission a number matches only whole.
- :class:`PersonPicker` renders only the chosen person, never the registry.
- :class:`PersonChoiceField` validates the posted pk against the people the user may see, so a
  pk from another town is refused like any invalid choice.
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dfed.core.masking import FullViewLogMixin, Sensitive, can_view_sensitive, reveal

from .models import Person
from .selectors import person_list_visible_to, person_lookup

QUERY_MAX_LENGTH = 50


def person_picker_details(person: Person, *, viewer) -> str:
    """「330199********1234 · 城关街道」, and the status when not in register (死亡, 迁出)."""
    parts = [reveal(person.id_number, kind=Sensitive.ID, viewer=viewer)]
    if person.town_id:
        parts.append(person.town.name)
    if person.status != Person.Status.ACTIVE:
        parts.append(person.get_status_display())
    return " · ".join(parts)


def person_picker_label(person: Person, *, viewer) -> str:
    """「张三（330199********1234 · 城关街道）」: the name and :func:`person_picker_details`."""
    return _("%(name)s（%(details)s）") % {
        "name": person.name,
        "details": person_picker_details(person, viewer=viewer),
    }


class PersonPicker(forms.Select):
    """A ``<select>`` holding only the chosen person; the script turns it into the search box
    and fills it from ``people:person-lookup`` as the user types. ``active_only``: offer
    in-register people only."""

    def __init__(self, attrs=None, *, active_only: bool = False):
        super().__init__(attrs)
        self.active_only = active_only

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("people:person-lookup") + ("?active=1" if self.active_only else "")
        context["widget"]["attrs"].update(
            {
                "data-person-picker": "",
                "data-lookup-url": url,
                "data-placeholder": _("输入姓名或身份证号查找"),
                "data-loading": _("正在查找……"),
                "data-no-results": _("没有找到。请换个写法，或输入完整的身份证号。"),
                "data-chosen": _("已选择：{person}"),
                "data-found": _("找到 {count} 人，用上下方向键选择"),
                "autocomplete": "off",
            }
        )
        return context

    def optgroups(self, name, value, attrs=None):
        """The empty choice and the chosen person (one query by pk, never the whole queryset)."""
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        options = [self.create_option(name, "", "", not chosen, 0)]
        if chosen:
            field = self.choices.field
            pks = [pk for pk in chosen if pk.isdigit()]
            for person in field.queryset.filter(pk__in=pks):
                label = field.label_from_instance(person)
                options.append(self.create_option(name, str(person.pk), label, True, len(options)))
        return [(None, options, 0)]


class PersonChoiceField(forms.ModelChoiceField):
    """A person among those ``user`` may see, chosen with :class:`PersonPicker`."""

    default_error_messages = {
        "required": gettext_lazy("请选择残疾人"),
        "invalid_choice": gettext_lazy("请从查找结果中选择您可查看的残疾人"),
    }

    def __init__(self, *, user, active_only: bool = False, **kwargs):
        kwargs.setdefault("label", gettext_lazy("残疾人"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("输入姓名或身份证号（可只输入部分号码），从列表中选择")
            if can_view_sensitive(user)
            else gettext_lazy("输入姓名或完整的身份证号，从列表中选择"),
        )
        super().__init__(
            queryset=person_list_visible_to(user),
            widget=PersonPicker(active_only=active_only),
            empty_label="",
            **kwargs,
        )
        self.viewer = user

    def label_from_instance(self, obj):
        return person_picker_label(obj, viewer=self.viewer)


class PersonLookupView(FullViewLogMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    """The picker's JSON: ``?q=`` a name or an ID / certificate number, ``&active=1`` for
    in-register people only. Answers ``{"results": [{"value": pk, "text": label, "name": …,
    "details": …}]}``, at most ``selectors.PERSON_LOOKUP_LIMIT`` people, best first."""

    permission_required = "people.view_person"
    raise_exception = True  # a script gets 403, not the login page

    def get(self, request):
        user = request.user
        people = person_lookup(
            user=user,
            text=request.GET.get("q", "")[:QUERY_MAX_LENGTH],
            active_only=request.GET.get("active") == "1",
        )
        if people:
            self.log_full_view(kind="list", count=len(people))
        results = [
            {
                "value": str(p.pk),
                "text": person_picker_label(p, viewer=user),
                "name": p.name,
                "details": person_picker_details(p, viewer=user),
            }
            for p in people
        ]
        return JsonResponse({"results": results})
