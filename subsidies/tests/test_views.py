import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from subsidies.models import Application, Entitlement, PaymentBatch, SubsidyType
from subsidies.services import (
    application_attach,
    application_create,
    application_submit,
    payment_batch_confirm,
    payment_batch_generate,
)
from subsidies.tests.factories import PDF_BYTES, EntitlementFactory

LIVING = SubsidyType.LIVING
MAR = date(2025, 3, 1)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def xlsx(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


PAGES = [
    "subsidies:application-list",
    "subsidies:application-drafts",
    "subsidies:application-create",
    "subsidies:entitlement-list",
    "subsidies:recovery-list",
    "subsidies:rate-list",
    "subsidies:payment-list",
]


@pytest.mark.parametrize("name", PAGES)
def test_caseworker_pages_render(login, caseworker, rates, name):
    response = login(caseworker).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "subsidies:application-queue",
        "subsidies:entitlement-review",
        "subsidies:batch-list",
        "subsidies:rate-create",
        "subsidies:application-list",
    ],
)
def test_reviewer_pages_render(login, reviewer, rates, name):
    assert login(reviewer).get(reverse(name)).status_code == 200


def test_index_redirects_by_role(login, caseworker, reviewer, client):
    assert login(caseworker).get(reverse("subsidies:index")).url == reverse(
        "subsidies:application-drafts"
    )
    client.logout()
    assert login(reviewer).get(reverse("subsidies:index")).url == reverse(
        "subsidies:application-queue"
    )


def test_caseworker_cannot_open_batches(login, caseworker):
    assert login(caseworker).get(reverse("subsidies:batch-list")).status_code == 403


def test_create_and_submit_application_with_attachment(login, caseworker, person):
    client = login(caseworker)
    upload = SimpleUploadedFile("低保证.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("subsidies:application-create"),
        {
            "id_number": person.id_number.lower(),
            "type": LIVING,
            "reason": "x",
            "attachment": upload,
            "submit": "1",
        },
    )
    application = Application.objects.get()
    assert response.url == reverse("subsidies:application-detail", args=[application.pk])
    assert application.status == Application.Status.TOWN_REVIEW
    assert application.attachments.count() == 1
    page = client.get(response.url).content.decode()
    assert "低保证.pdf" in page
    assert "提交" in page


def test_create_application_shows_eligibility_reasons(login, caseworker, person):
    person.household = "general"
    person.save()
    response = login(caseworker).post(
        reverse("subsidies:application-create"), {"id_number": person.id_number, "type": LIVING}
    )
    assert response.status_code == 400
    assert "生活补贴须为低保家庭（当前：一般）" in response.content.decode()


def test_create_application_other_town_person_not_found(login, caseworker, person_b):
    response = login(caseworker).post(
        reverse("subsidies:application-create"), {"id_number": person_b.id_number, "type": LIVING}
    )
    assert response.status_code == 400
    assert "本镇街道名册中没有该身份证号的残疾人" in response.content.decode()


def test_other_town_application_and_attachment_are_404(
    login, make_user, town_b, person, caseworker
):
    from dfed.accounts.roles import Role

    application = application_create(person=person, type=LIVING, by=caseworker)
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = application_attach(application=application, upload=upload, by=caseworker)
    outsider = make_user("cw_b", Role.CASEWORKER, towns=[town_b])
    client = login(outsider)
    assert (
        client.get(reverse("subsidies:application-detail", args=[application.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("subsidies:attachment-download", args=[attachment.pk])).status_code
        == 404
    )
    entitlement = EntitlementFactory(person=person, type="care", tier="level2")
    assert (
        client.get(reverse("subsidies:entitlement-detail", args=[entitlement.pk])).status_code
        == 404
    )
    client.logout()
    response = login(caseworker).get(reverse("subsidies:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"


def test_review_chain_through_views(login, client, caseworker, town_reviewer, reviewer, person):
    application = application_create(person=person, type=LIVING, by=caseworker)
    application_submit(application=application, by=caseworker)
    url = lambda action: reverse("subsidies:application-action", args=[application.pk, action])  # noqa: E731
    login(town_reviewer).post(url("town-approve"), {"comment": "属实"})
    client.logout()
    reviewer_client = login(reviewer)
    response = reviewer_client.post(url("approve"), {"comment": "同意", "approved_from": "2025-02"})
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    entitlement = Entitlement.objects.get()
    assert entitlement.start_month == date(2025, 2, 1)
    page = reviewer_client.get(response.url).content.decode()
    assert "属实" in page
    assert "同意" in page
    assert "自2025年2月起享受" in page


def test_reject_without_reason_shows_error(
    login, client, caseworker, town_reviewer, reviewer, person
):
    application = application_create(person=person, type=LIVING, by=caseworker)
    application_submit(application=application, by=caseworker)
    url = lambda action: reverse("subsidies:application-action", args=[application.pk, action])  # noqa: E731
    login(town_reviewer).post(url("town-approve"))
    client.logout()
    response = login(reviewer).post(url("reject"), {"comment": ""}, follow=True)
    assert "驳回必须填写理由" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DISTRICT_REVIEW


def test_caseworker_cannot_approve_via_url(login, caseworker, person):
    application = application_create(person=person, type=LIVING, by=caseworker)
    url = reverse("subsidies:application-action", args=[application.pk, "approve"])
    assert login(caseworker).post(url).status_code == 404


def test_entitlement_export_masked_unless_view_sensitive(
    login, client, caseworker, reviewer, person
):
    EntitlementFactory(person=person)
    url = reverse("subsidies:entitlement-list") + "?export=xlsx"
    sheet = xlsx(login(caseworker).get(url)).active
    header = [c.value for c in sheet[1]]
    assert (
        sheet.cell(2, header.index("身份证号") + 1).value
        == person.id_number[:6] + "********" + person.id_number[-4:]
    )
    client.logout()
    sheet = xlsx(login(reviewer).get(url)).active
    assert sheet.cell(2, header.index("身份证号") + 1).value == person.id_number
    assert sheet.cell(2, header.index("银行账号") + 1).number_format == "@"


def test_application_and_payment_exports(login, reviewer, caseworker, person, rates):
    application_create(person=person, type=LIVING, by=caseworker)
    client = login(reviewer)
    sheet = xlsx(client.get(reverse("subsidies:application-list") + "?export=xlsx")).active
    assert sheet.cell(2, 1).value == person.name
    EntitlementFactory(person=person, type="care", tier="level2", start_month=MAR)
    payment_batch_generate(month=MAR)
    sheet = xlsx(client.get(reverse("subsidies:payment-list") + "?export=xlsx")).active
    assert sheet.cell(2, 7).value == 200


def test_generate_batch_via_view_shows_progress_then_totals(
    login, reviewer, person, rates, django_capture_on_commit_callbacks
):
    EntitlementFactory(person=person, start_month=date(2025, 2, 1))
    client = login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subsidies:batch-generate"), {"month": "2025-03"})
    progress_url = response.url
    data = client.get(progress_url, HTTP_ACCEPT="application/json").json()
    batch = PaymentBatch.objects.get()
    assert data["state"] == "done"
    assert data["redirect"] == reverse("subsidies:batch-detail", args=[batch.pk])
    page = client.get(data["redirect"]).content.decode()
    assert "共 1 人 2 笔，合计 600.00 元（其中补发 300.00 元）" in page
    # The outcome is told once, as a message on the batch page, with counts and the total.
    assert "2025年3月发放批次已生成：新增 2 笔；批次共 1 人 2 笔，合计 600.00 元" in page
    assert client.get(progress_url).status_code == 200
    assert "发放批次已生成" not in client.get(data["redirect"]).content.decode()


def test_progress_of_another_session_is_404(login, reviewer, client):
    from dfed.core.progress import progress_new
    from subsidies.tasks import BATCH_PROGRESS

    token = progress_new(BATCH_PROGRESS)
    assert login(reviewer).get(reverse("subsidies:batch-progress", args=[token])).status_code == 404


def test_bank_file_cells_are_text_and_formulas_neutralised(
    login, reviewer, person_factory, areas, rates
):
    evil = person_factory(community=areas["community_b1"], name='=HYPERLINK("x")')
    evil.bank_name = "@SUM(1)"
    evil.save()
    plain = person_factory(community=areas["community_a1"])
    EntitlementFactory(person=evil, start_month=date(2025, 2, 1))
    EntitlementFactory(person=plain, type="care", tier="level1", start_month=MAR)
    EntitlementFactory(person=plain, start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    payment_batch_confirm(batch=batch, by=reviewer)
    client = login(reviewer)
    response = client.post(reverse("subsidies:batch-bank-file", args=[batch.pk]))
    assert response.status_code == 200
    book = xlsx(response)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号", "开户银行", "账号", "金额", "备注")
    by_name = {row[0]: row for row in rows[1:-1]}
    assert by_name['\'=HYPERLINK("x")'][2] == "'@SUM(1)"
    plain_row = by_name[plain.name]
    assert plain_row[1] == plain.id_number
    assert plain_row[3] == plain.bank_account
    assert plain_row[4] == 600
    assert plain_row[5] == "生活补贴2025年3月；护理补贴2025年3月"
    assert "含补发1个月" in by_name['\'=HYPERLINK("x")'][5]
    assert rows[-1][0] == "合计"
    assert rows[-1][4] == 1200
    assert rows[-1][5] == "2人"
    for row in sheet.iter_rows(min_row=2, max_row=3):
        assert row[1].number_format == "@"
        assert row[3].number_format == "@"
        assert row[1].data_type == "s"
        assert row[3].data_type == "s"
    summary = list(book.worksheets[1].iter_rows(values_only=True))
    assert summary[0] == ("镇街道", "人数", "笔数", "生活补贴", "护理补贴", "合计")
    assert summary[1] == ("A镇", 1, 2, 300, 300, 600)
    assert summary[2] == ("B镇", 1, 2, 600, 0, 600)
    assert summary[-1][5] == 1200
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.EXPORTED


def test_hold_payment_via_view(login, reviewer, person, rates):
    EntitlementFactory(person=person, start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    payment = batch.payments.get()
    login(reviewer).post(
        reverse("subsidies:payment-hold", args=[payment.pk]), {"held": "on", "reason": "核实中"}
    )
    payment.refresh_from_db()
    assert payment.held
    assert payment.held_reason == "核实中"
    batch.refresh_from_db()
    assert batch.total_amount == Decimal(0)


def test_rate_create_overlap_shows_error(login, reviewer, rates):
    response = login(reviewer).post(
        reverse("subsidies:rate-create"),
        {"type": "living", "tier": "none", "monthly_amount": "310", "effective_from": "2026-01"},
    )
    assert response.status_code == 400
    assert "时间重叠" in response.content.decode()


def test_review_list_and_confirm(login, town_reviewer, person):
    entitlement = EntitlementFactory(
        person=person,
        review_due=date(2025, 1, 1),
        confirmed_household="dibao",
        confirmed_level=2,
        confirmed_category=4,
    )
    client = login(town_reviewer)
    page = client.get(reverse("subsidies:entitlement-review")).content.decode()
    assert person.name in page
    assert "年审到期" in page
    client.post(
        reverse("subsidies:entitlement-action", args=[entitlement.pk, "review"]), {"next": "review"}
    )
    entitlement.refresh_from_db()
    assert entitlement.review_due > timezone.localdate()
    page = client.get(reverse("subsidies:entitlement-review")).content.decode()
    assert person.name not in page
    person.household = "general"
    person.save()
    page = client.get(reverse("subsidies:entitlement-review")).content.decode()
    assert "家庭类型变化" in page
    response = client.post(
        reverse("subsidies:entitlement-action", args=[entitlement.pk, "review"]), follow=True
    )
    assert "不能确认，已不符合条件" in response.content.decode()


def test_end_entitlement_via_view_and_recovery_list(login, reviewer, person, rates):
    entitlement = EntitlementFactory(person=person, start_month=date(2025, 1, 1), paid_through=MAR)
    client = login(reviewer)
    client.post(
        reverse("subsidies:entitlement-action", args=[entitlement.pk, "end"]),
        {"reason": "ineligible", "end_month": "2025-02", "note": "收入超标"},
    )
    entitlement.refresh_from_db()
    assert entitlement.state == "ended"
    page = client.get(reverse("subsidies:recovery-list")).content.decode()
    assert person.name in page
    assert "300.00" in page
    item = entitlement.recoveries.get()
    client.post(reverse("subsidies:recovery-mark", args=[item.pk]), {"note": "已退回"})
    item.refresh_from_db()
    assert item.status == "recovered"


def test_application_list_filters(
    login, reviewer, caseworker, person, person_factory, areas, make_user, town_b
):
    from dfed.accounts.roles import Role

    application_create(person=person, type=LIVING, by=caseworker)
    other = person_factory(community=areas["community_b1"], name="乙镇人")
    application_create(
        person=other, type="care", by=make_user("cw_b", Role.CASEWORKER, towns=[town_b])
    )
    client = login(reviewer)
    url = reverse("subsidies:application-list")
    this_month = timezone.localdate().strftime("%Y-%m")

    def names(query):
        page = client.get(url, query).content.decode()
        return [n for n in (person.name, "乙镇人") if n in page]

    assert names({}) == [person.name, "乙镇人"]
    assert names({"town": town_b.pk}) == ["乙镇人"]
    assert names({"type": "living"}) == [person.name]
    assert names({"status": "draft", "month": this_month}) == [person.name, "乙镇人"]
    assert names({"month": "2020-01"}) == []
    assert names({"q": "乙镇"}) == ["乙镇人"]


def test_caseworker_lists_only_own_town(
    login, caseworker, person, person_factory, areas, make_user, town_b
):
    from dfed.accounts.roles import Role

    other = person_factory(community=areas["community_b1"], name="乙镇人")
    application_create(
        person=other, type=LIVING, by=make_user("cw_b", Role.CASEWORKER, towns=[town_b])
    )
    EntitlementFactory(person=other, type="care", tier="level2")
    client = login(caseworker)
    for name in ("subsidies:application-list", "subsidies:entitlement-list"):
        assert "乙镇人" not in client.get(reverse(name)).content.decode()


def test_detail_with_full_values_is_logged(login, reviewer, caseworker, person):
    from dfed.people.models import SensitiveAccessLog

    application = application_create(person=person, type=LIVING, by=caseworker)
    login(caseworker).get(reverse("subsidies:application-detail", args=[application.pk]))
    assert not SensitiveAccessLog.objects.exists()
    page = login(reviewer).get(reverse("subsidies:application-detail", args=[application.pk]))
    assert person.id_number in page.content.decode()
    log = SensitiveAccessLog.objects.get()
    assert (log.user, log.person, log.context) == (reviewer, person, "subsidies:application-detail")


def test_batch_page_warns_when_a_rate_is_missing(login, reviewer, person, person_factory, rates):
    EntitlementFactory(person=person, start_month=MAR)
    EntitlementFactory(person=person_factory(), type="care", tier="level3", start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    page = login(reviewer).get(reverse("subsidies:batch-detail", args=[batch.pk])).content.decode()
    assert "有 1 条正常享受的资格本月没有发放明细" in page


def test_bank_file_writes_an_access_log_row(login, reviewer, person_factory, areas, rates):
    from dfed.people.models import SensitiveAccessLog

    person = person_factory(community=areas["community_a1"])
    EntitlementFactory(person=person, start_month=MAR)
    batch = payment_batch_generate(month=MAR)
    payment_batch_confirm(batch=batch, by=reviewer)
    response = login(reviewer).post(
        reverse("subsidies:batch-bank-file", args=[batch.pk]), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200
    log = SensitiveAccessLog.objects.get()
    assert (log.kind, log.count, log.query, log.ip_address) == (
        "bank_file",
        1,
        f"batch={batch.pk}",
        "10.0.0.9",
    )


def test_payment_list_opens_on_the_latest_batch_month(login, reviewer, rates):
    from datetime import date

    from subsidies.models import PaymentBatch

    PaymentBatch.objects.create(month=date(2026, 3, 1))
    PaymentBatch.objects.create(month=date(2026, 5, 1))
    client = login(reviewer)
    response = client.get(reverse("subsidies:payment-list"))
    assert response.status_code == 302
    assert response.url.endswith("?month=2026-05")
    assert client.get(reverse("subsidies:payment-list") + "?month=").status_code == 200
