"""The masking crawler: no role without ``people.view_sensitive`` ever receives a full identifier.

For each such role it enumerates the project's URL patterns from the resolver, fills every
parameter with a real object of the demo data (a link found on the pages it crawled, else the
first row of the model the URL names), fetches lists, details, edit forms, exports (xlsx cells
read back), JSON and docx, and asserts that no full ID number, certificate number, phone, guardian
phone or bank account of any demo person (nor any integrity staff phone) appears. A new page is
covered without editing this test: its pattern is enumerated and must be reached.
"""

import io
import re
import zipfile
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from dfed.accounts.roles import Role

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]

ROLES_WITHOUT_SENSITIVE = {
    Role.CASEWORKER: "jingban",
    Role.TOWN_REVIEWER: "xiangzhen",
    Role.OFFICIAL: "lingdao",
    Role.INTEGRITY: "jijian",
}
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/static/", "/admin/", "/media/")
HREF = re.compile(r"""(?:href|src|data-url|data-src)="(/[^"#]*)""")
PER_PATTERN = 3  # real objects fetched per URL pattern


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name, pattern) of every URL the project serves, the admin's aside."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), full)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry


def model_for(name: str):
    """The model a URL name speaks of: ``app:entity-action`` → the app's model whose name is,
    or ends with, ``entity`` (``accessibility:project-detail`` → RetrofitProject)."""
    namespace, _, rest = name.rpartition(":")
    entity = rest.split("-")[0].replace("_", "")
    candidates = [m for m in apps.get_models() if not m.__name__.startswith("Historical")]
    for test in (
        lambda m: m._meta.model_name == entity,
        lambda m: m._meta.model_name.endswith(entity),
        lambda m: entity in m._meta.model_name,
    ):
        found = [m for m in candidates if m._meta.app_label == namespace and test(m)]
        if found:
            return found[0]
    found = [m for m in candidates if m._meta.app_label == namespace]
    return found[0] if len(found) == 1 else None


def fill_route(route: str, name: str) -> list[str]:
    """URLs for ``route`` with its parameters filled from the demo data: ``pk`` from the model
    the name speaks of, a year from this year and last, any other word with a placeholder (the
    view answers 404 or 405, and is still fetched)."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not params:
        return ["/" + route]
    model = model_for(name)
    values: dict[str, list[str]] = {}
    for _converter, param in params:
        if param == "pk":
            pks = list(model.objects.values_list("pk", flat=True)[:2]) if model else []
            values[param] = [str(pk) for pk in pks] or ["1"]
        elif param == "year":
            year = timezone.localdate().year
            values[param] = [str(year - 1), str(year)]
        else:
            values[param] = ["x"]
    urls = []
    for i in range(2):
        url = route
        for converter, param in params:
            options = values[param]
            token = f"<{converter}:{param}>" if converter else f"<{param}>"
            url = url.replace(token, options[min(i, len(options) - 1)])
        urls.append("/" + url)
    return sorted(set(urls))


def identifiers() -> set[str]:
    from dfed.people.models import Person

    values: set[str] = set()
    for row in Person.objects.values_list(
        "id_number", "certificate_number", "phone", "guardian_phone", "bank_account"
    ):
        values.update(v for v in row if v)
    try:
        staff = apps.get_model("integrity", "Staff")
    except LookupError:
        staff = None
    if staff is not None and any(f.name == "phone" for f in staff._meta.get_fields()):
        values.update(p for p in staff.objects.values_list("phone", flat=True) if p)
    return values


def response_text(response) -> str:
    """Everything a user receives: HTML/JSON text, xlsx cells, docx parts."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "wordprocessingml" in content_type or body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            xml = " ".join(
                archive.read(n).decode("utf-8", "replace")
                for n in archive.namelist()
                if n.endswith(".xml")
            )
        return re.sub(r"<[^>]+>", "", xml)
    return body.decode(response.charset or "utf-8", "replace")


def crawl(client, secrets: set[str]) -> tuple[set[str], list[str]]:
    """Fetch every pattern (filled) and every link found; return patterns reached and leaks."""
    patterns = [
        (route, name, p) for route, name, p in url_patterns() if not route.startswith("admin/")
    ]
    queue: deque[str] = deque()
    for route, name, _pattern in patterns:
        queue.extend(fill_route(route, name))
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    reached: set[str] = set()
    leaks: list[str] = []
    pattern = re.compile("|".join(re.escape(s) for s in sorted(secrets, key=len, reverse=True)))
    while queue:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        key = match.view_name + ("?" if "?" in url else "")
        if per_pattern.get(key, 0) >= PER_PATTERN:
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        response = client.get(url)
        reached.add(match.view_name)
        if response.status_code >= 500:
            leaks.append(f"{url}: HTTP {response.status_code}")
            continue
        text = response_text(response)
        for found in set(pattern.findall(text)):
            leaks.append(f"{url}: {found}")
        if "text/html" in response.get("Content-Type", ""):
            for link in HREF.findall(text):
                queue.append(link.replace("&amp;", "&"))
            if "export=xlsx" not in url and "<table" in text and "?" not in url:
                queue.append(url + "?export=xlsx")
    return reached, leaks


def test_no_role_without_view_sensitive_receives_a_full_identifier(client):
    call_command("load_demo", people=60, verbosity=0)
    from django.contrib.auth import get_user_model

    secrets = identifiers()
    assert len(secrets) > 100
    get_patterns = {
        name
        for route, name, p in url_patterns()
        if not route.startswith("admin/") and name and not name.endswith(("logout",))
    }
    for role, username in ROLES_WITHOUT_SENSITIVE.items():
        user = get_user_model().objects.get(username=username)
        assert not user.has_perm("people.view_sensitive"), role
        client.force_login(user)
        reached, leaks = crawl(client, secrets)
        assert not leaks, f"{role}: {leaks[:20]}"
        missing = get_patterns - reached - {"set_language"}
        assert not missing, f"{role}: 未覆盖的页面 {sorted(missing)}"
