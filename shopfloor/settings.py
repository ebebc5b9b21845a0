"""Django settings, derived from :mod:`shopfloor.config` (the one place settings are declared)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from shopfloor.config import get_settings

_env = get_settings()
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = _env.DEBUG
SECRET_KEY = _env.SECRET_KEY
ALLOWED_HOSTS = _env.ALLOWED_HOSTS
DATABASES = {"default": dj_database_url.parse(_env.DATABASE_URL, conn_max_age=60)}


def _cache(url: str) -> dict:
    if url.startswith("file://"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": url.removeprefix("file://")}
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.removeprefix("locmem://") or "shopfloor"}


CACHES = {"default": _cache(_env.CACHE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # WAL lets pages read while an import writes; a 64 MB page cache keeps the indexes
        # of a million-row import in memory.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-65536;",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules",
    "csp",
    "ninja",  # serves the API docs' scripts from here, not a CDN (CSP allows only 'self')
    "shopfloor",
    "shopfloor.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shopfloor.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Ends expired/revoked sessions, cuts off disabled members, enforces two-factor sign-in.
    "shopfloor.web.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "shopfloor.urls"
WSGI_APPLICATION = "shopfloor.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "shopfloor.web.context.shopfloor",
            ],
        },
    },
]

# Argon2id first; older PBKDF2 hashes still verify and are re-hashed with Argon2 at the next
# sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out sign-ins before the others
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): LOGIN_FAILURE_LIMIT failures of one username from one address pause
# signing in with it from there for LOGIN_LOCKOUT_MINUTES. Same answer whether the username
# exists or not. Successful sign-ins are recorded in the audit log, not in axes' access log.
AXES_FAILURE_LIMIT = _env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=_env.LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "shopfloor.web.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "shopfloor.accounts.client_ip"
AXES_VERBOSE = False
LOGIN_FAILURE_LIMIT = _env.LOGIN_FAILURE_LIMIT
LOGIN_LOCKOUT_MINUTES = _env.LOGIN_LOCKOUT_MINUTES
LOGIN_RATE_LIMIT = _env.LOGIN_RATE_LIMIT
API_RATE_LIMIT = _env.API_RATE_LIMIT

# Two-factor sign-in (django-otp, TOTP authenticator apps).
REQUIRE_2FA_ROLES = tuple(_env.REQUIRE_2FA_ROLES)
OTP_TOTP_ISSUER = "Shopfloor"

# Sessions: server-side (database), ended by the AccountMiddleware after SESSION_IDLE_MINUTES
# without a request or SESSION_MAX_HOURS after sign-in; the cookie dies with the browser.
SESSION_IDLE_MINUTES = _env.SESSION_IDLE_MINUTES
SESSION_MAX_HOURS = _env.SESSION_MAX_HOURS
SESSION_COOKIE_AGE = _env.SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AUDIT_RETENTION_DAYS = _env.AUDIT_RETENTION_DAYS
SESSION_RECORD_RETENTION_DAYS = _env.SESSION_RECORD_RETENTION_DAYS
TRUST_X_FORWARDED_FOR = _env.TRUST_X_FORWARDED_FOR

LANGUAGE_CODE = _env.LANGUAGE_CODE
LANGUAGES = [("en", _("English")), ("km", _("Khmer"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = _env.TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = _env.STATIC_ROOT
MEDIA_ROOT = _env.MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed copies are made by `shopfloor manage collectstatic`; without it WhiteNoise
    # serves the files straight from the apps (WHITENOISE_USE_FINDERS), so a fresh checkout
    # works in every mode.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 7 * 24 * 3600
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Lax, not Strict: a link from a chat app must stay signed in
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_TRUSTED_ORIGINS = _env.CSRF_TRUSTED_ORIGINS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: Sent by the AccountMiddleware: no page needs the camera, microphone, location or payments.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env.SECURE_SSL_REDIRECT
    SECURE_HSTS_SECONDS = _env.SECURE_HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env.SECURE_HSTS_PRELOAD
if _env.TRUST_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles anywhere: pages load htmx and CSS from /static/, charts are
# same-origin SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

MATCH_AUTO_THRESHOLD = _env.MATCH_AUTO_THRESHOLD
MATCH_REVIEW_THRESHOLD = _env.MATCH_REVIEW_THRESHOLD
IMPORT_MAX_BYTES = _env.IMPORT_MAX_MB * 1024 * 1024
#: The largest request body (files included); the AccountMiddleware answers 413 above it.
UPLOAD_MAX_BYTES = _env.UPLOAD_MAX_MB * 1024 * 1024
#: The largest evidence file (shopfloor.evidence.vault refuses larger ones, with a message).
EVIDENCE_MAX_BYTES = _env.EVIDENCE_MAX_MB * 1024 * 1024
HEAT_INDEX_ALERT_C = _env.HEAT_INDEX_ALERT_C
KOBO_SERVER_URL = _env.KOBO_SERVER_URL
KOBO_API_TOKEN = _env.KOBO_API_TOKEN
ODK_CENTRAL_URL = _env.ODK_CENTRAL_URL
ODK_CENTRAL_USERNAME = _env.ODK_CENTRAL_USERNAME
ODK_CENTRAL_PASSWORD = _env.ODK_CENTRAL_PASSWORD
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields, not files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, not memory
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
