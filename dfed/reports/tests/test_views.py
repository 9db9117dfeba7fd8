import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dfed.accounts.roles import Role


def widget_json(client, key, **params):
    response = client.get(reverse("reports:widget-data", args=[key]), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_widget_json_is_scoped_for_a_caseworker(client, registry, caseworker):
    client.force_login(caseworker)
    data = widget_json(client, "people-by-town", year=2026)
    assert data["available"] is True
    response = client.get(reverse("reports:widget-data", args=["people-by-town"]))
    assert response["Cache-Control"] == "private, no-store"
    assert [row[0] for row in data["rows"]] == ["A镇"]
    assert data["rows"][0][-1] == 4
    assert data["columns"][0] == {"key": "town", "label": "镇街道", "kind": "text"}
    assert data["caption"] == "在册残疾人（按镇街道、等级）（2026年）"


def test_caseworker_asking_for_another_town_gets_404(client, registry, caseworker, town_b):
    client.force_login(caseworker)
    url = reverse("reports:widget-data", args=["people-by-town"])
    assert client.get(url, {"town": town_b.pk}).status_code == 404


def test_official_sees_the_district_and_can_narrow_to_a_town(client, registry, official, town_b):
    client.force_login(official)
    assert len(widget_json(client, "people-by-town")["rows"]) == 2
    data = widget_json(
        client, "people-by-town", town=town_b.pk, **{"from": "2026-02", "to": "2026-05"}
    )
    assert data["rows"] == [["B镇", 1, 0, 1, 0, 2]]
    assert data["filters"]["from"] == "2026-02"
    assert data["filters"]["label"] == "2026年2月—2026年5月（B镇）"


def test_widget_json_rejects_a_reversed_month_range(client, official):
    client.force_login(official)
    url = reverse("reports:widget-data", args=["people-by-level"])
    response = client.get(url, {"from": "2026-05", "to": "2026-02"})
    assert response.status_code == 400


def test_widget_json_needs_login_and_a_known_widget(client, official):
    url = reverse("reports:widget-data", args=["people-by-level"])
    assert client.get(url).status_code == 302
    client.force_login(official)
    assert client.get(reverse("reports:widget-data", args=["nope"])).status_code == 404


def test_admin_widget_is_hidden_from_caseworkers(client, caseworker, admin_user):
    url = reverse("reports:widget-data", args=["users-by-role"])
    client.force_login(caseworker)
    assert client.get(url).status_code == 404
    client.force_login(admin_user)
    rows = {row[0]: row[1] for row in client.get(url).json()["rows"]}
    assert rows[Role.CASEWORKER] == 1
    assert rows[Role.ADMIN] == 1


@pytest.mark.parametrize("key", ["people-by-town", "people-by-category"])
def test_xlsx_of_a_widget_equals_its_table(client, registry, official, key):
    client.force_login(official)
    data = widget_json(client, key, year=2026)
    response = client.get(
        reverse("reports:widget-data", args=[key]), {"year": 2026, "export": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [c["label"] for c in data["columns"]]
    assert values[1:-1] == data["rows"]
    assert values[-1] == data["totals"]


@pytest.mark.parametrize(
    ("user_fixture", "title", "widget"),
    [
        ("caseworker", "经办工作台", "people-by-level"),
        ("official", "全区概览", "people-by-town"),
        ("reviewer", "审核工作台", "people-by-town"),
        ("integrity_officer", "党风廉政工作台", "integrity-duties"),
        ("admin_user", "系统管理工作台", "users-by-role"),
    ],
)
def test_home_shows_the_dashboard_of_the_users_role(client, request, user_fixture, title, widget):
    """Each role's page lists its widgets; every widget it lists answers with JSON."""
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    response = client.get(reverse("reports:home"), {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{title}" in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    for key in response.context["widgets"]:
        data = client.get(reverse("reports:widget-data", args=[key.key]), {"year": 2025})
        assert data.status_code == 200, key.key
        assert data.json()["available"] is True
    assert f'data-widget-url="/reports/api/{widget}/?year=2025"' in html


def test_home_keeps_the_filters_in_widget_urls_and_offers_only_own_towns(
    client, caseworker, town_a, town_b
):
    client.force_login(caseworker)
    response = client.get(
        reverse("reports:home"), {"year": 2025, "from": "2025-04", "to": "2025-09"}
    )
    html = response.content.decode()
    assert "year=2025&amp;from=2025-04&amp;to=2025-09" in html
    assert "2025年4月—2025年9月" in html
    town_field = response.context["form"].fields["town"]
    assert list(town_field.queryset) == [town_a]


def test_home_for_a_user_without_role(client, make_user, areas):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="nobody", password="x")
    client.force_login(user)
    assert "尚未分配角色" in client.get(reverse("reports:home")).content.decode()


def test_detail_links_are_offered_only_to_users_who_may_open_the_list(client, caseworker, official):
    client.force_login(official)
    assert 'href="/subsidies/batches/"' in client.get(reverse("reports:home")).content.decode()
    client.force_login(caseworker)
    html = client.get(reverse("reports:home")).content.decode()
    assert 'data-widget-url="/reports/api/subsidy-by-month/' in html
    assert 'href="/subsidies/batches/"' not in html
    assert 'href="/subsidies/applications/drafts/"' in html


def test_admin_lists_the_summary_tables_read_only(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/subsidies/paymentsummary/").status_code == 200
    assert client.get("/admin/subsidies/paymentsummary/add/").status_code == 403
    assert client.get("/admin/reports/annualsummary/").status_code == 200


def test_unfiltered_home_selects_this_year(client, official):
    from django.utils import timezone

    client.force_login(official)
    page = client.get("/").content.decode()
    this_year = timezone.localdate().year
    assert f'<option value="{this_year}" selected>{this_year}年</option>' in page
