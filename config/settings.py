"""Settings for the facial-massage habit tracker, read from the environment.

A fresh clone runs with no configuration at all (SQLite under var/, DEBUG on).
Production sets DJANGO_DEBUG=0, a real DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
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
# One proxy of ours (nginx) in front: its X-Forwarded-* headers are trusted, nobody else's.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)

DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses the development key.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# `make run HOST=0.0.0.0` (scripts/run-dev.sh) passes this machine's address on the local
# network, so that a phone on the same network can open the development server. Development only.
DEV_LAN_ADDRESS = os.environ.get("DJANGO_DEV_LAN_ADDRESS", "").strip() if DEBUG else ""
if DEV_LAN_ADDRESS and DEV_LAN_ADDRESS not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(DEV_LAN_ADDRESS)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
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
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tracker.middleware.UserTimezoneMiddleware",
    "tracker.middleware.PrivacyHeadersMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    # Sessions that logged in before allauth name this backend: they stay logged in.
    "django.contrib.auth.backends.ModelBackend",
]

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
                "tracker.navigation.navigation",
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
    # Kept open as on PostgreSQL (60 s, checked before reuse): a new SQLite connection per
    # request, with its PRAGMAs, was 4 % of the dashboard's time. Each thread has its own
    # connection (Django never shares one between threads), so a threaded server is safe too.
    # Under concurrent writers the default DEFERRED mode fails with "database is locked";
    # IMMEDIATE + WAL + a busy timeout serialises writers instead.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }

# A cache shared by every process: the sign-in throttle's counters live here. The database
# by default (`createcachetable`, also run by the migration accounts_on_allauth), Redis with
# REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "facetrack_cache",
            # Culling would forget throttle counters: leave room for a busy day of them.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# Rendered parts of pages (the dashboard's progress), keyed by owner, data version and local
# date (tracker.pages): each process's memory by default, Redis shared by every server with
# REDIS_URL. Separate from `default`, whose throttle counters must never be culled.
PAGES_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGES_CACHE_SECONDS", 24 * 3600))
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pages",
        "TIMEOUT": PAGES_CACHE_SECONDS,
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "facetrack-pages",
        "TIMEOUT": PAGES_CACHE_SECONDS,
        # One entry per person and part (the version is kept beside it, tracker.pages), up to
        # about 100 KB each: a worker's memory stays bounded; more people than this, use Redis.
        "OPTIONS": {"MAX_ENTRIES": 500},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: Django's tasks framework, queued in the database (django-tasks-db) and run
# by `manage.py db_worker`; `manage.py schedule_reminders` enqueues reminders as they fall due.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /health/ and `manage.py background_status` call the worker or the scheduler dead when it
# has not run for this long (the scheduler runs every minute and wakes the worker each time).
BACKGROUND_STALE_SECONDS = int(os.environ.get("DJANGO_BACKGROUND_STALE_SECONDS", 300))
# A reminder that failed for a passing reason (a mail server or push service that did not
# answer) is tried again after each of these delays, with the same claim.
REMINDER_RETRY_DELAYS = (60, 300, 900)

# Where the app is reached from outside: links in emails, and the calendar feed's address.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://localhost:8000").rstrip("/")

# Web Push (VAPID). `manage.py generate_vapid_keys` prints a pair; without one, the settings
# page does not offer notifications. The subject tells push services whom to contact.
VAPID_PRIVATE_KEY = os.environ.get("DJANGO_VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = os.environ.get("DJANGO_VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = os.environ.get("DJANGO_VAPID_SUBJECT", "mailto:facetrack@localhost")
# Tests only, never from the environment: lets the server post to a stand-in push service on
# loopback over plain HTTP. Everywhere else only https on the push services' domains.
PUSH_ALLOW_LOOPBACK_FOR_TESTS = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "tracker:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts: django-allauth with its mfa app (see tracker/auth/ and the README's "Accounts").
ACCOUNT_ADAPTER = "tracker.auth.adapter.AccountAdapter"
MFA_ADAPTER = "tracker.auth.adapter.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
# The username is optional: left empty, one is made from the email address.
ACCOUNT_SIGNUP_FIELDS = ["email*", "username", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "login": "tracker.forms.auth.LoginForm",
    "signup": "tracker.forms.auth.SignupForm",
    "change_password": "tracker.forms.auth.ChangePasswordForm",
    "set_password": "tracker.forms.auth.SetPasswordForm",
    "reset_password_from_key": "tracker.forms.auth.ResetPasswordKeyForm",
    "reset_password": "tracker.forms.auth.ResetPasswordForm",
    "request_login_code": "tracker.forms.auth.RequestLoginCodeForm",
    "add_email": "tracker.forms.auth.AddEmailForm",
}
ACCOUNT_SIGNUP_REDIRECT_URL = "welcome"
# An account works at once; the verification link only proves the address.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Facetrack: "
# Nobody learns from a reset request whether an address has an account, nor gets mail for it.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# A stolen session must not be enough to change the email address, then reset the password.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Password reset links: single use (the token hashes the password) and valid for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Facetrack"
MFA_FORMS = {
    "authenticate": "tracker.forms.auth.AuthenticateForm",
    "reauthenticate": "tracker.forms.auth.ReauthenticateForm",
    "login_webauthn": "tracker.forms.auth.LoginPasskeyForm",
    "authenticate_webauthn": "tracker.forms.auth.AuthenticatePasskeyForm",
    "reauthenticate_webauthn": "tracker.forms.auth.ReauthenticatePasskeyForm",
    "edit_webauthn": "tracker.forms.auth.RenamePasskeyForm",
}

# The sign-in throttle: one set of rules, counted in the shared cache (tracker/auth/throttle.py).
# Failures from one address, across accounts and for one account, are refused for a while;
# failures for one account from everywhere never lock it: past the limit, the right password
# also needs a code sent by email (or a passkey instead).
LOGIN_FAILURE_MINUTES = int(os.environ.get("DJANGO_LOGIN_FAILURE_MINUTES", 15))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("DJANGO_LOGIN_FAILURES_PER_ADDRESS", 10))
LOGIN_FAILURES_PER_ACCOUNT_FROM_ADDRESS = int(
    os.environ.get("DJANGO_LOGIN_FAILURES_PER_ACCOUNT_FROM_ADDRESS", 5)
)
LOGIN_FAILURES_BEFORE_CODE = int(os.environ.get("DJANGO_LOGIN_FAILURES_BEFORE_CODE", 20))
SIGNUPS_PER_ADDRESS_PER_HOUR = int(os.environ.get("DJANGO_SIGNUPS_PER_ADDRESS_PER_HOUR", 10))
EMAILS_PER_ADDRESS_PER_HOUR = int(os.environ.get("DJANGO_EMAILS_PER_ADDRESS_PER_HOUR", 10))
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{LOGIN_FAILURES_PER_ADDRESS}/{LOGIN_FAILURE_MINUTES}m/ip,"
        f"{LOGIN_FAILURES_PER_ACCOUNT_FROM_ADDRESS}/{LOGIN_FAILURE_MINUTES}m/key"
    ),
    "login_failed_account": f"{LOGIN_FAILURES_BEFORE_CODE}/1h/key",
    "signup": f"{SIGNUPS_PER_ADDRESS_PER_HOUR}/1h/ip",
    # Reset links and sign-in codes by email: per address, and per recipient.
    "reset_password": f"{EMAILS_PER_ADDRESS_PER_HOUR}/1h/ip,3/15m/key",
    "request_login_code": f"{EMAILS_PER_ADDRESS_PER_HOUR}/1h/ip,3/15m/key",
    "change_password": "10/15m/user",
}
# Behind our own proxy, the client's address is the last one it appended to X-Forwarded-For;
# without one, that header is anybody's to write and is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0

# Email: printed to the console in development; SMTP from the environment in production
# (Django 6.1's MAILERS; the EMAIL_* settings are deprecated).
EMAIL_SMTP_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_USE_IMPLICIT_TLS = env_bool("DJANGO_EMAIL_USE_SSL", False)
if DEBUG and not EMAIL_SMTP_HOST:
    MAILERS = {"default": {"BACKEND": "tracker.mail.ReadableConsoleBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                # Empty: nothing can be sent (`check --deploy` says so); the page still answers.
                "host": EMAIL_SMTP_HOST,
                "port": int(
                    os.environ.get("DJANGO_EMAIL_PORT", 465 if EMAIL_USE_IMPLICIT_TLS else 587)
                ),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                # STARTTLS by default; DJANGO_EMAIL_USE_SSL=1 for implicit TLS (port 465).
                "use_ssl": EMAIL_USE_IMPLICIT_TLS,
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", not EMAIL_USE_IMPLICIT_TLS),
                # A mail server that does not answer must not hold a request for long.
                "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 10)),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Facetrack <facetrack@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

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
    # A monitor on the machine itself asks over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if BEHIND_PROXY:
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
            # Signature version 4 (X-Amz-Signature, X-Amz-Expires): boto3 otherwise signs
            # URLs for a custom endpoint with the old version 2, which AWS is retiring.
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
# Signed URLs point the browser at the bucket: its origin must be an allowed image source.
SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], *env_list("DJANGO_PHOTOS_IMG_ORIGINS")]
