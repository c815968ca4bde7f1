"""Settings for the facial-massage habit tracker, read from the environment.

A fresh clone runs with no configuration at all (SQLite under var/, DEBUG on).
Production sets DJANGO_DEBUG=0, a real DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses the development key.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tracker.middleware.UserTimezoneMiddleware",
    "tracker.middleware.PrivacyHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: five wrong passwords for one username from one address lock that pair
# out for 15 minutes. Locking by username alone would let anyone lock a user out.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default; PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Under concurrent writers the default DEFERRED mode fails with "database is locked";
    # IMMEDIATE + WAL + a busy timeout serialises writers instead.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracker:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# In development whitenoise finds files where they are; production serves collectstatic's copy.
WHITENOISE_USE_FINDERS = DEBUG

# Uploaded photos are private: they are stored here and served only through an
# ownership-checking view, never under a public URL.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Never served directly: see tracker.views.photos.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production whitenoise serves compressed files with hashed names (run collectstatic).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Two weeks: long enough to log from a phone without logging in each time.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # The installable app: its service worker (/sw.js) and manifest come from this site only.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
}

# Imports of an export: limits that a real export never reaches, checked before anything is
# parsed or decoded (photos: up to PHOTO_QUOTA, one file each). A routine's steps are limited
# everywhere, the routine page included.
IMPORT_MAX_DATA_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_DATA_BYTES", 20 * 1024 * 1024))
IMPORT_MAX_SESSIONS = int(os.environ.get("DJANGO_IMPORT_MAX_SESSIONS", 20_000))
IMPORT_MAX_ROUTINES = int(os.environ.get("DJANGO_IMPORT_MAX_ROUTINES", 200))
IMPORT_MAX_TOOLS = int(os.environ.get("DJANGO_IMPORT_MAX_TOOLS", 1_000))
IMPORT_MAX_PRODUCTS = int(os.environ.get("DJANGO_IMPORT_MAX_PRODUCTS", 1_000))
ROUTINE_MAX_STEPS = int(os.environ.get("DJANGO_ROUTINE_MAX_STEPS", 50))

# Browser features the app uses or will use (the camera for photos, passkeys, keeping the
# screen on during a guided session, a photo full screen), for its own pages only; every other
# feature a page could ask for is off. Sent by tracker.middleware.PrivacyHeadersMiddleware.
PERMISSIONS_POLICY = {
    **dict.fromkeys(
        [
            "camera",
            "fullscreen",
            "publickey-credentials-create",
            "publickey-credentials-get",
            "screen-wake-lock",
        ],
        ("self",),
    ),
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "clipboard-read",
            "clipboard-write",
            "display-capture",
            "encrypted-media",
            "gamepad",
            "geolocation",
            "gyroscope",
            "hid",
            "identity-credentials-get",
            "idle-detection",
            "local-fonts",
            "magnetometer",
            "microphone",
            "midi",
            "otp-credentials",
            "payment",
            "picture-in-picture",
            "serial",
            "storage-access",
            "usb",
            "web-share",
            "window-management",
            "xr-spatial-tracking",
        ],
        (),
    ),
}

if not DEBUG:
    # Behind a TLS-terminating proxy that already redirects, set DJANGO_SECURE_SSL_REDIRECT=0.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Progress photos
# Per file; nginx's client_max_body_size must allow a whole upload (files x this, plus a little).
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_PHOTO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
PHOTO_MAX_FILES_PER_UPLOAD = int(os.environ.get("DJANGO_PHOTO_MAX_FILES_PER_UPLOAD", 10))
PHOTO_QUOTA = int(os.environ.get("DJANGO_PHOTO_QUOTA", 500))
# Django refuses a request with more files than this before the form can say why: leave room.
DATA_UPLOAD_MAX_NUMBER_FILES = PHOTO_MAX_FILES_PER_UPLOAD * 2
# Form fields other than files; file data is limited by PHOTO_MAX_UPLOAD_BYTES in the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Most phone photos stay in memory instead of being spooled, GPS and all, to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# With nginx in front: the internal location that serves MEDIA_ROOT, e.g. "/protected-photos/".
PHOTOS_X_ACCEL_PREFIX = os.environ.get("DJANGO_PHOTOS_X_ACCEL_PREFIX", "")
# How long a signed object-store URL for one photo stays valid.
PHOTOS_SIGNED_URL_SECONDS = int(os.environ.get("DJANGO_PHOTOS_SIGNED_URL_SECONDS", 60))
# A private S3-compatible bucket through django-storages (pip install "django-storages[s3]");
# credentials come from the usual AWS_* environment variables.
if PHOTOS_S3_BUCKET := os.environ.get("DJANGO_PHOTOS_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PHOTOS_S3_BUCKET,
            "endpoint_url": os.environ.get("DJANGO_PHOTOS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": PHOTOS_SIGNED_URL_SECONDS,
            "file_overwrite": False,
        },
    }
# Signed URLs point the browser at the bucket: its origin must be an allowed image source.
SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], *env_list("DJANGO_PHOTOS_IMG_ORIGINS")]
