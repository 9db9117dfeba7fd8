"""区内迁移: the requests, asking for one, and deciding it."""

from django.contrib import messages
from django.contrib.auth.mixins import (
    LoginRequiredMixin,
    PermissionRequiredMixin,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from dfed.core.scoping import user_sees_district
from dfed.core.views import FilteredListView, run_service

from ..forms import (
    PersonTransferDecisionForm,
    PersonTransferForm,
)
from ..selectors import (
    person_transfer_list_visible_to,
)
from ..services import (
    person_transfer_decide,
    person_transfer_request,
)


class PersonTransferListView(FilteredListView):
    """区内迁移 requests: into the user's towns, or all of them for the district's reviewers."""

    permission_required = "people.view_persontransfer"
    template_name = "people/persontransfer_list.html"

    def base_queryset(self):
        return person_transfer_list_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["district"] = user_sees_district(self.request.user)
        context["decision_form"] = PersonTransferDecisionForm()
        return context


class PersonTransferCreateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.add_persontransfer"

    def post(self, request):
        form = PersonTransferForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("请选择迁入的社区（村）"))
        elif run_service(
            request,
            lambda: person_transfer_request(by=request.user, **form.cleaned_data),
            _("已提交区内迁移申请，待区残联审核"),
        ):
            return redirect("people:transfer-list")
        return redirect("people:person-create")


class PersonTransferDecideView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.approve_persontransfer"

    def post(self, request, pk, action):
        if action not in ("approve", "reject"):
            raise Http404
        transfer = get_object_or_404(person_transfer_list_visible_to(request.user), pk=pk)
        form = PersonTransferDecisionForm(request.POST)
        form.is_valid()

        def decide():
            transfer.action_check(request.user, action)  # what the list offers
            person_transfer_decide(
                transfer=transfer,
                by=request.user,
                approve=action == "approve",
                note=form.cleaned_data.get("note", ""),
            )

        run_service(request, decide, _("已处理区内迁移申请"))
        return redirect("people:transfer-list")
