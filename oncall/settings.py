"""Settings, read from environment variables only (see the configuration table in README.md)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required unless DEBUG is on")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"
# Former keys, comma-separated: what they signed or encrypted (stored Slack and webhook secrets,
# common/encryption.py) still opens after SECRET_KEY is rotated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

# Loopback names are always allowed so that the container's own health check gets through.
ALLOWED_HOSTS = [*env_list("ALLOWED_HOSTS"), "localhost", "127.0.0.1", "[::1]"]
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "users",
    "schedules",
    "shifts",
    "oncall_events",
    "pages",
]

MIDDLEWARE = [
    "oncall.request_ids.RequestIdMiddleware",
    "oncall.errors.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

# The API answers with and without a trailing slash itself; Django must not redirect.
APPEND_SLASH = False

ROOT_URLCONF = "oncall.urls"
WSGI_APPLICATION = "oncall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request reuses it: after a database restart
        # the first request of each thread connects again instead of failing.
        conn_health_checks=True,
    )
}
# SQLite takes one writer at a time. A transaction takes the write lock when it begins
# (IMMEDIATE) and waits for it up to SQLITE_BUSY_TIMEOUT seconds: a deferred transaction would
# read first and fail with "database is locked" when it then tries to write. WAL lets readers
# go on while a writer works; synchronous=NORMAL is durable across crashes of the service (a
# power loss may lose the last commits, never corrupt the file).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "10")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# PostgreSQL: Django's backend, whose check of a kept connection costs no round trip.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "common.postgresql"
# PostgreSQL: with server-side parameter binding, psycopg prepares a statement once a connection
# has run it 5 times, and PostgreSQL stops planning it again: planning was four fifths of the
# server's time for the token-and-schedule read of every on-call request. Poolers in transaction
# mode that do not carry prepared statements across clients need DATABASE_PREPARED_STATEMENTS=0.
if DATABASES["default"]["ENGINE"] == "common.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["users.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["users.api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["apikit.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"public_api": os.environ.get("API_THROTTLE_RATE", "300/minute")},
    "DEFAULT_PAGINATION_CLASS": "apikit.pagination.UpstreamPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "apikit.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "apikit.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "apikit.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# OpenAPI 3 schema at /api/schema/, Swagger UI at /api/docs/ (its assets served by the service
# itself, from drf-spectacular-sidecar: the page works offline).
SPECTACULAR_SETTINGS = {
    "TITLE": "oncall-schedules",
    "VERSION": "0.1.0",
    "DESCRIPTION": (
        "Grafana OnCall-compatible schedules API. Authenticate with the raw API token in the "
        "`Authorization` header (no `Bearer`). Every route also answers without its trailing "
        "slash."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apikit.schema.strict_responses",
    ],
    # Per-type bodies pin `type` to one value each; these name the resulting enums.
    "ENUM_NAME_OVERRIDES": {
        "ShiftTypeEnum": "shifts.models.ShiftType",
        "FrequencyEnum": "shifts.models.Frequency",
        "IcalTypeEnum": ["ical"],
        "CalendarTypeEnum": ["calendar"],
        "WebTypeEnum": ["web"],
        "SingleEventTypeEnum": ["single_event"],
        "RecurrentEventTypeEnum": ["recurrent_event"],
        "RollingUsersTypeEnum": ["rolling_users"],
        "OverrideTypeEnum": ["override"],
        "SignalScheduleTypeEnum": ["weekly", "custom"],
        "SignalWeeklyTypeEnum": ["weekly"],
        "SignalCustomTypeEnum": ["custom"],
        "SignalRotationTypeEnum": ["daily", "weekly"],
        "InstatusDayEnum": "dialects.instatus.serializers.DAYS_OF_WEEK",
        "InstatusRotationTypeEnum": ["DAILY", "WEEKLY", "CUSTOM"],
        "InstatusUnitEnum": ["HOURS", "DAYS", "WEEKS"],
        "InstatusRestrictionTypeEnum": ["NONE", "TIMEOFDAY", "TIMEINTERVALS"],
        "InstatusStatusEnum": ["ACTIVE", "INACTIVE"],
        "ShiftSwapStatusEnum": "schedules.models.SwapStatus",
    },
}

# Throttle counters live in the default cache: local memory per process unless REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        # Redis down or unreachable: answers go on without the cache (oncall/cache.py).
        {"BACKEND": "oncall.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Per worker; the entry bound keeps cached timelines within the memory budget.
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_ENTRIES", "200"))},
        }
    )
}

# The pages' sign-in form: failed attempts allowed per username per minute (4 times as many per
# client address) before it refuses attempts for the rest of the minute (docs/pages.md).
SIGN_IN_FAILURES_PER_MINUTE = int(os.environ.get("SIGN_IN_FAILURES_PER_MINUTE", "5"))
# Page sessions last two weeks unless the browser signs out (Django's default).
LOGIN_URL = "pages:sign_in"

# Outbound HTTP (integrations/http.py): time budget in seconds for a whole download, redirects
# included, and the largest body accepted, counted after gunzip.
HTTP_TIMEOUT = float(os.environ.get("HTTP_TIMEOUT", "10"))
HTTP_MAX_BYTES = int(os.environ.get("HTTP_MAX_BYTES", str(5 * 1024 * 1024)))
# Hosts exempt from the SSRF guard's address check (calendars on the intranet), e.g.
# "calendar.corp.example,10.0.0.7". The scheme must still be http or https.
ICAL_ALLOWED_HOSTS = env_list("ICAL_ALLOWED_HOSTS")
# Feeds with more events than this are refused: each read of a feed parses all of it.
ICAL_MAX_EVENTS = int(os.environ.get("ICAL_MAX_EVENTS", "2000"))

# Remote iCal feeds older than this are downloaded again by `refresh_ical` / the Celery beat task.
# Resolved timelines and final_shifts bodies stay cached this long (writes invalidate them anyway).
TIMELINE_CACHE_SECONDS = int(os.environ.get("TIMELINE_CACHE_SECONDS", "3600"))

# Objects of a few hundred bytes a worker keeps per block of time (timeline/cache.py):
# raw events, resolved pieces and written final_shifts rows, so that windows inside one block
# are answered without reading, expanding or resolving the schedule again; and on-call users.
EXPANDED_EVENTS_PER_PROCESS = int(os.environ.get("EXPANDED_EVENTS_PER_PROCESS", "100000"))

ICAL_REFRESH_SECONDS = int(os.environ.get("ICAL_REFRESH_SECONDS", "600"))
# How many feeds are downloaded at once (each under its own HTTP_TIMEOUT), by a refresh or a write.
ICAL_DOWNLOAD_WORKERS = int(os.environ.get("ICAL_DOWNLOAD_WORKERS", "8"))

# Optional: with a broker (e.g. redis://127.0.0.1:6379/0) Celery beat refreshes feeds every 10 min.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
# On-call events (docs/oncall-events.md): how often beat runs them (each run looks only at the
# schedules whose next change has come, or that were written), the hour (UTC) of the daily gap
# check, and how long a failed Slack call or webhook delivery is tried again.
ONCALL_EVENTS_TICK_SECONDS = float(os.environ.get("ONCALL_EVENTS_TICK_SECONDS", "10"))
GAP_CHECK_HOUR = int(os.environ.get("GAP_CHECK_HOUR", "9"))
DELIVERY_RETRY_HOURS = float(os.environ.get("DELIVERY_RETRY_HOURS", "24"))
CELERY_BEAT_SCHEDULE = {
    "refresh-ical-feeds": {"task": "schedules.tasks.refresh_ical_feeds", "schedule": 600.0},
    "oncall-events": {
        "task": "oncall_events.tasks.process_oncall_events",
        "schedule": ONCALL_EVENTS_TICK_SECONDS,
        # A run that waited longer than a tick in the queue is replaced by the next one.
        "options": {"expires": ONCALL_EVENTS_TICK_SECONDS},
    },
}
# Slack's Web API (tests point it at a local server) and the deadline of each call, in seconds.
SLACK_API_URL = os.environ.get("SLACK_API_URL", "https://slack.com/api/")
SLACK_TIMEOUT = float(os.environ.get("SLACK_TIMEOUT", "10"))

# Every line names the request it belongs to (`-` outside requests): see oncall/request_ids.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "oncall.request_ids.RequestIdFilter"},
        "redact_query": {"()": "oncall.access_log.RedactQueryFilter"},
    },
    "formatters": {
        "request": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "request",
        },
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "loggers": {
        # The development server's access log, as Django writes it, with export tokens
        # redacted (gunicorn's is `oncall.access_log.RedactingLogger`).
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["redact_query"],
            "level": "INFO",
            "propagate": False,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Production hardening (DEBUG off): HTTPS, normally behind a proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

# Request bodies over 1 MB are refused (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024)))
