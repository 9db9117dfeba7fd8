"""Data comparison: every finding kind, idempotent re-runs, acting through the existing services
with the right end month and recovery total, the level-3 setting, one invitation per subsidy."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dfed.notifications.models import SmsMessage
from dfed.people.models import Person
from subsidies.models import Application, Entitlement, Finding, RecoveryItem, SubsidyType
from subsidies.services import (
    finding_correct,
    finding_dismiss,
    finding_invite,
    finding_start,
    finding_stop,
)

from .findings_data import compare, found, living, load

pytestmark = pytest.mark.django_db


def test_every_finding_kind_is_found(world, areas):
    counts = compare()
    p = world
    L, C = SubsidyType.LIVING, SubsidyType.CARE

    assert found(kind="stop") == {
        ("died", p["dead"].id_number, L),
        ("moved_out", p["moved"].id_number, C),
        ("sentenced", p["jailed"].id_number, L),
        ("assistance_ended", p["poorer"].id_number, L),
        ("care_ineligible", p["better"].id_number, C),
    }
    assert found(rule="start_living") == {("start_living", p["missed"].id_number, L)}
    assert ("start_care", p["severe"].id_number, C) in found(rule="start_care")
    assert ("start_care", p["better"].id_number, C) not in found(rule="start_care")
    assert found(rule="invite_new") == {("invite_new", p["newcomer"], C)}
    assert found(kind="correct") == {
        ("name", p["renamed"].id_number, ""),
        ("level", p["better"].id_number, ""),
        ("household", p["tekun"].id_number, ""),
        ("household", p["missed"].id_number, ""),
    }
    assert counts["died"] == 1
    dead = Finding.objects.get(rule="died")
    assert (dead.event_date, dead.end_month, dead.effective_month) == (
        date(2026, 3, 15),
        date(2026, 3, 1),
        date(2026, 4, 1),
    )
    assert (dead.months_overpaid, dead.monthly_amount) == (7, Decimal("300.00"))
    assert dead.town == areas["town_a"]
    assert dead.source.kind == "death"
    assert dead.source_row == 2
    assert Finding.objects.get(rule="invite_new").town == areas["town_b"]
    assert Finding.objects.get(rule="assistance_ended").end_month == date(2026, 4, 1)


def test_re_running_is_idempotent_and_closed_findings_stay_closed(world, reviewer):
    compare()
    before = Finding.objects.count()
    jailed = Finding.objects.get(rule="sentenced")
    finding_dismiss(finding=jailed, by=reviewer, reason="已核实为同名错报")

    compare()

    assert Finding.objects.count() == before
    jailed.refresh_from_db()
    assert jailed.status == "dismissed"
    assert jailed.action_note == "已核实为同名错报"


def test_a_later_list_updates_the_open_finding(world):
    compare()
    dead = world["dead"]
    load("death", [dead.id_number, dead.name, "2026-06-20", "公安"])

    compare()

    finding = Finding.objects.get(rule="died")
    assert finding.status == "open"
    assert (finding.event_date, finding.end_month, finding.months_overpaid) == (
        date(2026, 6, 20),
        date(2026, 6, 1),
        4,
    )
    assert finding.list_value == "公安"


def test_an_open_finding_no_list_shows_any_more_is_resolved(world):
    compare()
    poorer = world["poorer"]
    load("assistance", [poorer.id_number, poorer.name, "低保", "2024-01", ""])

    compare()

    assert Finding.objects.get(rule="assistance_ended").status == "resolved"


def test_reviewer_stops_a_death_with_end_month_and_recovery_total(world, reviewer):
    compare()
    finding = Finding.objects.get(rule="died")

    finding_stop(finding=finding, by=reviewer, note="民政火化信息")

    entitlement = Entitlement.objects.get(person=world["dead"])
    assert (entitlement.state, entitlement.end_month, entitlement.end_reason) == (
        "ended",
        date(2026, 3, 1),
        "death",
    )
    world["dead"].refresh_from_db()
    assert (world["dead"].status, world["dead"].status_date) == ("deceased", date(2026, 3, 15))
    items = RecoveryItem.objects.filter(entitlement=entitlement).order_by("month")
    assert [i.month for i in items] == [date(2026, m, 1) for m in range(4, 11)]
    assert sum(i.amount for i in items) == Decimal("2100.00") == finding.amount_overpaid
    finding.refresh_from_db()
    assert (finding.status, finding.acted_by) == ("acted", reviewer)
    assert finding.history.first().history_change_reason == "已停发"


def test_caseworker_only_proposes_a_stop_with_recovery(world, caseworker, reviewer):
    compare()
    finding = Finding.objects.get(rule="sentenced")

    finding_stop(finding=finding, by=caseworker)

    finding.refresh_from_db()
    assert finding.status == "open"
    assert finding.proposed_by == caseworker
    assert Entitlement.objects.get(pk=finding.entitlement_id).state == "active"
    finding_stop(finding=finding, by=reviewer)
    entitlement = Entitlement.objects.get(pk=finding.entitlement_id)
    assert (entitlement.end_month, entitlement.end_reason) == (date(2026, 2, 1), "ineligible")
    assert RecoveryItem.objects.filter(entitlement=entitlement).count() == 8


def test_care_level3_setting(world, settings):
    better = world["better"]
    better_cert = [better.id_number, better.name, "精神", "三级", "2026-07-10", "否", ""]
    load("certificate", better_cert)
    settings.SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL = False
    compare()
    assert Finding.objects.get(rule="care_ineligible").status == "open"

    settings.SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL = True
    compare()
    assert Finding.objects.get(rule="care_ineligible").status == "resolved"


def test_start_drafts_an_application_and_correct_updates_the_person(world, caseworker):
    compare()
    start = Finding.objects.get(rule="start_living")
    finding_start(finding=start, by=caseworker)
    start.refresh_from_db()
    assert start.application.status == Application.Status.DRAFT
    assert start.application.person == world["missed"]
    assert "主动发现" in start.application.reason
    assert Person.objects.get(pk=world["missed"].pk).household == "dibao"
    assert Finding.objects.get(rule="household", person=world["missed"]).status == "acted"

    rename = Finding.objects.get(rule="name")
    finding_correct(finding=rename, by=caseworker)
    assert Person.objects.get(pk=world["renamed"].pk).name == "王新名"
    with pytest.raises(ValidationError):
        finding_correct(finding=rename, by=caseworker)


def test_one_invitation_per_person_and_subsidy(world, caseworker):
    compare()
    finding = Finding.objects.get(rule="start_living")

    finding_invite(finding=finding, by=caseworker)
    finding_invite(finding=finding, by=caseworker)

    messages = SmsMessage.objects.filter(purpose="subsidy_invitation")
    assert messages.count() == 1
    assert world["missed"].name in messages.get().body
    finding.refresh_from_db()
    assert finding.invitation == messages.get()


def test_importing_a_list_compares_on_commit(
    areas, rates, person_factory, django_capture_on_commit_callbacks
):
    person = person_factory(community=areas["community_a1"])
    living(person)

    with django_capture_on_commit_callbacks(execute=True):
        load("death", [person.id_number, person.name, "2026-01-05", "公安"])

    assert found(rule="died") == {("died", person.id_number, SubsidyType.LIVING)}


def test_compare_lists_command_prints_counts(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("compare_lists", stdout=out)

    assert "已死亡：1" in out.getvalue()
    assert "待处理发现共" in out.getvalue()
