"""What the HTTP benches share: percentiles, a free loopback port, gunicorn started on the
test database (test settings: DEBUG off) with 2 workers, as on the 2-core machine, logged-in
session cookies, and one timed GET."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def p95(values: list[float]) -> float:
    """The 95th percentile of ``values`` (ms), interpolated linearly between the closest ranks
    (``numpy.percentile``'s default); the value itself when there is one. (The "exclusive"
    method reads the 95th percentile of 20 values as nearly their maximum: one stray pause in
    20 requests became the figure.)"""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, *, workers: int = 2) -> subprocess.Popen:
    """``gunicorn dfed.wsgi`` on 127.0.0.1:``port`` against the test database; returns once
    /healthz answers (fails the test after 60 s). Stop it with ``stop_gunicorn``."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dfed.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "dfed.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    pytest.fail("gunicorn 未能启动")


def stop_gunicorn(process: subprocess.Popen) -> None:
    """Stop the gunicorn started above (its master stops the workers) and wait for it."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def session_cookies(user, count: int = 1) -> list[str]:
    """``count`` separate logged-in sessions of ``user`` (stored in the database gunicorn reads),
    as ``Cookie`` header values."""
    cookies = []
    for _i in range(count):
        client = Client()
        client.force_login(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def timed_get(conn: http.client.HTTPConnection, url: str, cookie: str) -> float:
    """GET ``url`` on ``conn`` with the session ``cookie``; the time to the whole response, ms.
    Fails the test on any status but 200."""
    started = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": cookie, "Accept-Language": "zh-hans"})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status == 200, (url, response.status)
    return elapsed
