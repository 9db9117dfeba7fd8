"""Settings shared by every environment.

The environment is read once, here, through django-environ. With no ``DATABASE_URL`` the portal
runs on SQLite; with no ``REDIS_URL`` Celery runs eagerly in-process and the cache is local memory.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_celery_beat",
]
LOCAL_APPS = [
    "dfed.core",
    "dfed.accounts",
    "dfed.people",
    "dfed.notifications",
    "dfed.reports",
    "dfed.imports",
    "subsidies",
    "homes",
    "accessibility",
    "integrity",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dfed.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "dfed.core.routers.PrimaryPinMiddleware",
    "dfed.core.routers.ReplicaReadMiddleware",
    "dfed.core.middleware.BadParameterMiddleware",
    "csp.middleware.CSPMiddleware",
    "dfed.core.headers.PrivacyHeadersMiddleware",
]

ROOT_URLCONF = "dfed.urls"
WSGI_APPLICATION = "dfed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dfed.core.context_processors.portal",
            ],
        },
    }
]

# --- Data stores ---------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Past one machine: reads that may lag (dashboards, reports, figures, exports) go to a streaming
# replica when DATABASE_REPLICA_URL is set; a client that has just written reads the primary for
# DATABASE_REPLICA_PIN_SECONDS (see dfed/core/routers.py and docs/deployment.md).
# Behind PgBouncer in transaction-pooling mode a server-side cursor cannot outlive its
# transaction: DATABASE_PGBOUNCER=true turns them off (QuerySet.iterator() then fetches in chunks).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_PGBOUNCER", default=False)
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"][
        "DISABLE_SERVER_SIDE_CURSORS"
    ]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dfed.core.routers.ReplicaRouter"]
DATABASE_REPLICA_VIEWS = env.list(
    "DATABASE_REPLICA_VIEWS", default=["reports:*", "homes:figures", "accessibility:figures"]
)
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=15)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dfed",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child above this resident size (KiB) is replaced after its task (imports, reports).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=800_000)
# Imports: uploads are deleted this many days after their job ends (beat task).
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=7)
# django-import-export (the admin's reference tables): one transaction per import, so a file
# with any error writes nothing; importing needs the model's add permission.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_EXPIRES = timedelta(days=1)
# One queue per kind of work, so workers on several hosts take the queues they are given
# (`celery -A dfed worker -Q sms`); `make worker` takes them all.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "dfed.notifications.*": {"queue": "sms"},
    "integrity.*": {"queue": "sms"},
    "dfed.imports.*": {"queue": "imports"},
    "subsidies.service_code_send": {"queue": "sms"},  # a family waits for this code
    "subsidies.*": {"queue": "batches"},
    "dfed.reports.*": {"queue": "reports"},
}

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: five failures lock the account from that address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, or behind N trusted reverse proxies the N-th address from
# the right of X-Forwarded-For (dfed.core.net.client_ip). 0 = no proxy (the header is ignored).
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
AXES_CLIENT_IP_CALLABLE = "dfed.core.net.client_ip"
# Against password spraying: this many failures of one account from any addresses within the
# window lock the account everywhere (dfed.accounts.lockout).
AXES_HANDLER = "dfed.accounts.lockout.AccountCapHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_ACCOUNT_FAILURE_CAP = env.int("LOGIN_ACCOUNT_FAILURE_CAP", default=20)
LOGIN_ACCOUNT_FAILURE_WINDOW = timedelta(hours=1)

# --- I18N ------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language named in its own language, untranslated (a reader looks for their own).
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
# Chinese unless the user picked English with the switch: the browser's Accept-Language is not
# asked (dfed.core.middleware.LocaleMiddleware); the choice is remembered for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
# Uploaded files (attachments, photos) are private: stored outside static and never served by
# URL; views check permissions and stream them.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files go through Django's storage API: the filesystem by default, S3-compatible object
# storage (django-storages) when STORAGE_S3_BUCKET is set. Files stay private: no public URLs,
# views stream them after a permission check.
STORAGE_S3_BUCKET = env("STORAGE_S3_BUCKET", default="")
if STORAGE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env("STORAGE_S3_ENDPOINT_URL", default=None),
            "region_name": env("STORAGE_S3_REGION", default=None),
            "access_key": env("STORAGE_S3_ACCESS_KEY", default=None),
            "secret_key": env("STORAGE_S3_SECRET_KEY", default=None),
            "location": env("STORAGE_S3_PREFIX", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

FILTERS_EMPTY_CHOICE_LABEL = _("全部")
# History is read per object, and across objects by date ("changes in the last 7 days", the
# history pages): the date index stays on every history table (about 440 ms without it over
# 1.5M history rows).
SIMPLE_HISTORY_DATE_INDEX = True
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline;
# inline style attributes stay allowed (Bootstrap layouts use them, they cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()"
)

# --- Portal ----------------------------------------------------------------------------------
PORTAL_NAME = env("PORTAL_NAME", default="示范区残疾人联合会业务平台")
# Demo data and the demo users' passwords on the login page: local settings only.
DEMO_ALLOWED = False
SHOW_DEMO_USERS = False
DEMO_PASSWORD = "Demo@2026"
PAGE_SIZE = 25
# Access log of full identifier views (PIPL): rows older than this many months are pruned.
ACCESS_LOG_RETENTION_MONTHS = env.int("ACCESS_LOG_RETENTION_MONTHS", default=6)
# Lists stop counting here and say 「10,000+ 条」 (dfed/core/pagination.py).
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=10_000)

# SMS backend, in the manner of EMAIL_BACKEND.
SMS_BACKEND = env("SMS_BACKEND", default="dfed.notifications.backends.console.SmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=5.0)
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
SMS_RATE_LIMIT = env("SMS_RATE_LIMIT", default="20/s")
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=6)
SMS_RETRY_BASE = env.float("SMS_RETRY_BASE", default=2.0)
SMS_QUEUE = env("SMS_QUEUE", default=None)
SMS_STALE_SECONDS = env.int("SMS_STALE_SECONDS", default=600)
# Delivery reports (回执) from the HTTP gateway: HMAC-SHA256 shared secret, freshness window (s).
SMS_GATEWAY_CALLBACK_SECRET = env("SMS_GATEWAY_CALLBACK_SECRET", default="")
SMS_GATEWAY_CALLBACK_MAX_AGE = env.int("SMS_GATEWAY_CALLBACK_MAX_AGE", default=300)

# Retrofits (无障碍改造): which household types may apply, and the photo size limit.
RETROFIT_ELIGIBLE_HOUSEHOLDS = env.list(
    "RETROFIT_ELIGIBLE_HOUSEHOLDS", default=["dibao", "marginal", "tekun"]
)
RETROFIT_PHOTO_MAX_BYTES = env.int("RETROFIT_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# Photos, any app (dfed.core.images): refused above these, thumbnails this long on their long side.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
IMAGE_MAX_SIDE = env.int("IMAGE_MAX_SIDE", default=16_384)
IMAGE_THUMBNAIL_SIZE = env.int("IMAGE_THUMBNAIL_SIZE", default=320)

# Subsidy policy switches (local rules).
SUBSIDY_LIVING_INCLUDES_MARGINAL = env.bool("SUBSIDY_LIVING_INCLUDES_MARGINAL", default=False)
SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL = env.bool("SUBSIDY_CARE_INCLUDES_LEVEL3_MENTAL", default=False)

# The family service (/service/): SMS code lifetime, idle timeout, lockout, the number to call.
FAMILY_CODE_TTL = env.int("FAMILY_CODE_TTL", default=600)
FAMILY_IDLE_SECONDS = env.int("FAMILY_IDLE_SECONDS", default=900)
FAMILY_MAX_ATTEMPTS = env.int("FAMILY_MAX_ATTEMPTS", default=5)
FAMILY_LOCK_SECONDS = env.int("FAMILY_LOCK_SECONDS", default=1800)
FAMILY_SERVICE_HOTLINE = env("FAMILY_SERVICE_HOTLINE", default="12385")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
WHITENOISE_USE_FINDERS = True
