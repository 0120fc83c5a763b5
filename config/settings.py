"""Settings, read from the environment (README "Environment").

Nothing here has a silent fallback: a malformed variable stops start-up and names itself (config/env.py).
Unset variables give the embedded defaults: a SQLite file in var/, the in-memory channel layer, a local-memory
cache and the database task backend, so the platform runs with no services at all.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_config,
    env_bool,
    env_int,
    env_list,
    env_seconds,
    env_str,
    env_timezone,
    env_url,
)

# Lets the classes django-stubs makes generic be subscripted at run time too (`admin.ModelAdmin[User]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DEBUG=true for development."
        )
    SECRET_KEY = "development-only-insecure-key-never-used-when-DEBUG-is-off"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "shell.admin_apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "core",
    "accounts",
    "tasks",  # before shell: ready() order is the home page's order, and running tasks come first
    "shell",
    "audit",
    "competitions",
    "certification",
    "talentpool",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",  # first, so every response carries X-Request-ID (static files too)
    "core.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy, no-store for signed-in callers
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.SessionLifetimeMiddleware",  # idle timeout and absolute lifetime of page sessions
    "core.middleware.UserLanguageMiddleware",
    "shell.page_errors.DomainErrorPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# `manage.py seed_demo` runs each app's seeder in this order (dependency order): each takes a seeded Random and
# returns the demo logins it made, or nothing.
DEMO_SEEDERS = ["accounts.demo.seed", "certification.demo.seed", "competitions.demo.seed",
                "certification.demo_certificates.seed",
                "talentpool.demo_pool.seed", "talentpool.demo_checklists.seed",
                "talentpool.demo_matchmaking.seed"]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

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
                "shell.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL's connections, per process (README "Connections"): a request borrows one from the pool and returns
# it when it ends; past max_size, requests wait up to the timeout for one, so a burst queues instead of failing.
DATABASE_POOL = {
    "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2, minimum=0),
    "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10, minimum=1),
    "timeout": env_seconds("DATABASE_POOL_TIMEOUT", 30.0),
}
# The threads a daphne process serves requests on (core/asgi.py); at most the pool's max_size, so none waits for a
# connection while holding a thread.
REQUEST_THREADS = min(env_int("REQUEST_THREADS", 8, minimum=1), int(DATABASE_POOL["max_size"]))
DATABASES = {
    "default": database_config(
        env_url("DATABASE_URL", {"postgres", "postgresql", "pgsql", "sqlite"}),
        str(VAR_DIR / "platform.sqlite3"),
        pool=DATABASE_POOL,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", {"redis", "rediss", "unix"})
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "jineng"},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jineng",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache and written through to the database (a cache miss or a cache that is down
# falls back to the table), which saves the session query of every signed-in request, the marking page's
# included. Correct wherever the cache is shared by every process that serves pages: the one daphne process of
# the embedded default (its in-memory cache), or Redis when several serve (README, production).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "imports", "documents", "matching"],
    }
}
# An Excel import of more rows than this runs as a background task with a progress bar; smaller ones answer in the
# request (DESIGN.md "People and files"; issue 8 item 6).
IMPORT_BACKGROUND_ROWS = 300
# Seconds an uploaded file may wait in the database for its background task before it is deleted and the task
# failed (tasks/retention.py): it holds real-name data, and a worker that never runs must not keep it for good.
try:
    TASK_INPUT_MAX_AGE = float(env_str("TASK_INPUT_MAX_AGE") or str(24 * 3600))
except ValueError as exc:
    raise ImproperlyConfigured(f"TASK_INPUT_MAX_AGE is not a number of seconds: {exc}.") from exc

# The audit log's signing key lives outside the database (DESIGN.md "Audit at scale"; audit/signing.py). Unset, the
# embedded default var/audit/signing-key.pem is created on first use (mode 0600); set, the file must exist. The
# public keys of retired signing keys stay in AUDIT_PUBLIC_KEYS_DIR (one PEM each), so heads they signed still verify.
AUDIT_SIGNING_KEY_FILE = Path(env_str("AUDIT_SIGNING_KEY_FILE") or VAR_DIR / "audit" / "signing-key.pem")
AUDIT_SIGNING_KEY_CREATE = env_str("AUDIT_SIGNING_KEY_FILE") is None
AUDIT_PUBLIC_KEYS_DIR = Path(env_str("AUDIT_PUBLIC_KEYS_DIR") or VAR_DIR / "audit" / "public-keys")
# Seconds between two runs of the sealer inside each `manage.py db_worker`; 0 turns it off.
try:
    AUDIT_SEAL_INTERVAL = float(env_str("AUDIT_SEAL_INTERVAL") or "1")
except ValueError as exc:
    raise ImproperlyConfigured(f"AUDIT_SEAL_INTERVAL is not a number of seconds: {exc}.") from exc
# Certificate signing keys (certification/keys.py; issue 13): a folder of one PEM per key plus a public index, never
# the database. With DEBUG the embedded default is var/certificate-keys; without it the folder must be named. A
# deployment that injects secrets sets CERTIFICATE_SIGNING_KEY (the PEM) and CERTIFICATE_SIGNING_KEY_ID instead.
# PUBLIC_BASE_URL is what every certificate's QR code points at: it is printed on paper, so it must never change.
_certificate_keys_dir = env_str("CERTIFICATE_KEYS_DIR")
if not _certificate_keys_dir and not DEBUG:
    raise ImproperlyConfigured("CERTIFICATE_KEYS_DIR is not set: name the folder of the certificate signing keys "
                               "(README \"Environment\"), or set DEBUG=true for development.")
CERTIFICATE_KEYS_DIR = Path(_certificate_keys_dir or VAR_DIR / "certificate-keys")
CERTIFICATE_SIGNING_KEY = env_str("CERTIFICATE_SIGNING_KEY") or ""
CERTIFICATE_SIGNING_KEY_ID = env_str("CERTIFICATE_SIGNING_KEY_ID") or ""
if bool(CERTIFICATE_SIGNING_KEY) != bool(CERTIFICATE_SIGNING_KEY_ID):
    raise ImproperlyConfigured("Set both CERTIFICATE_SIGNING_KEY and CERTIFICATE_SIGNING_KEY_ID, or neither.")
PUBLIC_BASE_URL = env_url("PUBLIC_BASE_URL", {"http", "https"}) or "http://127.0.0.1:8000"
# Verification rate limits (certification/throttle.py): single checks a minute per address, bulk requests a
# minute per account.
CERTIFICATE_VERIFY_PER_MINUTE = env_int("CERTIFICATE_VERIFY_PER_MINUTE", 60, minimum=1)
CERTIFICATE_VERIFY_BULK_PER_MINUTE = env_int("CERTIFICATE_VERIFY_BULK_PER_MINUTE", 10, minimum=1)
# Seconds between two runs of the live stream's sequencer inside each daphne process (competitions.stream_runner);
# 0 turns it off. Viewers' heartbeats, in seconds.
try:
    STREAM_SEQUENCE_INTERVAL = float(env_str("STREAM_SEQUENCE_INTERVAL") or "0.1")
    STREAM_HEARTBEAT_SECONDS = float(env_str("STREAM_HEARTBEAT_SECONDS") or "15")
except ValueError as exc:
    raise ImproperlyConfigured(f"STREAM_SEQUENCE_INTERVAL or STREAM_HEARTBEAT_SECONDS is not a number: {exc}.") from exc
# How many numbered deltas of each event's stream the sequencer keeps (competitions.services.stream, "Pruning");
# 0 keeps them all.
try:
    STREAM_KEEP_DELTAS = int(env_str("STREAM_KEEP_DELTAS") or "10000")
except ValueError as exc:
    raise ImproperlyConfigured(f"STREAM_KEEP_DELTAS is not a whole number: {exc}.") from exc
# A board client's message budget (competitions.consumers, issue 11): messages a second beyond which they are
# dropped, and seconds in a row of overrun after which the connection is closed (code 4429).
try:
    STREAM_CLIENT_MESSAGES_PER_SECOND = int(env_str("STREAM_CLIENT_MESSAGES_PER_SECOND") or "20")
    STREAM_CLIENT_ABUSE_SECONDS = int(env_str("STREAM_CLIENT_ABUSE_SECONDS") or "10")
except ValueError as exc:
    raise ImproperlyConfigured(f"STREAM_CLIENT_MESSAGES_PER_SECOND or STREAM_CLIENT_ABUSE_SECONDS is not a whole "
                               f"number: {exc}.") from exc

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.auth.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes; accounts/throttle.py): five failures lock a username at one address, not
# everywhere (someone guessing elsewhere must not lock a referee out), and an address with
# LOGIN_ADDRESS_FAILURE_LIMIT failures across usernames is refused for all of them (spraying). The per-address limit
# is well above five: the referees of one venue share one uplink.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = 40
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False

# Page sessions (accounts/sessions.py): signed out after SESSION_IDLE_MINUTES without a request and
# SESSION_MAX_HOURS after signing in, whatever the activity. Venue tablets use API tokens, not sessions.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_MAX_AGE = env_int("SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the source folders too, so a server started without collectstatic still has its css/js.
WHITENOISE_USE_FINDERS = True

# HTTPS hardening: on by default outside DEBUG (a proxy terminates TLS and sets X-Forwarded-Proto).
SECURE_HTTPS = env_bool("SECURE_HTTPS", default=not DEBUG)
if SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.request": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
