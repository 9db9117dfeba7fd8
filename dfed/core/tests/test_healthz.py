import subprocess
import sys

import pytest
from django.db import connection


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True


@pytest.mark.django_db(transaction=True)
def test_healthz_503_when_database_does_not_answer(client):
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "1"
    connection.settings_dict["NAME"] = (
        "nowhere" if "sqlite" not in original["ENGINE"] else "/nonexistent/dir/db.sqlite3"
    )
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "dfed.settings.production",
        "SECRET_KEY": "x" * 30 + "-production-key-for-the-check-only-0123456789",
        "ALLOWED_HOSTS": "dfed.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {
        "DJANGO_SETTINGS_MODULE": "dfed.settings.production",
        "ALLOWED_HOSTS": "x",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
