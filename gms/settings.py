"""Settings for the GMS server.

One module for every deployment. Each knob is a ``GMS_*`` environment variable;
with none set the server runs on the *embedded default*: SQLite, a local-memory
cache, an in-memory channel layer and an in-process Celery worker and beat, so a
newcomer needs nothing but Python.

Production sets at least ``GMS_DATABASE_URL`` (PostgreSQL) and ``GMS_REDIS_URL``
(cache, Celery broker and channel layer), plus ``GMS_SECRET_KEY`` and
``GMS_ALLOWED_HOSTS``.
"""

import os
import secrets
import socket
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _embedded_secret_key() -> str:
    """A secret kept in var/ so sessions survive a restart of the embedded server."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("GMS_DEBUG")
SECRET_KEY = os.environ.get("GMS_SECRET_KEY") or _embedded_secret_key()
ALLOWED_HOSTS = env_list("GMS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# The node this process belongs to: the Node API answers for it.
GMS_NODE_ID = os.environ.get("GMS_NODE_ID") or socket.gethostname()

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "corsheaders",
    "apps.core",
    "apps.node",
    "apps.storage",
    "apps.phonenumber",
    "apps.patterns",
    "apps.services",
    "apps.officehours",
    "apps.capacity",
    "apps.contactcenter",
    "apps.stat",
    "apps.callback",
    "apps.notification",
    "apps.email",
    "apps.openmedia",
    "apps.desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.cors.SyncCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Cross-origin widgets (apps/core/cors.py): origins come from the [cors] section;
# credentials (Basic auth, cookies) allowed, so an origin is echoed, never "*".
CORS_URLS_REGEX = r"^/genesys/"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (*default_cors_headers, "gms_user", "gms-user", "contactcenterid")
CORS_EXPOSE_HEADERS = ("Age", "Location")

ROOT_URLCONF = "gms.urls"
ASGI_APPLICATION = "gms.asgi.application"
WSGI_APPLICATION = None

# GMS paths have no trailing slash; never redirect a POST to add one.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("GMS_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gms.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded server writes from web threads and the Celery thread at once:
    # WAL lets readers go on while one writer works, IMMEDIATE avoids upgrade deadlocks.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and channel layer -------------------------
REDIS_URL = os.environ.get("GMS_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gms",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 60},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # The in-memory transport only reaches consumers in the same process: the
    # embedded server runs its worker and beat as threads (apps.core.embedded).
    CELERY_BROKER_URL = "memory://"

CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "expire-unanswered-offers": {
        "task": "apps.contactcenter.tasks.expire_offers",
        "schedule": env_int("GMS_OFFER_SWEEP_SECONDS", 5),
    },
    "dispatch-due-callbacks": {
        "task": "apps.callback.tasks.dispatch_due",
        "schedule": env_int("GMS_CALLBACK_DISPATCH_SECONDS", 2),
    },
    "resume-paused-callbacks": {
        "task": "apps.callback.tasks.resume_paused_callbacks",
        "schedule": env_int("GMS_CALLBACK_RESUME_SECONDS", 5),
    },
    "reconcile-callbacks": {
        "task": "apps.callback.tasks.reconcile_callbacks",
        "schedule": env_int("GMS_CALLBACK_RECONCILE_SECONDS", 10),
    },
    "purge-expired-callbacks": {
        "task": "apps.callback.tasks.purge_expired_callbacks",
        "schedule": env_int("GMS_CALLBACK_PURGE_SECONDS", 60),
    },
    "purge-expired-services": {
        "task": "apps.services.tasks.purge_expired_services",
        "schedule": env_int("GMS_SERVICE_PURGE_SECONDS", 60),
    },
    "purge-expired-subscriptions": {
        "task": "apps.notification.tasks.purge_expired_subscriptions",
        "schedule": env_int("GMS_SUBSCRIPTION_PURGE_SECONDS", 60),
    },
    "purge-expired-storage": {
        "task": "apps.storage.tasks.purge_expired_storage",
        "schedule": env_int("GMS_STORAGE_PURGE_SECONDS", 60),
    },
}

# --- Auth, i18n, static ----------------------------------------------------
AUTH_PASSWORD_VALIDATORS = []
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("GMS_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve from the apps' folders when collectstatic has not run (the embedded default).
WHITENOISE_USE_FINDERS = True

# --- GMS behaviour -----------------------------------------------------------
# Admin credentials for the paths GMS protects (Node API, statistics) when the
# configuration section [admin] sets none. See apps.core.auth.
GMS_ADMIN_USER = os.environ.get("GMS_ADMIN_USER", "admin")
GMS_ADMIN_PASSWORD = os.environ.get("GMS_ADMIN_PASSWORD", "")

# Storage API limits (storage.md §3, §5): 0 turns a limit off.
GMS_STORAGE_MAX_UPLOAD_BYTES = env_int("GMS_STORAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
GMS_STORAGE_MAX_KEYS = env_int("GMS_STORAGE_MAX_KEYS", 1000)
GMS_STORAGE_MAX_TTL = env_int("GMS_STORAGE_MAX_TTL", 0)

# Contact center: seconds an agent has to accept an offer before it returns to the queue.
GMS_OFFER_TIMEOUT_SECONDS = env_int("GMS_OFFER_TIMEOUT_SECONDS", 30)
# Where a telephony system reaches this server (the webhook dialer's outcomeUrl).
GMS_PUBLIC_URL = os.environ.get("GMS_PUBLIC_URL", "http://127.0.0.1:8080")
# Stat Service: a statistic nobody asks for is dropped from the cache after this long.
STAT_IDLE_CLOSE_SECONDS = env_int("GMS_STAT_IDLE_CLOSE_SECONDS", 600)

# Pattern Matcher: "full" (re.fullmatch, the default) or "search" (pattern.md §2.2).
GMS_PATTERN_MATCH_MODE = os.environ.get("GMS_PATTERN_MATCH_MODE", "full")

# Django's own body limits follow ours, so the Storage API can answer 413 itself
# (None when our limit is off).
DATA_UPLOAD_MAX_MEMORY_SIZE = (
    GMS_STORAGE_MAX_UPLOAD_BYTES + 1024 * 1024 if GMS_STORAGE_MAX_UPLOAD_BYTES else None
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = GMS_STORAGE_MAX_KEYS + 100 if GMS_STORAGE_MAX_KEYS else None
DATA_UPLOAD_MAX_NUMBER_FILES = DATA_UPLOAD_MAX_NUMBER_FIELDS

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["apps.core.renderers.GMSJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "apps.core.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GMS-compatible server API",
    "DESCRIPTION": (
        "The Genesys Mobile Services 8.5 API family, served by a self-hostable server. "
        "Paths, parameters and bodies follow the GMS reference."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {
        "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
    },
    "SECURITY": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GMS_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
