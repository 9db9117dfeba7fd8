"""Shared view helpers: the health probe, the private search (``private_search``), a filtered,
sorted, paginated, exportable list, the service-form view (``ServiceFormView``), and the one
way a view reports a service's ``ValidationError`` (``error_text``, ``add_service_error``,
``run_service``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import connections
from django.http import Http404, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from .filters import PRIVATE_QUERY_PARAM, private_query_keep
from .masking import FullViewLogMixin
from .pagination import CappedPaginator


def database_status(alias: str = "default") -> tuple[bool, str]:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
        return False, f"{type(exc).__name__}: {exc}"[:200]


def broker_status() -> tuple[bool | None, str]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        return None, "eager"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"[:200]


def healthz(request):
    """200 with the database and broker status when the database answers, else 503."""
    db_ok, db_detail = database_status()
    broker_ok, broker_detail = broker_status()
    body = {
        "status": "ok" if db_ok and broker_ok is not False else ("degraded" if db_ok else "down"),
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
        "time": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=200 if db_ok else 503)


class FilteredListView(FullViewLogMixin, LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """A list read through a scoped selector, narrowed by a django-filter FilterSet, sortable by
    whitelisted columns, paginated, and exported to xlsx with ``?export=xlsx``.

    Subclasses set ``filterset_class``, ``sort_fields`` ({param: ORM ordering}) and implement
    ``base_queryset()`` (a selector call) and, to export, ``export_table(queryset)`` returning
    ``(filename, title, headers, rows, text_columns)``.
    """

    filterset_class = None
    # Rows show identifiers (ID, phone, bank) through reveal(): holders of view_sensitive see them
    # whole, so each page and export they get writes one access-log row (filter used, count).
    full_identifiers = False
    sort_fields: dict[str, str] = {}
    default_sort: str = ""
    paginate_by = settings.PAGE_SIZE
    paginator_class = CappedPaginator
    export_permission: str | None = None

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            queryset = self.filterset.qs if self.filterset.is_bound else queryset
        sort = self.request.GET.get("sort") or self.default_sort
        key = sort.lstrip("-")
        if key in self.sort_fields:
            field = self.sort_fields[key]
            queryset = queryset.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
        self.current_sort = sort
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            if type(self).export_table is FilteredListView.export_table:
                raise Http404
            from .xlsx import xlsx_response

            queryset = self.get_queryset()
            filename, title, headers, rows, text_columns = self.export_table(queryset)
            if self.full_identifiers:
                self.log_full_view(kind="export", count=queryset.count())
            response = xlsx_response(filename, title, headers, rows, text_columns=text_columns)
        else:
            response = super().get(request, *args, **kwargs)
            if self.full_identifiers:
                self.log_full_view(kind="list", count=len(response.context_data["object_list"]))
        return response

    def export_table(self, queryset):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["current_sort"] = self.current_sort
        return context


def server_error(request, template_name="500.html"):
    """The Chinese 500 page on base.html (with the portal's context when it can still be built).

    Django's own handler renders 500.html without the request, so the header would lose the
    portal name and language switch; when rendering with the request fails too, that bare
    rendering is the fallback.
    """
    from django.http import HttpResponseServerError
    from django.shortcuts import render
    from django.views.defaults import server_error as django_server_error

    try:
        response = render(request, template_name, status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail in its turn
        return django_server_error(request, template_name)
    return HttpResponseServerError(response.content)


def error_text(exc: ValidationError) -> str:
    """A service's ValidationError as one line for a message (its messages joined by "；")."""
    return "；".join(exc.messages)


def add_service_error(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to ``form``: on the field it names when the form has
    that field, else as a non-field error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def run_service(request, call, success: str) -> bool:
    """Call ``call()`` (a service call without a form); show ``success`` or the ValidationError's
    messages. True on success; any other exception propagates."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def action_allowed(request, obj, name: str) -> bool:
    """Whether ``obj``'s page offers the pipeline step ``name`` to the user now
    (``obj.action_check``); if not, the reason is shown as a message and False returned.
    Raises: ``PermissionDenied`` (Django's 403) without the step's permission or town."""
    try:
        obj.action_check(request.user, name)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    return True


class ServiceFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """A page with one form whose valid input goes to one service call.

    GET renders ``form_class`` (with ``get_form_kwargs()``; set ``form_user_kwarg = "user"`` to
    pass the request's user to the form). POST validates; a valid form goes to
    ``perform(form)``, which calls the service and returns what it made (kept as
    ``self.result``). Then ``success_message`` (formatted with ``get_success_message``) is shown
    and the browser goes to ``get_success_url()``. A ``ValidationError`` from the service becomes
    form errors (``add_service_error``: on the field it names, else non-field) and the page is
    shown again with status 400, as is an invalid form. ``PermissionDenied`` is not caught:
    Django answers 403.
    """

    form_user_kwarg: str | None = None
    success_message = ""
    result = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_user_kwarg:
            kwargs[self.form_user_kwarg] = self.request.user
        return kwargs

    def perform(self, form):
        """Call the service with ``form.cleaned_data``; return what it made (or None)."""
        raise NotImplementedError

    def get_success_message(self, form) -> str:
        return str(self.success_message)

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        message = self.get_success_message(form)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_POST
def private_search(request):
    """POST from a list's filter form whose search is an identifier (static/js/private-search.js):
    keep ``q`` in the session and redirect to the list (``next``, a path on this site) with the
    form's other fields and ``qk=<token>`` in place of ``q``. Needs a logged-in user."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target = request.POST.get("next") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    params = QueryDict(mutable=True)
    for key, values in request.POST.lists():
        if key in ("q", "next", "page", "csrfmiddlewaretoken", PRIVATE_QUERY_PARAM):
            continue
        params.setlist(key, [v for v in values if v != ""])
    query = request.POST.get("q", "").strip()
    if query:
        params[PRIVATE_QUERY_PARAM] = private_query_keep(request, query)
    encoded = params.urlencode()
    return HttpResponseRedirect(f"{target.split('?', 1)[0]}?{encoded}" if encoded else target)
