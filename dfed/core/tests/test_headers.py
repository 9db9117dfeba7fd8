"""Production headers: CSP without inline script, Permissions-Policy, no-store, no server name."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# The manifest exists only after collectstatic; the headers do not depend on it.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
    response = Client().get("/accounts/login/", secure=True, HTTP_HOST="dfed.example.org")
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


def test_production_responses_carry_the_privacy_headers():
    env = {
        "DJANGO_SETTINGS_MODULE": "dfed.settings.production",
        "SECRET_KEY": "x" * 30 + "-production-key-for-the-check-only-0123456789",
        "ALLOWED_HOSTS": "dfed.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in headers["Permissions-Policy"]
    assert "no-store" in headers["Cache-Control"]
    assert "Server" not in headers


def test_gunicorn_config_drops_the_server_header():
    import gunicorn.http.wsgi

    original = gunicorn.http.wsgi.Response
    try:
        config = Path(settings.BASE_DIR) / "gunicorn.conf.py"
        exec(compile(config.read_text(), str(config), "exec"), {})  # noqa: S102
        response = gunicorn.http.wsgi.Response.__new__(gunicorn.http.wsgi.Response)
        response.version, response.status, response.chunked = "gunicorn", "200 OK", False
        response.req = type("R", (), {"version": (1, 1), "should_close": lambda self: False})()
        response.upgrade, response.headers, response.must_close = False, [], lambda: False
        response.should_close = lambda: False
        headers = response.default_headers()
    finally:
        gunicorn.http.wsgi.Response = original
    assert not any(h.lower().startswith("server:") for h in headers)
    assert any(h.startswith("Date:") for h in headers)


@pytest.mark.parametrize(
    "root", ["templates", "dfed", "subsidies", "homes", "accessibility", "integrity"]
)
def test_templates_have_no_inline_script(root):
    base = Path(settings.BASE_DIR) / root
    for template in base.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "application/json" in tag, f"{template}: {tag}"
        assert not re.search(r"\son[a-z]+=\"", text), f"{template}: inline event handler"
