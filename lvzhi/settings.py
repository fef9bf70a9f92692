"""One settings file, read from the environment through tiny typed helpers.

SQLite (WAL) by default; PostgreSQL with one variable: DATABASE_URL=postgres://user@host:5432/db.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


SECRET_KEY = os.getenv("SECRET_KEY", "dev-only-not-secret-change-me-in-production-7f3a9c")
DEBUG = envbool("DEBUG", "False")
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # its static Swagger UI for /api/v1/docs (no CDN, fits the CSP)
    "lvzhi.core",
    "lvzhi.accounts",
    "lvzhi.org",
    "lvzhi.proposals",
    "lvzhi.meetings",
    "lvzhi.opinions",
    "lvzhi.consultations",
    "lvzhi.activities",
    "lvzhi.evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lvzhi.core.middleware.CacheRoundTripMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lvzhi.core.middleware.CommitteeMiddleware",
    "lvzhi.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lvzhi.urls"
WSGI_APPLICATION = "lvzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lvzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvzhi.core.context_processors.committee",
            ],
        },
    },
]

VAR_DIR = Path(os.getenv("LVZHI_VAR_DIR", BASE_DIR / "var"))
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "60"))}
    DATABASES["default"]["TEST"] = {"NAME": f"test_lvzhi{os.getenv('LVZHI_TEST_DB_SUFFIX', '')}"}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(VAR_DIR / "lvzhi.sqlite3")),
            "OPTIONS": {
                # WAL and a busy timeout: concurrent readers, one writer at a time that waits instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Keep the connection between requests as on PostgreSQL: opening one (and setting WAL) for
            # each request halved the throughput of a logged-in request (bench/members.py).
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
            # A file, not memory: tests of concurrent writers need real connections to one database.
            "TEST": {"NAME": str(VAR_DIR / f"test{os.getenv('LVZHI_TEST_DB_SUFFIX', '')}.sqlite3")},
        }
    }

REDIS_URL = os.getenv("REDIS_URL", "")
# "default" is shared by every process (Redis; required with more than one process: sessions, the
# tokens that retire cached values, rate limits). "local" is each process's memory, for values whose key
# names the tokens they were read under (lvzhi/core/caching.py).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "lvzhi.core.cache_redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}}
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "local",
    "OPTIONS": {"MAX_ENTRIES": envint("LOCAL_CACHE_ENTRIES", "5000")},
}
# this process's memory too, without the pickled copy: read-only values of the door's path (the meeting,
# the year's rules), whose unpickling was a quarter of a check-in (lvzhi/core/cache_objects.py)
CACHES["objects"] = {
    "BACKEND": "lvzhi.core.cache_objects.ObjectCache",
    "LOCATION": "objects",
    "OPTIONS": {"MAX_ENTRIES": envint("OBJECT_CACHE_ENTRIES", "1000")},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "lvzhi.accounts.backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if envbool("FAST_PASSWORD_HASHER", "False"):  # tests only: argon2 stays the production hasher
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: five wrong passwords lock the account (by user name) for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLED = envbool("AXES_ENABLED", "True")
# The lock is on the account, by design: a meeting hall shares one IP address, so locking by address
# would lock out every member in the room after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lvzhi" / "locale"]
LANGUAGE_COOKIE_NAME = "lvzhi_language"
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "lvzhi" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache and written through to the database: a logged-in request reads no
# session row (Redis in production, shared by the workers; see lvzhi/core/caching.py).
SESSION_ENGINE = "lvzhi.core.sessions"  # Django's cached_db, read in the request's one round trip
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = os.getenv(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-ancestors 'self'",
)

# Celery: tasks run in-process (eagerly) when no broker is configured.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_IMPORTS = ["lvzhi.proposals.tasks_intel"]  # not named tasks.py, so autodiscovery would miss it
# The beat schedule is assembled from each capability's tasks module in lvzhi/celery.py.

# Notification channels: dotted paths of lvzhi.core.notify.Channel classes, by channel name.
NOTIFY_CHANNELS = {
    "inapp": "lvzhi.core.notify.InAppChannel",
    "sms": os.getenv("NOTIFY_SMS_BACKEND", "lvzhi.core.notify.ConsoleSmsChannel"),
    "workapp": os.getenv("NOTIFY_WORKAPP_BACKEND", "lvzhi.core.notify.ConsoleWorkAppChannel"),
}
SMS_CODE_TTL_SECONDS = envint("SMS_CODE_TTL_SECONDS", "300")
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", "30")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "lvzhi": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
