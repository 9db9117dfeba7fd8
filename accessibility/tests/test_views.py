import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accessibility.models import AccessibleCommunity, Photo, RetrofitProject
from dfed.accounts.roles import Role

from .factories import JPEG, ChecklistItemFactory, jpeg, png, project_at

S = RetrofitProject.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(caseworker, reviewer, grab_bar, budget_a, budget_b):
    def _walk(stage, person, by=None):
        return project_at(
            stage, person=person, caseworker=by or caseworker, reviewer=reviewer, item=grab_bar
        )

    return _walk


@pytest.fixture
def project_b(walk, other_household, make_user, town_b):
    worker_b = make_user("worker-b", Role.CASEWORKER, towns=[town_b])
    return walk(S.CONSTRUCTION, other_household, by=worker_b)


def url(name, *args):
    return reverse(f"accessibility:{name}", args=args)


def test_index_redirects_to_project_list(client, caseworker):
    client.force_login(caseworker)
    assert client.get(url("index"))["Location"] == url("project-list")


def test_project_list_is_scoped_and_filtered(client, walk, household, caseworker, project_b):
    mine = walk(S.APPLIED, household)
    client.force_login(caseworker)
    response = client.get(url("project-list"))
    assert list(response.context["object_list"]) == [mine]
    assert "李外镇" not in response.content.decode()
    response = client.get(url("project-list"), {"status": "completed"})
    assert list(response.context["object_list"]) == []
    response = client.get(url("project-list"), {"status": "applied", "year": mine.year})
    assert list(response.context["object_list"]) == [mine]


def test_project_export_is_masked_xlsx(client, walk, household, caseworker):
    walk(S.COMPLETED, household)
    client.force_login(caseworker)
    response = client.get(url("project-list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("编号", "年度", "姓名", "身份证号")
    assert rows[1][2] == "张低保"
    assert "*" in rows[1][3]
    assert rows[1][7] == "完成"


@pytest.mark.parametrize(
    "name", ["project-detail", "project-assess", "project-construction", "project-intake"]
)
def test_other_towns_project_pages_are_404(client, caseworker, project_b, name):
    client.force_login(caseworker)
    assert client.get(url(name, project_b.pk)).status_code == 404
    assert client.post(url("project-intake", project_b.pk)).status_code == 404


def test_photo_served_only_within_scope(client, walk, household, caseworker, project_b, reviewer):
    from accessibility import services

    photo_b = services.photo_add(project=project_b, by=reviewer, kind="before", upload=jpeg())
    mine = walk(S.COMPLETED, household)
    photo = mine.photos.get()
    client.force_login(caseworker)
    response = client.get(url("photo-file", photo.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url("photo-file", photo_b.pk)).status_code == 404
    client.logout()
    assert client.get(url("photo-file", photo.pk)).status_code == 302


def test_apply_and_assess_through_the_pages(client, household, caseworker, grab_bar, year):
    client.force_login(caseworker)
    response = client.post(
        url("project-create"), {"id_number": household.id_number, "year": year, "needs": "扶手"}
    )
    project = RetrofitProject.objects.get()
    assert response["Location"] == url("project-detail", project.pk)
    response = client.post(url("project-create"), {"id_number": household.id_number, "year": year})
    assert response.status_code == 400
    assert f"编号 {project.pk}" in response.content.decode()
    client.post(url("project-intake", project.pk))
    data = {
        "assessor": "王评估",
        "assessed_on": timezone.localdate().isoformat(),
        "findings": "需扶手",
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "5",
        "items-MAX_NUM_FORMS": "30",
        "items-0-item": grab_bar.pk,
        "items-0-quantity": "2",
        "items-0-unit_price": "600",
    }
    response = client.post(url("project-assess", project.pk), data)
    assert response.status_code == 400
    assert "超过上限 500.00 元" in response.content.decode()
    data["items-0-over_cap_reason"] = "加长型"
    response = client.post(url("project-assess", project.pk), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.estimate) == (S.APPROVAL, Decimal("1200.00"))


def test_caseworker_gets_403_on_approval(client, walk, household, caseworker):
    project = walk(S.APPROVAL, household)
    client.force_login(caseworker)
    assert client.post(url("project-approve", project.pk)).status_code == 403


def test_approval_page_shows_budget_and_refuses_overrun(
    client, walk, household, reviewer, budget_a
):
    budget_a.amount = Decimal("500.00")
    budget_a.save()
    project = walk(S.APPROVAL, household)
    client.force_login(reviewer)
    response = client.get(url("project-approve", project.pk))
    assert "剩余预算" in response.content.decode()
    response = client.post(url("project-approve", project.pk), {"comment": ""})
    assert response.status_code == 400
    assert "不足以支付本项目估价 800.00 元" in response.content.decode()
    response = client.post(url("project-approve", project.pk), {"override_reason": "追加"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.CONSTRUCTION


def test_return_without_comment_shows_error(client, walk, household, reviewer):
    project = walk(S.APPROVAL, household)
    client.force_login(reviewer)
    response = client.post(url("project-return", project.pk), {"comment": ""}, follow=True)
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert RetrofitProject.objects.get(pk=project.pk).status == S.APPROVAL
    client.post(url("project-return", project.pk), {"comment": "估价偏高"})
    assert RetrofitProject.objects.get(pk=project.pk).status == S.RETURNED


def test_accept_page_rejects_fake_photo(client, walk, household, reviewer):
    project = walk(S.ACCEPTANCE, household)
    client.force_login(reviewer)
    data = {
        "items_done": "on",
        "family_satisfied": "on",
        "signed_by": "户主",
        "accepted_on": timezone.localdate().isoformat(),
        "after_photo": png("after.png", b"MZ not an image"),
    }
    response = client.post(url("project-accept", project.pk), data)
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Photo.objects.exists()
    data["after_photo"] = png()
    assert client.post(url("project-accept", project.pk), data).status_code == 302
    assert RetrofitProject.objects.get(pk=project.pk).status == S.COMPLETED


def test_detail_shows_timeline_and_photo_upload(client, walk, household, caseworker):
    project = walk(S.CONSTRUCTION, household)
    client.force_login(caseworker)
    response = client.post(
        url("photo-upload", project.pk), {"kind": "before", "file": jpeg(content=JPEG)}
    )
    assert response.status_code == 302
    body = client.get(url("project-detail", project.pk)).content.decode()
    for text in ("提交申请", "受理，安排入户评估", "入户评估", "审批通过", "登记施工情况"):
        assert text in body
    assert url("photo-file", project.photos.get().pk) in body


def test_figures_page_and_export(client, walk, household, reviewer, year):
    walk(S.COMPLETED, household)
    client.force_login(reviewer)
    response = client.get(url("figures"), {"year": year})
    assert response.context["figures"].completed == 1
    assert 'data-testid="completed-count">1<' in response.content.decode()
    assert ("completed", "完成", 1) in response.context["by_status"]
    response = client.get(url("figures"), {"year": year, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[-1][0] == "合计"
    assert rows[-1][5] == 1


def test_community_pages(client, areas, caseworker, reviewer, year, make_user, town_b):
    ChecklistItemFactory.create_batch(2)
    client.force_login(caseworker)
    response = client.post(
        url("community-create"), {"community": areas["community_a1"].pk, "year": year}
    )
    creation = AccessibleCommunity.objects.get()
    assert response["Location"] == url("community-detail", creation.pk)
    client.post(url("community-start", creation.pk))
    check = creation.checks.first()
    client.post(
        url("check-update", check.pk),
        {f"c{check.pk}-state": "done", f"c{check.pk}-evidence": png()},
    )
    check.refresh_from_db()
    assert check.state == "done"
    assert client.get(url("check-evidence", check.pk)).status_code == 200
    body = client.get(url("community-list")).content.decode()
    assert "1/2" in body
    client.force_login(make_user("worker-b", Role.CASEWORKER, towns=[town_b]))
    assert client.get(url("community-detail", creation.pk)).status_code == 404
    assert client.get(url("check-evidence", check.pk)).status_code == 404


def test_official_reads_the_district_but_may_not_act(
    client, walk, household, project_b, official, make_user
):
    mine = walk(S.APPLIED, household)
    client.force_login(official)
    response = client.get(url("project-list"))
    assert set(response.context["object_list"]) == {mine, project_b}
    body = client.get(url("project-detail", mine.pk)).content.decode()
    assert "受理并安排入户评估" not in body
    assert client.post(url("project-intake", mine.pk)).status_code == 403
    assert client.get(url("project-create")).status_code == 403
    assert RetrofitProject.objects.get(pk=mine.pk).status == S.APPLIED


def test_integrity_officer_has_no_access(client, integrity_officer):
    client.force_login(integrity_officer)
    assert client.get(url("project-list")).status_code == 403
    assert client.get(url("figures")).status_code == 403


def test_construction_page_records_actual_costs(client, walk, household, caseworker):
    project = walk(S.CONSTRUCTION, household)
    line = project.items.get()
    client.force_login(caseworker)
    body = client.get(url("project-construction", project.pk)).content.decode()
    assert f'name="cost_{line.pk}"' in body
    today = timezone.localdate().isoformat()
    data = {"contractor": "平安装修队", "construction_start": today, "construction_finish": today}
    response = client.post(url("project-construction", project.pk), data)
    assert response.status_code == 400
    data[f"cost_{line.pk}"] = "750.00"
    assert client.post(url("project-construction", project.pk), data).status_code == 302
    project.refresh_from_db()
    assert (project.status, project.actual_total) == (S.ACCEPTANCE, Decimal("750.00"))


def test_returned_project_is_reopened_from_the_page(client, walk, household, caseworker, reviewer):
    project = walk(S.APPROVAL, household)
    client.force_login(reviewer)
    client.post(url("project-return", project.pk), {"comment": "估价偏高"})
    client.force_login(caseworker)
    body = client.get(url("project-detail", project.pk)).content.decode()
    assert "估价偏高" in body
    assert "重新提交" in body
    client.post(url("project-reopen", project.pk), {"comment": "已核实"})
    assert RetrofitProject.objects.get(pk=project.pk).status == S.ASSESSMENT


def test_project_detail_logs_full_identifier_views(
    client, admin_user, caseworker, person_factory, areas
):
    """A user who sees full ID numbers on a project page leaves an access-log entry."""
    from dfed.people.models import SensitiveAccessLog

    from .factories import project_at

    person = person_factory(community=areas["community_a1"])
    project = project_at("applied", person=person, caseworker=caseworker, reviewer=admin_user)
    client.force_login(caseworker)
    client.get(f"/accessibility/projects/{project.pk}/")
    assert not SensitiveAccessLog.objects.exists()
    client.force_login(admin_user)
    page = client.get(f"/accessibility/projects/{project.pk}/")
    assert person.id_number in page.content.decode()
    assert SensitiveAccessLog.objects.filter(
        user=admin_user, person=person, context="accessibility:project-detail", kind="detail"
    ).exists()
