"""Pantau settings: one file, every value from the environment (see docs/operations.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pantau.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("PANTAU_VAR_DIR", str(PROJECT_DIR / "var")) or "var")

TESTING = "pytest" in sys.modules
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING or "mypy" in sys.modules:  # tests and type checks import the settings
        SECRET_KEY = "insecure-development-key-" + "x" * 40  # noqa: S105 - never used in production
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is false; see docs/operations.md"
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address, for links that leave the site (QR codes on boards, invitation e-mails).
# Unset it defaults to the demo's address, and `check --deploy` warns (pantau.W002).
SITE_URL_SET = bool(env_str("SITE_URL"))
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tables2",
    "django_filters",
    "csp",
    "axes",
    "rules",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "pantau.core",
    "pantau.accounts",
    "pantau.registry",
    "pantau.assessments",
    "pantau.surveys",
    "pantau.complaints",
    "pantau.open311",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pantau.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pantau.core.locale.ChosenLanguageMiddleware",  # Indonesian unless chosen; not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "pantau.core.middleware.AccessRuleMiddleware",
]

ROOT_URLCONF = "pantau.urls"
WSGI_APPLICATION = "pantau.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pantau.core.context.navigation",
            ],
        },
    }
]
# Django's widget templates, the common ones written out in Python (same output, a fraction of the time).
FORM_RENDERER = "pantau.core.formrender.FormRenderer"

# Database: SQLite under var/ by default, PostgreSQL (or any engine) through DATABASE_URL.
_db_url = env_str("DATABASE_URL")
if _db_url:
    DATABASES = {"default": environ.Env.db_url_config(_db_url)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "pantau.core.sqlite",  # Django's, with a queue for writers (pantau/core/sqlite/base.py)
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "pantau.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests: an in-memory database per process (what Django does for its own sqlite3
            # engine; pytest-django recognises that engine by name only).
            "TEST": {"NAME": ":memory:"},
            # Keep the connection between requests: opening one and running the PRAGMAs above
            # costs more than the queries of most pages (bench/README.md).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process by default; rendered fragments (public product pages, lists) are a few KB each.
# With several processes or machines use a shared cache: CACHE_URL=redis://host:6379/1 (or
# rediss:// for TLS, redis://:password@host:6379/1; ?key_prefix=… to share one Redis database):
# Django's own RedisCache (the ``redis`` package). See docs/decisions/0016-shared-cache.md.
_cache = environ.Env.cache_url_config(env_str("CACHE_URL", "locmemcache://pantau?max_entries=5000") or "")
for _name in ("key_prefix", "timeout", "version"):  # django-environ keeps these lower-case for
    if _name in _cache:  # Django's RedisCache, where Django ignores them
        _cache[_name.upper()] = _cache.pop(_name)
if TESTING and _cache["BACKEND"].endswith(".RedisCache"):
    # Parallel runs and xdist workers share the Redis database: each test works under its own
    # prefix below this one (conftest.py), and nothing flushes the database.
    _cache["KEY_PREFIX"] = f"{_cache.get('KEY_PREFIX', '')}test-{os.getpid()}"
CACHES = {"default": _cache}
# Whether every process reads and writes the same cache (then a write is seen everywhere at once).
CACHE_SHARED = not _cache["BACKEND"].endswith((".LocMemCache", ".DummyCache"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"] if TESTING else
    ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "manage:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Login lockout (django-axes): 5 failures per username+IP lock for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind nginx set PROXY_COUNT=1: the client address then comes from X-Forwarded-For.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "pantau.core.http.client_ip"
# Password reset requests allowed per client address and per e-mail address in one window.
PASSWORD_RESET_PER_IP = env_int("PASSWORD_RESET_PER_IP", 20)
# The public survey form: complete submissions per client address, campaign and hour (partial saves
# may be twenty times as many), and the seconds a person needs at least to fill it in.
SURVEY_SUBMIT_LIMIT = env_int("SURVEY_SUBMIT_LIMIT", 60)
# Complaints: reports filed (web form and API) and tracking messages per client address and hour;
# how long a closed case keeps the reporter's personal data (days) before redact_closed_cases removes it.
COMPLAINT_SUBMIT_LIMIT = env_int("COMPLAINT_SUBMIT_LIMIT", 10)
COMPLAINT_MESSAGE_LIMIT = env_int("COMPLAINT_MESSAGE_LIMIT", 30)
COMPLAINTS_RETENTION_DAYS = env_int("COMPLAINTS_RETENTION_DAYS", 1826)
# The substances reports are classified by (comma-separated); empty: the shipped list (complaints/lists.py).
COMPLAINT_SUBSTANCES = env_list("COMPLAINT_SUBSTANCES", [])
SURVEY_MIN_SECONDS = env_int("SURVEY_MIN_SECONDS", 5)
PASSWORD_RESET_PER_EMAIL = env_int("PASSWORD_RESET_PER_EMAIL", 5)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 3600)

# Sessions and cookies.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pantau.core.errors_views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes may call gunicorn over plain HTTP
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# HSTS preload is a commitment for the whole registered domain (an institution's go.id domain,
# rarely Pantau's own), so it stays an explicit choice and check --deploy does not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Language: Indonesian by default, English only when chosen with the language switch (its cookie);
# the browser's Accept-Language is ignored (pantau.core.locale).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice is remembered for a year
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")) or "")
if TESTING:
    # Tests serve static files from the finders; without this directory WhiteNoise would warn
    # "No directory at: …/static/" for every test client, burying the warnings that matter.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Rendered counter boards (PDF), written by the db_worker and read by every web process.
    "boards": (
        {"BACKEND": "django.core.files.storage.InMemoryStorage"} if TESTING else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": env_str("BOARDS_ROOT", str(VAR_DIR / "boards"))},
        }
    ),
    # Background jobs' files (an uploaded import, a finished export): private, never under MEDIA_URL;
    # served to their owner only (pantau.core.jobs). Shared by the web processes and the db_worker.
    "jobs": (
        {"BACKEND": "django.core.files.storage.InMemoryStorage"} if TESTING else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": env_str("JOBS_ROOT", str(VAR_DIR / "jobs")), "base_url": None},
        }
    ),
    # Field-work evidence (photos, documents): private, never under MEDIA_URL; served by the
    # instrument's scoped view only (pantau.assessments.views_instrument.evidence_file).
    "evidence": (
        {"BACKEND": "django.core.files.storage.InMemoryStorage"} if TESTING else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": env_str("EVIDENCE_ROOT", str(VAR_DIR / "evidence")), "base_url": None},
        }
    ),
    # Complaint attachments (identity documents, photos, evidence): private, never under MEDIA_URL;
    # served only through the complaint's scoped download views (pantau.complaints.views_files).
    "complaints": (
        {"BACKEND": "django.core.files.storage.InMemoryStorage"} if TESTING else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": env_str("COMPLAINTS_ROOT", str(VAR_DIR / "complaints")), "base_url": None},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# What one import may cost: the uncompressed size of the XLSX's parts, and seconds of work. The
# import runs as a background job (pantau.core.jobs, the db_worker), so no web worker waits for it.
IMPORT_MAX_INFLATED_BYTES = env_int("IMPORT_MAX_INFLATED_BYTES", 1024 * 1024 * 1024)
IMPORT_MAX_SECONDS = env_int("IMPORT_MAX_SECONDS", 1800)
# Background jobs: a running job's worker writes a heartbeat every JOB_HEARTBEAT_SECONDS; a job whose
# heartbeat is older than JOB_STALE_SECONDS is taken as dead (its worker was killed) and marked
# interrupted. Files of finished jobs (an export) are kept JOB_KEEP_DAYS.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 0 if TESTING else 5)  # 0: no heartbeat thread
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 300)
JOB_KEEP_DAYS = env_int("JOB_KEEP_DAYS", 7)

# Email: console by default; SMTP from EMAIL_URL (e.g. smtp+tls://user:pass@host:587).
_email_url = env_str("EMAIL_URL")
if _email_url:
    vars().update(environ.Env.email_url_config(_email_url))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.locmem.EmailBackend"
        if TESTING
        else "django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pantau <noreply@pantau.local>")

# Background work: the tasks API with its database backend (run `pantau db_worker`).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Render a product's counter board (PDF) in the background after every change it shows (publish,
# product, unit, institution, office), so that visitors never wait for one. Off in the test suite,
# which publishes hundreds of standards (its board tests turn it on).
BOARD_PRERENDER = env_bool("BOARD_PRERENDER", not TESTING)

# How long a public product page's stamp (what the page shows) is kept in the cache. A write makes
# it stale after its commit in its own process, and in every process with a shared CACHE_URL
# (race-free: pantau.core.cachegen); so with a per-process cache this bounds how long another
# process may show the old page, and with a shared cache it only bounds the keys kept (and, as a
# safety net, a write that would bypass the signals). 0: read it on every visit.
PUBLIC_STAMP_SECONDS = env_int("PUBLIC_STAMP_SECONDS", 60 if CACHE_SHARED else 5)

# A published standard older than this is shown as "perlu ditinjau" (stale).
STANDARD_REVIEW_MONTHS = env_int("STANDARD_REVIEW_MONTHS", 24)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pantau.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s rid=%(request_id)s uid=%(user_id)s %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},  # it logs every layout step at INFO
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
