"""Anthology settings. Every deployment-specific value comes from the environment.

DEBUG is off unless ANTHOLOGY_DEBUG turns it on (`make run` does, for local development);
with it off, SECRET_KEY and ALLOWED_HOSTS must come from the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ANTHOLOGY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# GENERAL
# Off unless asked for. A pytest run is the one exception: pytest sets PYTEST_VERSION before
# pytest-django loads these settings, so `make test` gets the development values (built-in key,
# local hosts, plain static files) without any environment; pytest-django still runs every
# test with DEBUG=False. An explicit ANTHOLOGY_DEBUG always wins.
DEBUG = env_bool("ANTHOLOGY_DEBUG", "PYTEST_VERSION" in os.environ)
MISSING_SECRET_KEY = (
    "SECRET_KEY must be set when ANTHOLOGY_DEBUG is off (the default). "
    "For local development set ANTHOLOGY_DEBUG=1 (as `make run` does); "
    "in production set SECRET_KEY and ALLOWED_HOSTS."
)
# Debug off without a key: commands that sign nothing still run (an import, a migration, a
# dry run scored from the command line); serving refuses at start (anthology/wsgi.py), and
# anything else that signs meets Django's own refusal of an empty key.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or (
    "dev-only-insecure-key-do-not-use-in-production" if DEBUG else ""
)
SECRET_KEY_MISSING = not SECRET_KEY  # read by anthology/wsgi.py (Django refuses to read an empty key)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
# Read by anthology/wsgi.py: with none, every request would be answered 400 with no other sign.
MISSING_ALLOWED_HOSTS = (
    "ALLOWED_HOSTS must name the host names this server answers to when ANTHOLOGY_DEBUG is off "
    "(e.g. ALLOWED_HOSTS=anthology.example.org); without it every request is refused."
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taggit",
    "simple_history",
    "axes",
    "essays",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Versions saved during a request are attributed to its user (essays.history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Reading pages as rendered and converted, per script (essays.pagecache): after the
    # user is known, outside the script conversion.
    "essays.pagecache.PageCacheMiddleware",
    "essays.middleware.ScriptPreferenceMiddleware",
    "essays.middleware.LoginRequiredForReadingMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anthology.urls"
WSGI_APPLICATION = "anthology.wsgi.application"

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
                "essays.context_processors.reading",
            ],
        },
    },
]

# DATABASES
# SQLite under var/ unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'anthology.sqlite3'}",
        # Kept open between requests: a cached page's one query (its generation,
        # essays.pagecache) cost less than opening the connection for it.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; the busy timeout makes writers queue
    # instead of failing with "database is locked". A 64 MiB page cache per connection (the
    # default is 2 MiB): a bulk import's index inserts land all over a database of hundreds
    # of megabytes (1,000 documents into one of 8,000: 15.9 s -> 14.9 s).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE
# Rendered reading pages (essays.pagecache). Each gunicorn worker has its own local-memory
# cache unless REDIS_URL names a Redis server they share (redis://127.0.0.1:6379/0);
# either way a page is never stale: its key holds the content's generation, kept in the
# database.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("ANTHOLOGY_CACHE_PREFIX", "anthology"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ANTHOLOGY_PAGE_CACHE_ENTRIES", "1000"))},
        }
    }
ANTHOLOGY_PAGE_CACHE = env_bool("ANTHOLOGY_PAGE_CACHE", True)
ANTHOLOGY_PAGE_CACHE_SECONDS = 24 * 60 * 60  # a bound on memory, not on staleness
# PostgreSQL: learn the generation from NOTIFY instead of a query per page (essays.pagecache).
ANTHOLOGY_PAGE_CACHE_LISTEN = env_bool("ANTHOLOGY_PAGE_CACHE_LISTEN", True)

# AUTH
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# LOGIN LOCKOUT (django-axes). Both the admin and the intranet readers
# (ANTHOLOGY_LOGIN_REQUIRED) sign in on the admin login page; every password check goes
# through authenticate(), which axes' backend guards first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Keyed by username and client address together: an attacker guessing one account is locked
# out of it, while the same person signing in from elsewhere (or another user behind the
# same address) is not. The address is REMOTE_ADDR.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout answer (HTTP 429) is this fixed text: nothing from the request is echoed.
AXES_COOLOFF_MESSAGE = (
    f"登录失败次数过多，该账户已暂时锁定。请 {AXES_COOLOFF_TIME // timedelta(minutes=1)} 分钟后再试，"
    "或请管理员解除锁定。"
)

# I18N
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# STATIC
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# SECURITY (production values when DEBUG is off; each can be overridden)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# UPLOADS (the admin's 导入文档, essays.services.preview). Form fields may hold a pasted text up
# to its 10 MB limit (a longer one is refused on the form, its text kept, up to this size);
# files go to disk past 2.5 MB, and a request body over preview.MAX_REQUEST_BYTES (411 MB) is
# refused unread. The reverse proxy's body limit (nginx client_max_body_size) should agree.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

# TAGS (themes)
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "essays.themes.parse_theme_string"
TAGGIT_STRING_FROM_TAGS = "essays.themes.join_theme_names"

# ANTHOLOGY
# Intranet mode: every reading page needs a logged-in user.
ANTHOLOGY_LOGIN_REQUIRED = env_bool("ANTHOLOGY_LOGIN_REQUIRED", False)
ANTHOLOGY_PAGE_SIZE = int(os.environ.get("ANTHOLOGY_PAGE_SIZE", "20"))
ANTHOLOGY_READING_SPEED = 400  # characters per minute for dense Chinese prose

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
