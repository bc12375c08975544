"""Django settings, read from the environment (see docs/operating.md)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}"
        ) from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("CLEARINGHOUSE_DATA_DIR", "./clearinghouse-data")).resolve()
DEBUG = env_bool("CLEARINGHOUSE_DEBUG", False)
# The fallback key only suits a local demo; `check --deploy` flags it in production.
SECRET_KEY = env_str(
    "CLEARINGHOUSE_SECRET_KEY", "insecure-local-demo-key-set-CLEARINGHOUSE_SECRET_KEY"
)
ALLOWED_HOSTS = env_list("CLEARINGHOUSE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SITE_NAME = env_str("CLEARINGHOUSE_SITE_NAME", "Clearinghouse")
# Set by `clearinghouse demo`: pages say that the library holds sample data.
DEMO = env_bool("CLEARINGHOUSE_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "clearinghouse.catalog",
    "clearinghouse.search",
    "clearinghouse.web",
    "clearinghouse.formats",
    "clearinghouse.demo",
    "clearinghouse.ingest",
    "django_tasks",
    "django_tasks_db",
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

ROOT_URLCONF = "clearinghouse.urls"
WSGI_APPLICATION = "clearinghouse.wsgi.application"

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
                "clearinghouse.web.context.site",
            ],
        },
    },
]


def database_settings() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "clearinghouse.sqlite3",
        # WAL lets readers and the single writer work at once; IMMEDIATE avoids
        # "database is locked" when several processes write.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("CLEARINGHOUSE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "documents"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders too, so a fresh checkout works
# before `collectstatic` has run.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": browsers then send "Origin: null" on form posts, which
# Django's CSRF check rightly refuses. "same-origin" still tells other sites
# nothing about what a reader was looking at.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

SEARCH_PAGE_SIZE = env_int("CLEARINGHOUSE_SEARCH_PAGE_SIZE", 20)
SEARCH_FACET_SIZE = env_int("CLEARINGHOUSE_SEARCH_FACET_SIZE", 10)

# Background work (extraction) is stored in the database and run by
# `clearinghouse worker`: no broker to install.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Ingest: files over the size limit are refused at the door; each file is read
# in a child process killed after INGEST_SECONDS or past INGEST_MEMORY_MB.
INGEST_MAX_BYTES = env_int("CLEARINGHOUSE_INGEST_MAX_MB", 200) * 1024 * 1024
INGEST_SECONDS = env_int("CLEARINGHOUSE_INGEST_SECONDS", 120)
INGEST_MEMORY_MB = env_int("CLEARINGHOUSE_INGEST_MEMORY_MB", 1500)


def env_ocr_languages(name: str, default: str) -> str:
    """Tesseract language codes joined by "+", as its -l option takes them."""
    raw = env_str(name, default) or default
    codes = raw.split("+")
    if all(code.isascii() and code.replace("_", "").isalnum() for code in codes):
        return raw
    raise ImproperlyConfigured(
        f"{name} must be tesseract language codes joined by '+' "
        f"(like eng or eng+fra+chi_sim), not {raw!r}"
    )


# OCR reads PDF pages without a text layer with tesseract, when installed: a
# few seconds a page, so off unless asked for.
INGEST_OCR = env_bool("CLEARINGHOUSE_INGEST_OCR", False)
INGEST_OCR_LANGUAGES = env_ocr_languages("CLEARINGHOUSE_INGEST_OCR_LANGUAGES", "eng")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("CLEARINGHOUSE_LOG_LEVEL", "INFO"),
    },
}
