"""Homes, members, service records and coverage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from dfed.core.views import FilteredListView, ServiceFormView, run_service

from .. import selectors, services
from ..filters import HomeFilter, ServiceRecordFilter
from ..forms import (
    AssessmentCreateForm,
    HomeForm,
    MembershipCreateForm,
    MembershipJoinForm,
    MembershipLeaveForm,
    ServiceRecordForm,
)
from ..models import STAR_LABELS, Home, Membership
from .base import Perm


class HomeListView(FilteredListView):
    permission_required = "homes.view_home"
    template_name = "homes/home_list.html"
    filterset_class = HomeFilter
    sort_fields = {
        "name": "name",
        "town": "town__code",
        "star": "current_star",
        "capacity": "capacity",
    }

    def base_queryset(self):
        return selectors.home_list_visible_to(self.request.user)

    def export_table(self, queryset):
        headers = [_("名称"), _("镇街道"), _("社区村"), _("地址"), _("建筑面积（㎡）")]
        headers += [_("开办日期"), _("运营方式"), _("可容纳人数"), _("在册成员"), _("提供服务")]
        headers += [_("当前星级"), _("联系人"), _("联系电话"), _("状态")]
        rows = (
            [
                h.name,
                h.town.name,
                h.community.name,
                h.address,
                h.floor_area,
                h.opened_on,
                h.get_operator_display(),
                h.capacity,
                h.member_count or 0,
                "、".join(s.name for s in h.services.all()),
                str(STAR_LABELS[h.current_star]) if h.current_star else _("未评定"),
                h.contact_name,
                h.contact_phone,
                h.get_status_display(),
            ]
            for h in queryset
        )
        return "homes.xlsx", _("残疾人之家"), headers, rows, (12,)


class HomeDetailView(Perm, View):
    permission_required = "homes.view_home"

    def get(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        context = {
            "home": home,
            "members": selectors.home_members_current(home=home),
            "past_members": selectors.home_members_past(home=home)[:50],
            "records": selectors.service_record_list_for_home(home=home)[:10],
            "assessments": home.assessments.order_by("-year"),
            "join_form": MembershipJoinForm(user=request.user),
            "leave_form": MembershipLeaveForm(),
            "assess_form": AssessmentCreateForm(),
            "history": home.history.select_related("history_user")[:10],
        }
        return render(request, "homes/home_detail.html", context)


class HomeFormView(ServiceFormView):
    template_name = "homes/home_form.html"
    form_class = HomeForm
    form_user_kwarg = "user"

    def get_form_kwargs(self):
        pk = self.kwargs.get("pk")
        self.home = selectors.home_get_visible(user=self.request.user, pk=pk) if pk else None
        return {**super().get_form_kwargs(), "instance": self.home}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which sets self.home
        context["home"] = self.home
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.home is None:
            return services.home_create(by=self.request.user, **data)
        return services.home_update(home=self.home, by=self.request.user, **data)

    def get_success_message(self, form):
        return _("已保存 %(n)s") % {"n": form.cleaned_data["name"]}

    def get_success_url(self):
        return reverse("homes:home-detail", args=[(self.home or self.result).pk])


class HomeCreateView(HomeFormView):
    permission_required = "homes.add_home"


class HomeUpdateView(HomeFormView):
    permission_required = "homes.change_home"


class MembershipJoinView(Perm, View):
    permission_required = "homes.add_membership"

    def post(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        form = MembershipJoinForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("请选择残疾人并填写加入日期"))
            return redirect("homes:home-detail", pk=home.pk)
        text = form.cleaned_data["id_number"]
        person = form.cleaned_data["person"] or selectors.person_find_for_membership(
            user=request.user, text=text
        )
        if person is None:
            messages.error(request, _("在您可查看的在册人员中找不到：%(n)s") % {"n": text})
            return redirect("homes:home-detail", pk=home.pk)
        run_service(
            request,
            lambda: services.membership_join(
                home=home, person=person, joined_on=form.cleaned_data["joined_on"], by=request.user
            ),
            _("%(p)s 已加入") % {"p": person.name},
        )
        return redirect("homes:home-detail", pk=home.pk)


class MembershipCreateView(ServiceFormView):
    """Join a person to a home chosen on the page; ``?person=<pk>`` (from the person page)
    preselects the person, and the homes of the person's town come first."""

    permission_required = "homes.add_membership"
    template_name = "homes/membership_form.html"
    form_class = MembershipCreateForm
    form_user_kwarg = "user"

    def get_initial(self):
        return {"person": self.request.GET.get("person")}

    def get_form_kwargs(self):
        homes = selectors.home_list_visible_to(self.request.user).filter(status=Home.Status.OPEN)
        return {**super().get_form_kwargs(), "homes": homes.order_by("town__code", "name")}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if form.preselected is not None:
            town = form.preselected.town_id
            form.fields["home"].queryset = form.fields["home"].queryset.order_by(
                Case(When(town_id=town, then=0), default=1), "town__code", "name"
            )
        return form

    def perform(self, form):
        data = form.cleaned_data
        person = data["person"] or selectors.person_find_for_membership(
            user=self.request.user, text=data["id_number"]
        )
        if person is None:
            raise ValidationError(
                {"id_number": _("在您可查看的在册人员中找不到：%(n)s") % {"n": data["id_number"]}}
            )
        return services.membership_join(
            home=data["home"], person=person, joined_on=data["joined_on"], by=self.request.user
        )

    def get_success_message(self, form):
        return _("%(p)s 已加入 %(h)s") % {"p": self.result.person.name, "h": self.result.home.name}

    def get_success_url(self):
        return reverse("homes:home-detail", args=[self.result.home_id])


class MembershipLeaveView(Perm, View):
    permission_required = "homes.change_membership"

    def post(self, request, pk):
        visible = selectors.home_list_visible_to(request.user)
        membership = get_object_or_404(Membership.objects.filter(home__in=visible), pk=pk)
        form = MembershipLeaveForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: services.membership_leave(
                    membership=membership,
                    left_on=form.cleaned_data["left_on"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                ),
                _("%(p)s 已退出") % {"p": membership.person.name},
            )
        else:
            messages.error(request, _("请填写退出日期"))
        return redirect("homes:home-detail", pk=membership.home_id)


class ServiceRecordCreateView(ServiceFormView):
    permission_required = "homes.add_servicerecord"
    template_name = "homes/servicerecord_form.html"
    form_class = ServiceRecordForm
    success_message = gettext_lazy("服务记录已保存")

    def get_form_kwargs(self):
        self.home = selectors.home_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        return {
            **super().get_form_kwargs(),
            "members": selectors.home_member_people(home=self.home),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which sets self.home
        context["home"] = self.home
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.service_record_create(
            home=self.home,
            by=self.request.user,
            date=data["date"],
            service_type=data["service_type"],
            hours=data["hours"],
            staff=data["staff"],
            attendees=[p.pk for p in data["attendees"]],
            note=data["note"],
        )

    def get_success_url(self):
        return reverse("homes:home-detail", args=[self.home.pk])


class ServiceRecordListView(FilteredListView):
    permission_required = "homes.view_servicerecord"
    template_name = "homes/servicerecord_list.html"
    filterset_class = ServiceRecordFilter
    sort_fields = {"date": "date", "hours": "hours"}

    def base_queryset(self):
        return selectors.service_record_list_visible_to(self.request.user)

    def export_table(self, queryset):
        headers = [_("日期"), _("镇街道"), _("残疾人之家"), _("服务类型"), _("时长（小时）")]
        headers += [_("参加人数"), _("服务人员"), _("备注")]
        rows = (
            [
                r.date,
                r.home.town.name,
                r.home.name,
                r.service_type.name,
                r.hours,
                r.attendee_count,
                r.staff,
                r.note,
            ]
            for r in queryset
        )
        return "service-records.xlsx", _("服务记录"), headers, rows, ()


class CoverageView(Perm, TemplateView):
    permission_required = "homes.view_home"
    template_name = "homes/coverage.html"

    def get_context_data(self, **kwargs):
        rows, summary = selectors.home_coverage(user=self.request.user)
        return super().get_context_data(rows=rows, summary=summary, **kwargs)
