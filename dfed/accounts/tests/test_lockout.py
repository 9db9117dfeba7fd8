"""Login lockout behind a reverse proxy, and the per-account cap across addresses."""

from django.core.management import call_command
from django.urls import reverse

from .factories import PASSWORD


def attempt(client, *, forwarded, password="wrong", username="caseworker"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",  # the proxy
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_lockout_behind_a_trusted_proxy_is_per_client_address(client, settings, caseworker):
    settings.TRUSTED_PROXY_HOPS = 1
    for _ in range(5):
        attempt(client, forwarded="203.0.113.7")
    assert attempt(client, forwarded="203.0.113.7", password=PASSWORD).status_code == 429
    # Another client behind the same proxy is not locked out by the first one's mistakes.
    response = attempt(client, forwarded="198.51.100.2", password=PASSWORD)
    assert response.status_code == 302


def test_a_spoofed_forwarded_header_is_ignored_without_a_trusted_proxy(
    client, settings, caseworker
):
    settings.TRUSTED_PROXY_HOPS = 0
    for n in range(5):
        attempt(client, forwarded=f"192.0.2.{n}")  # a new fake address each time
    assert attempt(client, forwarded="192.0.2.99", password=PASSWORD).status_code == 429


def test_account_cap_across_addresses_and_unlock(client, settings, caseworker):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.LOGIN_ACCOUNT_FAILURE_CAP = 8
    for n in range(8):  # two failures from each of four addresses: no pair reaches five
        attempt(client, forwarded=f"203.0.113.{n // 2}")
    response = attempt(client, forwarded="198.51.100.50", password=PASSWORD)
    assert response.status_code == 429
    call_command("axes_reset_username", "caseworker")
    assert attempt(client, forwarded="198.51.100.50", password=PASSWORD).status_code == 302
