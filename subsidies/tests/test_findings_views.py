"""The worklist pages: scoped to the user's towns, most urgent first, acts by POST."""

import io

import pytest
from openpyxl import load_workbook

from dfed.people.models import Person
from subsidies.models import Entitlement, Finding

from .findings_data import compare, living, load

pytestmark = pytest.mark.django_db


def test_caseworker_sees_own_town_most_urgent_first(world, client, caseworker, areas,
                                                     person_factory):  # fmt: skip
    other = person_factory(community=areas["community_b1"])
    living(other)
    load("death", [other.id_number, other.name, "2026-02-01", "公安"])
    compare()
    client.force_login(caseworker)

    response = client.get("/subsidies/findings/")

    assert response.status_code == 200
    shown = list(response.context["object_list"])
    assert shown
    assert {f.town_id for f in shown} == {areas["town_a"].pk}
    kinds = [f.kind for f in shown]
    assert kinds == sorted(kinds, key=lambda k: Finding.PRIORITY[k])
    assert other.name not in response.content.decode()
    foreign = Finding.objects.get(person=other, rule="died")
    searched = client.get(f"/subsidies/findings/?q={other.id_number}")
    assert list(searched.context["object_list"]) == []
    denied = client.post(f"/subsidies/findings/{foreign.pk}/dismiss/", {"text": "x"})
    assert denied.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "open"


def test_reviewer_sees_every_town_and_unplaced_newcomers(world, client, reviewer):
    compare()
    client.force_login(reviewer)

    response = client.get("/subsidies/findings/?rule=invite_new")

    assert [f.id_number for f in response.context["object_list"]] == [world["newcomer"]]


def test_act_and_dismiss_by_post(world, client, caseworker, reviewer):
    compare()
    client.force_login(caseworker)
    rename = Finding.objects.get(rule="name")

    client.post(f"/subsidies/findings/{rename.pk}/correct/")
    empty = client.post(f"/subsidies/findings/{rename.pk}/dismiss/", {"text": ""}, follow=True)

    assert Person.objects.get(pk=world["renamed"].pk).name == "王新名"
    assert "该发现已已处理" not in empty.content.decode()
    died = Finding.objects.get(rule="died")
    response = client.post(f"/subsidies/findings/{died.pk}/stop/", follow=True)
    assert "等待区残联审核人确认" in response.content.decode()
    client.force_login(reviewer)
    proposed = client.get("/subsidies/findings/?proposed=on")
    assert [f.pk for f in proposed.context["object_list"]] == [died.pk]
    client.post(f"/subsidies/findings/{died.pk}/stop/")
    assert Entitlement.objects.get(person=world["dead"]).state == "ended"


def test_export_masks_id_numbers(world, client, caseworker):
    compare()
    client.force_login(caseworker)

    response = client.get("/subsidies/findings/?export=xlsx")

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[3]]
    assert numbers
    assert all("*" in n for n in numbers)


def test_reviewer_edits_the_invitation_text(world, client, reviewer, caseworker):
    from dfed.notifications.models import SmsMessage

    compare()
    client.force_login(reviewer)
    bad = client.post(
        "/subsidies/findings/invitation/", {"living": "{姓名}您好", "care": "{name}您好"}
    )
    assert bad.status_code == 400
    client.post(
        "/subsidies/findings/invitation/",
        {"living": "{name}，{town}请您申请{subsidy}", "care": "{name}您好"},
    )
    client.force_login(caseworker)
    finding = Finding.objects.get(rule="start_living")

    client.post(f"/subsidies/findings/{finding.pk}/invite/")

    body = SmsMessage.objects.get(purpose="subsidy_invitation").body
    assert body == f"{world['missed'].name}，A镇请您申请生活补贴"


def test_figures_on_the_dashboard_and_in_the_annual_summary(
    world, client, reviewer, caseworker, official
):
    from datetime import date

    from dfed.reports.figures import annual_figures
    from dfed.reports.summary_docx import subsidies as subsidy_lines
    from subsidies.models import RecoveryItem
    from subsidies.selectors import finding_figures
    from subsidies.services import finding_start, finding_stop, recovery_mark_recovered

    compare()
    finding_stop(finding=Finding.objects.get(rule="died"), by=reviewer)
    item = RecoveryItem.objects.order_by("month").first()
    recovery_mark_recovered(item=item, by=reviewer)
    severe = Finding.objects.get(rule="start_care", person=world["severe"])
    finding_start(finding=severe, by=caseworker)

    figures = finding_figures(start=date(2026, 1, 1), end=date(2027, 1, 1))

    assert figures.found["stop"] == 5
    assert figures.acted == 2
    assert figures.stopped_monthly == 300
    assert figures.overpaid == 2100
    assert figures.recovered == 300
    assert figures.reached == 1
    assert figures.average_days is not None
    year = annual_figures(2026)
    assert year["subsidies"].value("findings_stop") == 5
    assert any("主动发现" in line and "1人" in line for line in subsidy_lines(year))
    client.force_login(official)
    data = client.get("/reports/api/subsidy-findings/?year=2026").json()
    assert data["rows"][0][:2] == ["A镇", 5]
