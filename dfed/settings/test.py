"""Settings for the test suite: real PostgreSQL and Redis when the environment names them,
locmem SMS, a fast password hasher, eager Celery unless a test starts a real worker."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
DEMO_ALLOWED = True
SHOW_DEMO_USERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = env("SMS_BACKEND", default="dfed.notifications.backends.locmem.SmsBackend")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
