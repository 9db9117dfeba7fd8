"""Chinese unless the user picks English, whatever the browser asks; the pick is remembered."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from dfed.core.months import month_label


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_a_browser_asking_for_english_gets_chinese(client, areas):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in page
    assert "登录" in page


def test_english_once_picked_is_remembered_for_a_year(client, areas):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in page


def test_an_unknown_language_cookie_falls_back_to_chinese(client, areas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<html lang="zh-CN">' in client.get(reverse("login")).content.decode()


def test_language_names_are_in_their_own_language(client, areas):
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("login")).content.decode()
        assert ">中文</option>" in page
        assert ">English</option>" in page
        assert "英语" not in page


def test_month_labels_follow_the_locale_formats():
    with translation.override("zh-hans"):
        assert month_label(date(2026, 12, 1)) == "2026年12月"
    with translation.override("en"):
        assert month_label(date(2026, 12, 1)) == "December 2026"
