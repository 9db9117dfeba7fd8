"""Daily attendance (phone-sized) and the monthly and yearly figures."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from dfed.core.months import month_label, month_parse
from dfed.core.views import error_text
from dfed.core.xlsx import XlsxWriter, xlsx_response

from .. import selectors, services
from ..forms import AttendancePickForm
from ..models import Home
from .base import Perm


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
                present_count=len(present),
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
            messages.error(request, error_text(exc))
            return render(request, self.template_name, context, status=400)
        messages.success(
            request,
            _("已保存 %(d)s 出勤：%(n)d 人到场")
            % {"d": context["day"].isoformat(), "n": result["present"]},
        )
        home, day = context["home"].pk, context["day"].isoformat()
        return redirect(f"{request.path}?home={home}&date={day}")


class HomeAttendanceMonthView(Perm, View):
    """One home's attendance ledger for a month (members × days), on a page or as xlsx."""

    permission_required = "homes.view_attendance"

    def get(self, request, pk):
        home = selectors.home_get_visible(user=request.user, pk=pk)
        try:
            month = month_parse(request.GET.get("month") or timezone.localdate())
        except ValidationError:
            month = timezone.localdate().replace(day=1)
        sheet = selectors.home_attendance_month(home=home, month=month)
        if request.GET.get("export") == "xlsx":
            headers = [_("姓名"), *[str(d.day) for d in sheet.days], _("合计")]
            rows = [
                [person.name, *["√" if m else "" for m in marks], total]
                for person, marks, total in sheet.rows
            ]
            totals = [_("合计"), *sheet.day_totals, sheet.total]
            return xlsx_response(
                f"attendance-{home.pk}-{month:%Y-%m}.xlsx",
                f"{month_label(month)}",
                headers,
                rows,
                totals=totals,
            )
        context = {"home": home, "month": month, "sheet": sheet}
        return render(request, "homes/attendance_month.html", context)


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
