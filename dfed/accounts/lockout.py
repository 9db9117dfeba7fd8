"""Login lockout: django-axes per account and client address, plus a cap per account across
addresses against password spraying.

The client address is ``dfed.core.net.client_ip`` (``TRUSTED_PROXY_HOPS``), so behind a reverse
proxy one person's mistakes do not lock everybody out. ``AXES_FAILURE_LIMIT`` failures of one
account from one address lock that pair for ``AXES_COOLOFF_TIME``; ``LOGIN_ACCOUNT_FAILURE_CAP``
failures of one account from any addresses within ``LOGIN_ACCOUNT_FAILURE_WINDOW`` lock the
account everywhere until the window has passed or an admin unlocks it
(``manage.py axes_reset_username <username>``, which clears both).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


def account_failures_recent(username: str) -> int:
    """Failed logins of ``username`` from any address within the cap's window."""
    since = timezone.now() - settings.LOGIN_ACCOUNT_FAILURE_WINDOW
    return AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=since, locked_out=False
    ).count()


class AccountCapHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-account cap added to its lockout test."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures of this account from this address; at least the lockout limit once the
        account has reached its cap across addresses (so axes locks and answers 429)."""
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        cap = settings.LOGIN_ACCOUNT_FAILURE_CAP
        if username and cap and account_failures_recent(username) >= cap:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """Unlocking an account also lifts its cap (its failures in the window are cleared)."""
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        if username:
            since = timezone.now() - settings.LOGIN_ACCOUNT_FAILURE_WINDOW
            AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).delete()
        return count
