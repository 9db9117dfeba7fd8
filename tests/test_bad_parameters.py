"""No 500 on bad parameters: every page of the portal, fed malformed and out-of-range years,
months, pages and ids in its URL and query string, answers 200, a redirect, or a Chinese
400/404 page."""

import pytest
from django.test import Client
from django.urls import reverse

from .e2e.pages import url_patterns

pytestmark = pytest.mark.django_db

QUERIES = [
    "year=0",
    "year=99999",
    "year=abc",
    "month=2026-13",
    "month=abc",
    "page=0",
    "page=abc",
    "page=99999999999999999999",
    "town=99999999999999999999",
]
IDS = [2147483648, 99999999999999999999]
YEARS = [0, 99999, 99999999999999999999]


def _paths():
    for pattern in url_patterns():
        keys = list(pattern.converters)
        if not keys:
            yield pattern.name, reverse(pattern.name), QUERIES
        elif keys == ["year"]:
            for year in YEARS:
                yield pattern.name, reverse(pattern.name, kwargs={"year": year}), []
        elif keys == ["pk"]:
            for pk in IDS:
                yield pattern.name, reverse(pattern.name, kwargs={"pk": pk}), []
        elif keys == ["pk", "action"]:
            yield pattern.name, reverse(pattern.name, kwargs={"pk": IDS[0], "action": "x"}), []


def test_bad_parameters_give_a_chinese_400_or_404_never_a_500(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    failures = []
    for name, path, queries in _paths():
        for query in ["", *queries]:
            url = f"{path}?{query}" if query else path
            response = client.get(url)
            status = response.status_code
            if status >= 500:
                failures.append(f"{name} {url} → {status}")
            elif status in (400, 404):
                body = response.content.decode()
                if "请求有误" not in body and "页面不存在" not in body:
                    failures.append(f"{name} {url} → {status} without the Chinese error page")
    assert not failures, "\n".join(failures)


def test_error_pages_are_chinese_and_use_the_portal_layout(client, caseworker):
    client.force_login(caseworker)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert 'id="main"' in body
    assert "退出" in body
    response = client.get(reverse("subsidies:rate-create"))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
