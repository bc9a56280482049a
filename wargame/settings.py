"""Settings, read from the environment.

With no environment at all the server runs embedded: SQLite in var/, the
in-memory channel layer and the runners inside the web process. REDIS_URL
switches to the Redis channel layer and Celery runners; DATABASE_URL picks the
database (PostgreSQL in distributed mode).
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wargame.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"

PORT = env_int("PORT", 8000)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]),
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Websocket connections must come from a page the server itself served.
WS_ALLOWED_ORIGINS = env_list(
    "WS_ALLOWED_ORIGINS",
    [f"http://localhost:{PORT}", f"http://127.0.0.1:{PORT}"],
)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "channels",
    "wargame.games",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wargame.urls"
ASGI_APPLICATION = "wargame.asgi.application"

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

# The embedded database; `play` never writes here (it uses a throwaway file).
EMBEDDED_DB_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE_S", 60)
        )
    }
else:
    EMBEDDED_DB_PATH.parent.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(EMBEDDED_DB_PATH),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Opening a SQLite connection costs more than a query: keep them.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        # Runners and consumers write from several threads: wait for the lock
        # instead of failing, and let readers run beside a writer.
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: consumers and runners read it from other threads.
    # One per process: test runs side by side must not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"wargame-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times out socket reads after 5 s by default, as long
                # as channels-redis blocks waiting for a message: an idle
                # websocket would die after 5 s without a longer read timeout.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "capacity": 500,
                "expiry": 30,
                # Installations (or test runs) sharing one Redis keep apart.
                "prefix": env_str("WARGAME_REDIS_PREFIX", "wargame"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# "inline": runners are asyncio tasks in the web process; "celery": Celery tasks.
RUNNER_MODE = env_str("WARGAME_RUNNER", "celery" if REDIS_URL else "inline")
if RUNNER_MODE not in ("inline", "celery"):
    raise ImproperlyConfigured(
        f"WARGAME_RUNNER must be inline or celery, got {RUNNER_MODE!r}"
    )
if RUNNER_MODE == "celery" and not REDIS_URL:
    raise ImproperlyConfigured("WARGAME_RUNNER=celery needs REDIS_URL")

# A team's runner renews its lease every few seconds; a runner that dies is
# replaced once its lease has run out.
RUNNER_LEASE_S = env_int("WARGAME_RUNNER_LEASE_S", 10)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_DEFAULT_QUEUE = env_str("WARGAME_CELERY_QUEUE", "wargame")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A runner task lasts as long as its game; the broker redelivers a task whose
# worker vanished once this many seconds have passed since it was delivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_S", 3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# `manage.py demo` (re)sets the demo facilitator's password to this.
DEMO_PASSWORD = env_str("WARGAME_DEMO_PASSWORD", "wargame")

SCENARIOS_DIR = Path(env_str("WARGAME_SCENARIOS_DIR") or BASE_DIR / "scenarios")
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The built frontend is served at the site root: /assets/..., /favicon.svg.
WHITENOISE_ROOT = FRONTEND_DIST
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "wargame.games.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"join": env_str("WARGAME_JOIN_RATE", "120/min")},
    # Proxies in front of the server whose X-Forwarded-For is trusted; with 0,
    # a client cannot dodge the join throttle by sending that header itself.
    "NUM_PROXIES": env_int("WARGAME_NUM_PROXIES", 0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

LOG_LEVEL = env_str("WARGAME_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "wargame": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
