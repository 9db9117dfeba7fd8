"""Browser tests: Playwright drives Debian's Chromium (no browser download) against the
live server. Marked slow; CI runs them."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"找不到 Chromium（{path}）：请安装 Debian 的 chromium 包（.ci/run 会自动安装）"
        )
    return path


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (360 px wide, touch)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as():
    """``login_as(page, user)``: log in through the real login form."""
    from dfed.accounts.tests.factories import PASSWORD

    def _login(page, user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


@pytest.fixture
def pick_person():
    """``pick_person(page, "赵扶手")``: choose a person with the person picker, typing ``text``
    (a name, or an ID number) and clicking the answer naming ``name`` (default: ``text``)."""
    from playwright.sync_api import expect

    def _pick(page, text: str, *, name: str | None = None, label: str = "残疾人"):
        page.get_by_role("combobox", name=label).fill(text)
        page.get_by_role("option", name=name or text).click()
        expect(page.locator("select[data-person-picker] option:checked")).to_contain_text(
            name or text
        )

    return _pick
