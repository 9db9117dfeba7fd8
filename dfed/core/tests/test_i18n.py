"""The English locale: the language switch works end to end and the catalogue is complete."""

import ast
import gettext
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


@pytest.fixture(autouse=True)
def _restore_language():
    """Requests activate the session's language in this thread; put the default back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def parse_po(path) -> list[dict]:
    """Entries of a .po file as {"flags": [...], "msgid": ..., "msgstr": ..., ...}."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or (line.startswith("#") and current and "msgid" in current):
            if current and "msgid" in current:
                entries.append(current)
            current, key = None, None
            if not line.strip():
                continue
        current = current or {"flags": []}
        if line.startswith("#,"):
            current["flags"] += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
    return entries


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_chinese_is_the_default(client, areas):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-CN">' in page
    assert "登录" in page
    assert "Log in" not in page


def test_login_page_in_english_after_switching(client, areas):
    switch_to_english(client)
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert '<h1 class="h3 my-3">Log in</h1>' in page
    assert ">Username</label>" in page
    assert ">Password</label>" in page
    assert "Skip to main content" in page
    assert "登录" not in page


def test_wrong_password_message_in_english(client, areas, caseworker):
    switch_to_english(client)
    response = client.post(reverse("login"), {"username": caseworker.username, "password": "x"})
    assert "Wrong username or password." in response.content.decode()


def test_registry_list_in_english_for_a_caseworker(client, areas, caseworker, person_factory):
    person_factory(community=areas["community_a1"], category=4, level=2)
    client.force_login(caseworker)
    switch_to_english(client)
    page = client.get(reverse("people:person-list")).content.decode()
    assert '<h1 class="h3 mb-0">Disability register</h1>' in page
    assert "Register a disabled person" in page
    assert "Physical disability" in page
    assert "Grade 2" in page
    assert "Dashboard" in page
    assert "Filter" in page
    assert "残疾人名册" not in page
    # Chinese again after switching back.
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "残疾人名册" in client.get(reverse("people:person-list")).content.decode()


def test_validation_error_in_english(client, areas, caseworker):
    client.force_login(caseworker)
    switch_to_english(client)
    data = {
        "name": "王五",
        "id_number": "330199198005170012",  # wrong check digit
        "category": 4,
        "level": 2,
        "household": "dibao",
        "community": areas["community_a1"].pk,
        "ethnicity": "汉族",
    }
    response = client.post(reverse("people:person-create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The ID number check digit is wrong" in page
    assert "身份证号校验位错误" not in page


def test_every_message_is_translated_in_the_po_file():
    entries = parse_po(PO_PATH)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Language: en" in header["msgstr"]
    assert len(messages) > 1000
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert fuzzy == []
    empty = [
        e["msgid"]
        for e in messages
        for key, value in e.items()
        if key.startswith("msgstr") and not value.strip()
    ]
    assert empty == []


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is committed: it must hold a translation for every msgid of django.po."""
    with MO_PATH.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    missing = []
    for entry in parse_po(PO_PATH)[1:]:
        msgid, context = entry["msgid"], entry.get("msgctxt")
        if "msgid_plural" in entry:
            plural = entry["msgid_plural"]
            if context is None:
                translated = catalogue.ngettext(msgid, plural, 2)
            else:
                translated = catalogue.npgettext(context, msgid, plural, 2)
            expected = entry["msgstr[1]"]
        else:
            if context is None:
                translated = catalogue.gettext(msgid)
            else:
                translated = catalogue.pgettext(context, msgid)
            expected = entry["msgstr"]
        if translated != expected:
            missing.append(msgid)
    assert missing == [], "run manage.py compilemessages -l en"


def test_the_chinese_admin_has_no_english_from_django_or_third_party_apps(client, admin_user):
    """Django's admin table captions and django-axes carry no Chinese of their own: the project's
    zh_Hans catalogue (and AxesConfig's name) fill them in."""
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).content.decode()
    for english in (
        "Model name",
        "Add link",
        "Change or view list link",
        ">Axes<",
        "Access attempts",
    ):
        assert english not in index
    assert "登录锁定" in index
    assert "登录尝试" in index
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "Attempt Time" not in attempts
    assert "尝试时间" in attempts


def test_the_zh_hans_catalogue_is_compiled():
    path = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with path.with_suffix(".mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    messages = parse_po(path)[1:]
    assert messages
    assert [e["msgid"] for e in messages if catalogue.gettext(e["msgid"]) != e["msgstr"]] == []
