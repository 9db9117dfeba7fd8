"""Settings of the real Celery worker started by the integration tests: the test settings,
with the HTTP gateway backend, a dedicated queue and fast broker recovery, all from the env."""

import os

from dfed.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
SMS_BACKEND = os.environ.get("SMS_BACKEND", "dfed.notifications.backends.http.SmsBackend")
SMS_GATEWAY_URL = os.environ["SMS_GATEWAY_URL"]
SMS_GATEWAY_KEY = "integration-test"
SMS_GATEWAY_TIMEOUT = 5.0
SMS_QUEUE = os.environ["SMS_QUEUE"]
SMS_RATE_LIMIT = os.environ.get("SMS_RATE_LIMIT", "500/s")
SMS_RETRY_BASE = 0.2
SMS_MAX_ATTEMPTS = 12
# A message held by a killed worker comes back after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", "6")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    # A worker killed while sweeping holds the restore mutex until it expires (default 300 s).
    "unacked_mutex_expire": 3,
}
