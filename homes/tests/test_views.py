from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from homes import services
from homes.models import Attendance, Home, Membership, ServiceType, StarAssessment
from homes.tests.factories import HomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(home_a, person_factory, areas, caseworker):
    person = person_factory(name="张三", community=areas["community_a1"])
    services.membership_join(home=home_a, person=person, joined_on=date(2026, 1, 1), by=caseworker)
    return person


def submitted(home, by, points=(20, 20, 20, 20, 20)):
    assessment = services.assessment_create(home=home, year=2026, by=by)
    lines = list(assessment.scores.order_by("item__order"))
    services.assessment_score(
        assessment=assessment,
        by=by,
        scores={line.item_id: (Decimal(p), "") for line, p in zip(lines, points, strict=True)},
    )
    return services.assessment_submit(assessment=assessment, by=by)


def test_home_list_filters_and_is_scoped(client, caseworker, reviewer, home_a, home_b, template):
    client.force_login(caseworker)
    page = client.get(reverse("homes:home-list")).content.decode()
    assert "A镇阳光家园" in page
    assert "B镇阳光家园" not in page
    client.force_login(reviewer)
    page = client.get(reverse("homes:home-list"), {"star": "none"}).content.decode()
    assert "A镇阳光家园" in page
    assert "B镇阳光家园" in page
    home_b.services.set(ServiceType.objects.filter(code="work"))
    work = ServiceType.objects.get(code="work")
    page = client.get(reverse("homes:home-list"), {"service": work.pk}).content.decode()
    assert "B镇阳光家园" in page
    assert "A镇阳光家园" not in page
    page = client.get(reverse("homes:home-list"), {"star": "5"}).content.decode()
    assert "阳光家园" not in page


def test_home_list_star_filter_and_export(client, reviewer, reviewer2, home_a, home_b, template):
    services.assessment_approve(assessment=submitted(home_a, reviewer2), by=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("homes:home-list"), {"star": "5"}).content.decode()
    assert "A镇阳光家园" in page
    assert "B镇阳光家园" not in page
    response = client.get(reverse("homes:home-list"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["A镇阳光家园"][10] == "五星"
    assert rows["B镇阳光家园"][10] == "未评定"


def test_caseworker_cannot_open_or_edit_other_towns_home(client, caseworker, home_b):
    client.force_login(caseworker)
    assert client.get(reverse("homes:home-detail", args=[home_b.pk])).status_code == 404
    assert client.get(reverse("homes:home-update", args=[home_b.pk])).status_code == 404
    response = client.post(reverse("homes:home-update", args=[home_b.pk]), {"name": "x"})
    assert response.status_code == 404


def test_caseworker_creates_home_only_in_own_town(client, caseworker, areas):
    client.force_login(caseworker)
    data = {
        "name": "新家园",
        "community": areas["community_b1"].pk,
        "operator": "public",
        "capacity": 20,
        "status": "open",
        "services": [ServiceType.objects.get(code="care").pk],
    }
    response = client.post(reverse("homes:home-create"), data)
    assert response.status_code == 400
    assert not Home.objects.filter(name="新家园").exists()
    data["community"] = areas["community_a2"].pk
    response = client.post(reverse("homes:home-create"), data)
    home = Home.objects.get(name="新家园")
    assert response.url == reverse("homes:home-detail", args=[home.pk])
    assert home.town == areas["town_a"]
    assert list(home.services.values_list("code", flat=True)) == ["care"]


def test_official_cannot_edit(client, official, home_a):
    client.force_login(official)
    assert client.get(reverse("homes:home-detail", args=[home_a.pk])).status_code == 200
    assert client.get(reverse("homes:home-update", args=[home_a.pk])).status_code == 403


def test_join_by_id_number_and_clear_error_for_second_home(
    client, caseworker, reviewer, home_a, areas, member
):
    other = HomeFactory(name="A镇二号家园", community=areas["community_a2"])
    client.force_login(caseworker)
    url = reverse("homes:membership-join", args=[other.pk])
    response = client.post(
        url, {"id_number": member.id_number, "joined_on": "2026-02-01"}, follow=True
    )
    assert "一人只能加入一个残疾人之家" in response.content.decode()
    assert Membership.objects.filter(person=member).count() == 1
    membership = Membership.objects.get(person=member)
    client.post(
        reverse("homes:membership-leave", args=[membership.pk]),
        {"left_on": "2026-01-31", "reason": "转入二号家园"},
    )
    response = client.post(
        url, {"id_number": member.id_number, "joined_on": "2026-02-01"}, follow=True
    )
    assert "张三 已加入" in response.content.decode()
    assert Membership.objects.get(person=member, left_on__isnull=True).home == other


def test_attendance_page_saves_the_day(client, caseworker, home_a, member):
    client.force_login(caseworker)
    url = reverse("homes:attendance")
    today = timezone.localdate().isoformat()
    page = client.get(url).content.decode()  # the only home is picked for her
    assert f'for="present-{member.pk}"' in page
    response = client.post(url, {"home": home_a.pk, "date": today, "present": [member.pk]})
    assert response.status_code == 302
    assert Attendance.objects.filter(person=member, date=today, home=home_a).exists()
    page = client.get(response.url).content.decode()
    assert "checked" in page
    client.post(url, {"home": home_a.pk, "date": today})
    assert not Attendance.objects.exists()


def test_attendance_other_towns_home_refused(client, caseworker, home_b):
    client.force_login(caseworker)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("homes:attendance"), {"home": home_b.pk, "date": today})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_assessment_page_shows_level_and_why_and_refuses_own_approval(
    client, reviewer, reviewer2, home_a, template
):
    assessment = submitted(home_a, reviewer, points=(0, 20, 20, 20, 20))
    client.force_login(reviewer)
    page = client.get(reverse("homes:assessment-detail", args=[assessment.pk])).content.decode()
    assert "二星" in page
    assert "必备项“消防验收”未达标" in page
    assert "不能审定自己的评定" in page
    assert "审定通过" not in page
    response = client.post(reverse("homes:assessment-approve", args=[assessment.pk]), follow=True)
    assert "评定人不能审定自己的评定" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == StarAssessment.Status.SUBMITTED
    client.force_login(reviewer2)
    client.post(reverse("homes:assessment-approve", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert (assessment.status, assessment.star_level) == ("approved", 2)


def test_score_sheet_saves_through_the_page(client, town_reviewer, home_a, template):
    client.force_login(town_reviewer)
    response = client.post(reverse("homes:assessment-create", args=[home_a.pk]), {"year": 2026})
    assessment = StarAssessment.objects.get(home=home_a)
    assert response.url == reverse("homes:assessment-detail", args=[assessment.pk])
    data = {"assessors": "王、李"}
    for line in assessment.scores.all():
        data[f"score_{line.item_id}"] = "18"
        data[f"remark_{line.item_id}"] = "略有不足"
    response = client.post(response.url, data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.total, assessment.star_level) == (Decimal("90"), 2)  # fire safety 18 < 20
    data[f"score_{line.item_id}"] = "25"
    assert client.post(response.url, data).status_code == 400


def test_caseworker_cannot_approve(client, caseworker, reviewer, home_a, template):
    assessment = submitted(home_a, reviewer)
    client.force_login(caseworker)
    assert client.post(reverse("homes:assessment-approve", args=[assessment.pk])).status_code == 403


def test_coverage_page_highlights_gap(client, reviewer, home_a):
    client.force_login(reviewer)
    page = client.get(reverse("homes:coverage")).content.decode()
    assert "尚无运营中的残疾人之家" in page
    assert "B镇" in page
    assert "空白" in page


def test_figures_page_and_xlsx(client, caseworker, home_a, member):
    services.attendance_save(home=home_a, day=date(2026, 2, 2), present=[member.pk], by=caseworker)
    services.service_record_create(
        home=home_a,
        by=caseworker,
        date=date(2026, 2, 2),
        service_type=ServiceType.objects.get(code="rehab"),
        hours=Decimal("1.5"),
        attendees=[member.pk],
    )
    client.force_login(caseworker)
    url = reverse("homes:figures")
    page = client.get(url, {"month": "2026-02"}).content.decode()
    assert "A镇阳光家园" in page
    assert "1.5" in page
    response = client.get(url, {"month": "2026-02", "export": "xlsx"})
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert first[1][:4] == ("A镇", "A镇阳光家园", 1, 1)
    assert first[1][5] == 1.5  # 康复训练
    served = dict(list(book.worksheets[1].iter_rows(values_only=True))[1:])
    assert served["康复训练"] == 1


def test_service_record_page(client, caseworker, home_a, member):
    client.force_login(caseworker)
    url = reverse("homes:servicerecord-create", args=[home_a.pk])
    assert "张三" in client.get(url).content.decode()
    care = ServiceType.objects.get(code="care")
    data = {"date": "2026-03-02", "service_type": care.pk, "hours": "2", "attendees": [member.pk]}
    assert client.post(url, data).status_code == 302
    assert home_a.service_records.get().attendees.get() == member


def test_template_pages(client, official, template):
    client.force_login(official)
    assert "2026" in client.get(reverse("homes:template-list")).content.decode()
    page = client.get(reverse("homes:template-detail", args=[template.pk])).content.decode()
    assert "消防验收" in page
    assert "最高二星" in page


def test_attendance_ledger_page_and_xlsx(client, caseworker, home_a, home_b, member):
    services.attendance_save(home=home_a, day=date(2026, 2, 2), present=[member.pk], by=caseworker)
    client.force_login(caseworker)
    url = reverse("homes:home-attendance-month", args=[home_a.pk])
    page = client.get(url, {"month": "2026-02"}).content.decode()
    assert "张三" in page
    assert 'data-testid="ledger-total">1<' in page
    response = client.get(url, {"month": "2026-02", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][0] == "张三"
    assert rows[1][2] == "√"  # 2 February
    assert rows[1][-1] == 1
    other = reverse("homes:home-attendance-month", args=[home_b.pk])
    assert client.get(other).status_code == 404


def test_service_record_list_is_scoped_and_filtered(client, caseworker, reviewer, home_a, home_b):
    care, rehab = ServiceType.objects.get(code="care"), ServiceType.objects.get(code="rehab")
    for home, kind, day in [
        (home_a, care, date(2026, 2, 3)),
        (home_a, rehab, date(2026, 3, 3)),
        (home_b, care, date(2026, 2, 4)),
    ]:
        services.service_record_create(
            home=home, by=reviewer, date=day, service_type=kind, hours=Decimal("2")
        )
    url = reverse("homes:servicerecord-list")
    client.force_login(caseworker)
    response = client.get(url)
    assert [r.home for r in response.context["object_list"]] == [home_a, home_a]
    response = client.get(url, {"service_type": rehab.pk, "date_from": "2026-03-01"})
    assert [r.date for r in response.context["object_list"]] == [date(2026, 3, 3)]
    client.force_login(reviewer)
    response = client.get(url, {"date_to": "2026-02-28"})
    assert {r.home for r in response.context["object_list"]} == {home_a, home_b}
