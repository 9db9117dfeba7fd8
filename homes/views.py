from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from dfed.core.months import month_label, month_parse
from dfed.core.views import FilteredListView
from dfed.core.xlsx import XlsxWriter

from . import selectors, services
from .filters import AssessmentFilter, HomeFilter
from .forms import (
    AssessmentCreateForm,
    AttendancePickForm,
    HomeForm,
    MembershipJoinForm,
    MembershipLeaveForm,
    ReturnForm,
    ScoreSheetForm,
    ServiceRecordForm,
)
from .models import STAR_LABELS, Home, Membership, StarAssessment


class Perm(LoginRequiredMixin, PermissionRequiredMixin):
    pass


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- Homes ----------------------------------------------------------------------------------


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
            "records": selectors.service_record_list_for_home(home=home)[:10],
            "assessments": home.assessments.order_by("-year"),
            "join_form": MembershipJoinForm(),
            "leave_form": MembershipLeaveForm(),
            "assess_form": AssessmentCreateForm(),
            "history": home.history.select_related("history_user")[:10],
        }
        return render(request, "homes/home_detail.html", context)


class HomeFormView(Perm, View):
    template_name = "homes/home_form.html"

    def get_home(self):
        pk = self.kwargs.get("pk")
        return selectors.home_get_visible(user=self.request.user, pk=pk) if pk else None

    def get(self, request, pk=None):
        home = self.get_home()
        form = HomeForm(instance=home, user=request.user)
        return render(request, self.template_name, {"form": form, "home": home})

    def post(self, request, pk=None):
        home = self.get_home()
        form = HomeForm(request.POST, instance=home, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if home is None:
                    home = services.home_create(by=request.user, **data)
                else:
                    services.home_update(home=home, by=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存 %(n)s") % {"n": home.name})
                return redirect("homes:home-detail", pk=home.pk)
        return render(request, self.template_name, {"form": form, "home": home}, status=400)


class HomeCreateView(HomeFormView):
    permission_required = "homes.add_home"


class HomeUpdateView(HomeFormView):
    permission_required = "homes.change_home"


class MembershipJoinView(Perm, View):
    permission_required = "homes.add_membership"

    def post(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        form = MembershipJoinForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写身份证号和加入日期"))
            return redirect("homes:home-detail", pk=home.pk)
        text = form.cleaned_data["id_number"]
        person = selectors.person_find_for_membership(user=request.user, text=text)
        if person is None:
            messages.error(request, _("在您可查看的在册人员中找不到：%(n)s") % {"n": text})
            return redirect("homes:home-detail", pk=home.pk)
        try:
            services.membership_join(
                home=home, person=person, joined_on=form.cleaned_data["joined_on"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("%(p)s 已加入") % {"p": person.name})
        return redirect("homes:home-detail", pk=home.pk)


class MembershipLeaveView(Perm, View):
    permission_required = "homes.change_membership"

    def post(self, request, pk):
        visible = selectors.home_list_visible_to(request.user)
        membership = get_object_or_404(Membership.objects.filter(home__in=visible), pk=pk)
        form = MembershipLeaveForm(request.POST)
        if form.is_valid():
            try:
                services.membership_leave(
                    membership=membership,
                    left_on=form.cleaned_data["left_on"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("%(p)s 已退出") % {"p": membership.person.name})
        else:
            messages.error(request, _("请填写退出日期"))
        return redirect("homes:home-detail", pk=membership.home_id)


class ServiceRecordCreateView(Perm, View):
    permission_required = "homes.add_servicerecord"
    template_name = "homes/servicerecord_form.html"

    def form(self, home, data=None):
        return ServiceRecordForm(data, members=selectors.home_member_people(home=home))

    def get(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        return render(request, self.template_name, {"form": self.form(home), "home": home})

    def post(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        form = self.form(home, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.service_record_create(
                    home=home,
                    by=request.user,
                    date=data["date"],
                    service_type=data["service_type"],
                    hours=data["hours"],
                    staff=data["staff"],
                    attendees=[p.pk for p in data["attendees"]],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("服务记录已保存"))
                return redirect("homes:home-detail", pk=home.pk)
        return render(request, self.template_name, {"form": form, "home": home}, status=400)


class CoverageView(Perm, TemplateView):
    permission_required = "homes.view_home"
    template_name = "homes/coverage.html"

    def get_context_data(self, **kwargs):
        rows, summary = selectors.home_coverage(user=self.request.user)
        return super().get_context_data(rows=rows, summary=summary, **kwargs)


# --- Attendance and figures -----------------------------------------------------------------


class AttendanceView(Perm, View):
    """Pick a home and a day, tick who is present, save: built for a phone."""

    permission_required = "homes.add_attendance"
    template_name = "homes/attendance.html"

    def context(self, request, source):
        homes = selectors.home_list_visible_to(request.user).filter(status=Home.Status.OPEN)
        data = {"date": timezone.localdate().isoformat(), **source.dict()}
        if "home" not in data and homes.count() == 1:
            data["home"] = str(homes.get().pk)
        pick = AttendancePickForm(data, homes=homes)
        context = {"pick": pick, "members": None}
        if "home" in data and pick.is_valid():
            home, day = pick.cleaned_data["home"], pick.cleaned_data["date"]
            present = selectors.home_attendance_on(home=home, day=day)
            context.update(
                home=home,
                day=day,
                members=[
                    (m.person, m.person_id in present)
                    for m in selectors.home_members_on(home=home, day=day)
                ],
            )
        return context

    def get(self, request):
        return render(request, self.template_name, self.context(request, request.GET))

    def post(self, request):
        context = self.context(request, request.POST)
        if context["members"] is None:
            return render(request, self.template_name, context, status=400)
        present = [v for v in request.POST.getlist("present") if v.isdigit()]
        try:
            result = services.attendance_save(
                home=context["home"], day=context["day"], present=present, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return render(request, self.template_name, context, status=400)
        messages.success(
            request,
            _("已保存 %(d)s 出勤：%(n)d 人到场")
            % {"d": context["day"].isoformat(), "n": result["present"]},
        )
        home, day = context["home"].pk, context["day"].isoformat()
        return redirect(f"{request.path}?home={home}&date={day}")


class FiguresView(Perm, View):
    permission_required = "homes.view_home"

    def get(self, request):
        today = timezone.localdate()
        try:
            month = month_parse(request.GET.get("month") or today.replace(day=1))
        except ValidationError:
            month = today.replace(day=1)
        try:
            year = int(request.GET.get("year") or month.year)
        except ValueError:
            year = month.year
        types = list(selectors.service_type_list())
        rows = selectors.home_monthly_figures(user=request.user, month=month)
        if request.GET.get("export") == "xlsx":
            return self.export(month, year, types, rows)
        served = selectors.people_served_by_service_type(user=request.user, year=year)
        table = [(r, [r.hours_by_type.get(t.code, 0) for t in types]) for r in rows]
        context = {"month": month, "year": year, "types": types, "table": table}
        context.update(served=served, totals=self.totals(rows, types))
        return render(request, "homes/figures.html", context)

    @staticmethod
    def totals(rows, types):
        return [
            sum(r.members for r in rows),
            sum(r.attendance_days for r in rows),
            *[sum(r.hours_by_type.get(t.code, 0) for r in rows) for t in types],
            sum(r.total_hours for r in rows),
        ]

    def export(self, month: date, year: int, types, rows):
        headers = [_("镇街道"), _("残疾人之家"), _("成员数"), _("出勤人次")]
        headers += [_("%(t)s（小时）") % {"t": t.name} for t in types] + [_("服务总时长")]
        body = [
            [r.home.town.name, r.home.name, r.members, r.attendance_days]
            + [r.hours_by_type.get(t.code, 0) for t in types]
            + [r.total_hours]
            for r in rows
        ]
        writer = XlsxWriter()
        writer.sheet(
            month_label(month), headers, body, totals=[_("合计"), "", *self.totals(rows, types)]
        )
        served = selectors.people_served_by_service_type(user=self.request.user, year=year)
        writer.sheet(
            _("%(y)d年服务人数") % {"y": year},
            [_("服务类型"), _("服务人数（去重）")],
            [[t.name if t else _("合计（去重）"), n] for t, n in served],
        )
        return writer.response(f"homes-{month:%Y-%m}.xlsx")


# --- Assessments ----------------------------------------------------------------------------


class AssessmentListView(FilteredListView):
    permission_required = "homes.view_starassessment"
    template_name = "homes/assessment_list.html"
    filterset_class = AssessmentFilter
    sort_fields = {"year": "year", "home": "home__name", "total": "total"}
    default_sort = "-year"

    def base_queryset(self):
        return selectors.assessment_list_visible_to(self.request.user)

    def export_table(self, queryset):
        headers = [_("年度"), _("镇街道"), _("残疾人之家"), _("总分"), _("星级"), _("状态")]
        rows = (
            [
                a.year,
                a.home.town.name,
                a.home.name,
                a.total,
                a.get_star_level_display() or "",
                a.get_status_display(),
            ]
            for a in queryset
        )
        return "star-assessments.xlsx", _("星级评定"), headers, rows, ()


class AssessmentCreateView(Perm, View):
    permission_required = "homes.add_starassessment"

    def post(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        form = AssessmentCreateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写正确的年度"))
            return redirect("homes:home-detail", pk=home.pk)
        try:
            assessment = services.assessment_create(home=home, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("homes:home-detail", pk=home.pk)
        messages.success(request, _("已建立评定表，请逐项评分"))
        return redirect("homes:assessment-detail", pk=assessment.pk)


class AssessmentDetailView(Perm, View):
    permission_required = "homes.view_starassessment"
    template_name = "homes/assessment_detail.html"

    def render_page(self, request, assessment, sheet=None, status=200):
        user = request.user
        can_score = assessment.is_editable and user.has_perm("homes.change_starassessment")
        sheet = sheet or (ScoreSheetForm(assessment=assessment) if can_score else None)
        sections = selectors.assessment_scores_by_section(assessment=assessment)
        if sheet is not None:
            fields = {line.item_id: (score, remark) for line, score, remark in sheet.rows()}
            for _label, lines, _max, _score in sections:
                for line in lines:
                    line.score_field, line.remark_field = fields[line.item_id]
        context = {
            "assessment": assessment,
            "result": services.assessment_result(assessment),
            "sections": sections,
            "sections_total": sum(max_points for _l, _s, max_points, _p in sections),
            "sheet": sheet,
            "can_submit": can_score,
            "can_decide": assessment.status == StarAssessment.Status.SUBMITTED
            and user.has_perm("homes.approve_starassessment"),
            "own": user.pk in (assessment.created_by_id, assessment.submitted_by_id),
            "return_form": ReturnForm(),
            "history": assessment.history.select_related("history_user")[:10],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        assessment = selectors.assessment_get_visible(user=request.user, pk=pk)
        return self.render_page(request, assessment)

    def post(self, request, pk):
        """Save the score sheet."""
        if not request.user.has_perm("homes.change_starassessment"):
            return self.handle_no_permission()
        assessment = selectors.assessment_get_visible(user=request.user, pk=pk)
        sheet = ScoreSheetForm(request.POST, assessment=assessment)
        if sheet.is_valid():
            try:
                services.assessment_score(
                    assessment=assessment,
                    by=request.user,
                    scores=sheet.scores(),
                    assessors=sheet.cleaned_data["assessors"],
                )
            except ValidationError as exc:
                sheet.add_error(None, exc)
            else:
                messages.success(request, _("评分已保存"))
                return redirect("homes:assessment-detail", pk=assessment.pk)
        return self.render_page(request, assessment, sheet=sheet, status=400)


class AssessmentActionView(Perm, View):
    """Submit, approve or return: one service call, a message, back to the sheet."""

    action = ""
    done = ""

    def post(self, request, pk):
        assessment = selectors.assessment_get_visible(user=request.user, pk=pk)
        kwargs = {"assessment": assessment, "by": request.user}
        if self.action == "return":
            kwargs["comment"] = request.POST.get("comment", "")
        try:
            getattr(services, f"assessment_{self.action}")(**kwargs)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, self.done)
        return redirect("homes:assessment-detail", pk=assessment.pk)


class AssessmentSubmitView(AssessmentActionView):
    permission_required = "homes.change_starassessment"
    action = "submit"
    done = gettext_lazy("已提交审定")


class AssessmentApproveView(AssessmentActionView):
    permission_required = "homes.approve_starassessment"
    action = "approve"
    done = gettext_lazy("已审定，星级已生效")


class AssessmentReturnView(AssessmentActionView):
    permission_required = "homes.approve_starassessment"
    action = "return"
    done = gettext_lazy("已退回")


class TemplateListView(Perm, TemplateView):
    permission_required = "homes.view_starassessmenttemplate"
    template_name = "homes/template_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(templates=selectors.template_list(), **kwargs)


class TemplateDetailView(Perm, TemplateView):
    permission_required = "homes.view_starassessmenttemplate"
    template_name = "homes/template_detail.html"

    def get_context_data(self, **kwargs):
        template = selectors.template_get(pk=self.kwargs["pk"])
        items = template.items.order_by("order", "pk")
        total = sum(i.max_points for i in items)
        return super().get_context_data(template=template, items=items, total=total, **kwargs)
