"""Django settings, read from the environment (see docs/operating.md)."""

import os
import secrets
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


def env_secret_key(name: str, production: bool) -> str:
    """The key that signs sessions: from the environment, long and random.

    Unset, each process makes one up, prefixed "django-insecure-" as Django's
    own throwaway keys are: `check --deploy` flags it and `clearinghouse serve`
    refuses to start with it in production (web/server.py). Tests and one-off
    commands sign nothing that must outlive their process; the demo keeps a
    key of its own (demo_secret_key below)."""
    raw = os.environ.get(name, "")
    if not raw:
        return "django-insecure-" + secrets.token_urlsafe(50)
    weak = len(raw) < 50 or len(set(raw)) < 5 or raw.startswith("django-insecure-")
    if production and weak:
        raise ImproperlyConfigured(
            f"{name} must be at least 50 random characters ({len(raw)} given); "
            "make one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    return raw


DATA_DIR = Path(env_str("CLEARINGHOUSE_DATA_DIR", "./clearinghouse-data")).resolve()
DEBUG = env_bool("CLEARINGHOUSE_DEBUG", False)
# Set by `clearinghouse demo` (cli.py, before these settings load): pages say
# that the library holds sample data, served on plain http://127.0.0.1.
DEMO = env_bool("CLEARINGHOUSE_DEMO", False)
SECRET_KEY = env_secret_key("CLEARINGHOUSE_SECRET_KEY", production=not (DEBUG or DEMO))


def demo_secret_key(data_dir: Path) -> str:
    """The demo's own key, kept in its data folder (readable by its owner
    only), so that restarting the demo signs nobody out and keeps OAI-PMH
    resumption tokens valid."""
    path = data_dir / "demo-secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


if DEMO and SECRET_KEY.startswith("django-insecure-"):
    SECRET_KEY = demo_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("CLEARINGHOUSE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SITE_NAME = env_str("CLEARINGHOUSE_SITE_NAME", "Clearinghouse")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the sitemap.xml templates
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "clearinghouse.catalog",
    "clearinghouse.search",
    "clearinghouse.search.semantic",  # embeddings and the vector index
    "clearinghouse.web",
    "clearinghouse.formats",
    "clearinghouse.demo",
    "clearinghouse.ingest",
    "clearinghouse.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clearinghouse.web.security.SecurityHeadersMiddleware",  # CSP, Referrer-Policy
    "clearinghouse.api.middleware.ApiMiddleware",  # /api/ only: CORS, HEAD, ETag
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clearinghouse.catalog.actors.ActorMiddleware",  # who acts, for revisions
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

# Security and privacy (docs/operating.md, "Security and privacy").
# Production, the default, is reached over HTTPS through a reverse proxy that
# holds the certificate. CLEARINGHOUSE_DEBUG and `clearinghouse demo` serve
# plain http://127.0.0.1, where secure-only cookies would never come back and a
# redirect to https would lead nowhere.
HTTPS = env_bool("CLEARINGHOUSE_HTTPS", not (DEBUG or DEMO))
SECURE_SSL_REDIRECT = env_bool("CLEARINGHOUSE_SSL_REDIRECT", HTTPS)
# Load balancers' health probes often speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# gunicorn already trusts X-Forwarded-Proto from a proxy on 127.0.0.1; a proxy
# on another machine must be named trusted, and must set the header itself.
if env_bool("CLEARINGHOUSE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("CLEARINGHOUSE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Asking browsers to hard-code the domain as HTTPS-only is the operator's call,
# and takes months to undo: off unless asked for, so its check is silenced.
SECURE_HSTS_PRELOAD = env_bool("CLEARINGHOUSE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# web/security.py answers "same-origin" where a form posts back (see there why).
SECURE_REFERRER_POLICY = "no-referrer"
X_FRAME_OPTIONS = "DENY"
# Argon2 for new passwords; PBKDF2 hashes still check, and are upgraded to
# Argon2 when their owner next signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# Sign-in lockouts (web/signin.py) must hold for every gunicorn worker and
# every server: the cache lives in the database, in a table web's migrations
# make. MAX_ENTRIES is high so that a flood of made-up names cannot cull them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "clearinghouse_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
SIGN_IN_FAILURES_ALLOWED = env_int("CLEARINGHOUSE_SIGN_IN_FAILURES", 5)
SIGN_IN_LOCKOUT_MINUTES = env_int("CLEARINGHOUSE_SIGN_IN_LOCKOUT_MINUTES", 15)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Self-registration at /accounts/register/: applications wait for an
# administrator's approval (docs/operating.md, "Accounts and email").
REGISTRATION = env_bool("CLEARINGHOUSE_REGISTRATION", False)

# Email (approvals, access requests, password resets): through an SMTP server
# when CLEARINGHOUSE_EMAIL_HOST is set; otherwise each message is written as
# a file under DATA_DIR/mail and nothing leaves the machine.
EMAIL_HOST = env_str("CLEARINGHOUSE_EMAIL_HOST", "")
EMAIL_PORT = env_int("CLEARINGHOUSE_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("CLEARINGHOUSE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CLEARINGHOUSE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CLEARINGHOUSE_EMAIL_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("CLEARINGHOUSE_EMAIL_FROM", "clearinghouse@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"

SEARCH_PAGE_SIZE = env_int("CLEARINGHOUSE_SEARCH_PAGE_SIZE", 20)
SEARCH_FACET_SIZE = env_int("CLEARINGHOUSE_SEARCH_FACET_SIZE", 10)

# Semantic and hybrid search (docs/operating.md): on where the model is
# installed (pip install 'clearinghouse[semantic]'); the runtime is auto,
# onnx-int8, onnx-fp32 or torch; threads 0 lets the runtime choose; the
# ONNX copies of the model are made once into SEMANTIC_MODEL_DIR.
SEMANTIC_SEARCH = env_bool("CLEARINGHOUSE_SEMANTIC_SEARCH", True)
SEMANTIC_RUNTIME = env_str("CLEARINGHOUSE_SEMANTIC_RUNTIME", "auto")
SEMANTIC_THREADS = env_int("CLEARINGHOUSE_SEMANTIC_THREADS", 0)
SEMANTIC_MODEL_DIR = Path(
    env_str("CLEARINGHOUSE_SEMANTIC_MODEL_DIR", str(DATA_DIR / "models"))
)

# OAI-PMH provider at /oai (docs/oai-pmh.md): records per response; the
# contact shown to harvesters; the repository identifier in oai:<it>:<uid>
# (the site's host name when blank: set it so identifiers outlive a move).
OAI_PAGE_SIZE = env_int("CLEARINGHOUSE_OAI_PAGE_SIZE", 100)
OAI_ADMIN_EMAIL = env_str("CLEARINGHOUSE_OAI_ADMIN_EMAIL", "")
OAI_REPOSITORY_IDENTIFIER = env_str("CLEARINGHOUSE_OAI_REPOSITORY_IDENTIFIER", "")

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

# Log lines say what happened, never who asked: no formatter here prints the
# request (a reader's address or browser), and gunicorn keeps no access log and
# strips addresses from its error log (web/server.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("CLEARINGHOUSE_LOG_LEVEL", "INFO"),
    },
}
