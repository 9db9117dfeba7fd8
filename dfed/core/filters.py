"""Filter forms above lists and dashboards: a FilterSet base and the crispy helper that lays
any GET filter form out as one row of labelled columns; and searches kept out of the URL: an
identifier typed into a list's search box (an ID, certificate, phone or account number) is
posted (``private_search``), kept in the session under a short token, and the list's URL
carries the token (``?qk=…``) instead of the number — so the number stays out of the browser's
history and of every proxy's access log."""

import secrets

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

FILTER_COLUMN = "col-6 col-md-3 col-xl-2"
PRIVATE_QUERY_PARAM = "qk"
PRIVATE_QUERIES_SESSION_KEY = "private_queries"
PRIVATE_QUERIES_KEPT = 20  # per session; the oldest go first


def private_query_keep(request, query: str) -> str:
    """Keep ``query`` in the session; returns its token (for ``?qk=``)."""
    kept = dict(request.session.get(PRIVATE_QUERIES_SESSION_KEY, {}))
    token = secrets.token_urlsafe(9)
    kept[token] = query
    while len(kept) > PRIVATE_QUERIES_KEPT:
        kept.pop(next(iter(kept)))
    request.session[PRIVATE_QUERIES_SESSION_KEY] = kept
    return token


def private_query_get(request, token: str) -> str | None:
    """The query kept under ``token`` in this session, or None."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    return session.get(PRIVATE_QUERIES_SESSION_KEY, {}).get(token)


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

    ``?qk=<token>`` in the data stands for the search ``q`` kept in the session
    (``private_query_keep``); an unknown one (a session that ended) is no search.
    """

    def __init__(self, data=None, *args, request=None, **kwargs):
        token = data.get(PRIVATE_QUERY_PARAM) if data is not None else None
        if token and request is not None and not data.get("q"):
            data = data.copy()
            data["q"] = private_query_get(request, token) or ""
        super().__init__(data, *args, request=request, **kwargs)

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.empty_label = _("全部")
            form.helper = FilterFormHelper(form)
        return form
