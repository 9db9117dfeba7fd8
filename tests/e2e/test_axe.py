"""axe-core over every page of every role, in Chinese and English, at desktop width and on a
390-px phone. Any serious or critical violation fails the test, listed by page, role, language,
width and rule.

axe-core comes from the pinned ``axe-playwright-python`` package (it bundles ``axe.min.js``), so
the check runs offline. The pages come from the URL resolver filled with ``load_demo`` objects
(tests/e2e/pages.py), so a new page is checked without touching this file. One browser, one page
per role and language: each URL pattern is loaded once per language at desktop width, and in one
of the two languages also at 390 px.

``AXE_PAGES=<regex>`` limits the run to matching paths while fixing a page by hand.
"""

import os
import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from dfed.accounts.models import User

from .pages import admin_pages, portal_pages

# Part of every test run (and CI); `make test-axe` (-m axe) runs it alone.
pytestmark = [pytest.mark.slow, pytest.mark.axe, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
WIDTHS = [(1366, 900), (390, 844)]
FAILING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Check a page once it is settled: its web fonts loaded (the header measures itself with them)
# and no part of it busy (a dashboard widget sets aria-busy while it fetches and draws its chart).
SETTLED = (
    "() => document.fonts.status === 'loaded' && !document.querySelector('[aria-busy=\"true\"]')"
)
# Let the page's resize handlers run (the header fit, the scroll regions) before checking.
NEXT_FRAME = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _clients():
    clients: dict[str, Client] = {}

    def client_for(role: str) -> Client:
        if role not in clients:
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=role))
            clients[role] = client
        return clients[role]

    return client_for


def _violations(axe, page) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        targets = "; ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
            f"{violation['help']} — {targets}"
        )
    return found


def _visits(pages, admin_paths) -> dict[tuple[str, str], list[tuple[str, bool]]]:
    """(role, language) → [(path, phone)]: every page once in Chinese and once in English, each
    time as another of the roles that may open it (rotating, so every role's menus and buttons
    are seen across the pages), and a sample of the Django admin (every app's index, every
    model's list, one add and one change form per app) alternating languages.

    Every visit is checked at desktop width; ``phone`` visits also at 390 px: each portal page
    in one of its two languages (alternating), and the admin index only (the admin's own
    responsive layout is Django's). This halves the axe runs of the full crawl."""
    visits: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    by_pattern: dict[str, list] = {}
    for page in pages:
        by_pattern.setdefault(page.name, []).append(page)
    for n, group in enumerate(by_pattern.values()):
        choices = [(page.path, role) for page in group for role in page.roles]
        for k, language in enumerate(LANGUAGES):
            path, role = choices[(n + k) % len(choices)]
            visits.setdefault((role, language), []).append((path, k == n % 2))
    for n, path in enumerate(admin_paths):
        visits.setdefault(("admin", LANGUAGES[n % 2]), []).append((path, n == 0))
    return visits


def test_every_page_passes_axe_in_both_languages_and_widths(browser, live_server):
    started = time.monotonic()
    call_command("load_demo", people=120, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client_for = _clients()
    pages, uncovered, errors = portal_pages(client_for)
    _, admin, admin_errors = admin_pages(client_for("admin"))
    errors += admin_errors
    only = re.compile(os.environ.get("AXE_PAGES", ""))
    visits = _visits(
        [p for p in pages if only.search(p.path)], [a for a in admin if only.search(a)]
    )
    crawled = time.monotonic()
    count = sum(map(len, visits.values()))
    print(f"\naxe: crawl {crawled - started:.0f} s, {count} visits", flush=True)

    axe = Axe()
    failures: list[str] = []
    checked = 0
    desktop = {"width": WIDTHS[0][0], "height": WIDTHS[0][1]}
    for (role, language), paths in visits.items():
        context = browser.new_context(
            base_url=live_server.url, viewport=desktop, reduced_motion="reduce"
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client_for(role).cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                },
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            ]
        )
        page = context.new_page()
        for path, phone in paths:
            loaded = time.monotonic()
            response = page.goto(path)
            if response is None or response.status >= 400:
                failures.append(f"{path} [{role} {language}] HTTP {response and response.status}")
                continue
            page.wait_for_function(SETTLED)
            for width, height in WIDTHS if phone else WIDTHS[:1]:
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_function(SETTLED)
                page.evaluate(NEXT_FRAME)
                if page.evaluate(SIDEWAYS):
                    failures.append(f"{path} [{role} {language} {width}px] 页面横向滚动")
                failures += [
                    f"{path} [{role} {language} {width}px] {violation}"
                    for violation in _violations(axe, page)
                ]
                checked += 1
            page.set_viewport_size(desktop)
            print(f"  {time.monotonic() - loaded:4.1f} s {role} {language} {path}", flush=True)
        context.close()
    finished = time.monotonic()
    print(f"axe: {checked} checks; crawl {crawled - started:.0f} s, axe {finished - crawled:.0f} s")
    problems = (
        [f"服务器错误：{e}" for e in errors]
        + [f"没有任何角色能打开（缺演示对象？）：{name}" for name in uncovered]
        + failures
    )
    assert not problems, f"{len(problems)} 个无障碍问题：\n" + "\n".join(problems)
