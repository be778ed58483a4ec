"""Hipapp settings: one file, driven by environment variables.

A fresh checkout runs on SQLite in debug mode with nothing configured. Production is
the same file with DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and
DATABASE_URL set (see README.md).
"""

import os
from base64 import urlsafe_b64decode
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
import django.forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable; refuse anything that is not clearly one or the other."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true/false, yes/no, on/off or 1/0")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "django-insecure-local-development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the admin's widget templates include Django's own
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "accounts",
    "exercises",
    "progress",
    "reminders",
    "sharing",
    "offline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "offline.middleware.worker",  # whose page it is, for the service worker
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hipapp.middleware.headers",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hipapp.urls"
WSGI_APPLICATION = "hipapp.wsgi.application"

TEMPLATES = [
    # Pages: Jinja2 templates under jinja2/ (hipapp/jinja2.py says why), and Django's own form
    # widgets drawn by Jinja2 (the account page's 600 time zones: 15 ms of CPU instead of 77).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2", Path(django.forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "hipapp.jinja2.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hipapp.pagecache.marks",
            ],
        },
    },
    # Django's template language: the admin, and crispy's form layouts.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# Databases: SQLite by default; DATABASE_URL (e.g. postgres://user@host:5432/name) selects
# PostgreSQL. Persistent connections with health checks mean a database restart costs no
# failed requests once the server is back.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("DJANGO_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": envint("DJANGO_CONN_MAX_AGE", 600),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# No state in the processes, so any number of app servers can serve the same people: sessions
# and sign-in failures live in the database, and so does the cache, unless REDIS_URL names a
# shared Redis (e.g. redis://127.0.0.1:6379/0).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hipapp_cache",
            # Django's default of 300 is a few dozen people's pages. Past the limit, a third
            # of the entries go (hipapp/pagecache.py bounds each person's to a few dozen).
            "OPTIONS": {"MAX_ENTRIES": envint("HIPAPP_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
# Whole pages kept in that cache (hipapp/pagecache.py); false builds every page every time.
PAGE_CACHE = envbool("HIPAPP_PAGE_CACHE", True)

# People sign in with their email address (accounts.User).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SESSION_ENGINE = "accounts.sessions"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): five failures for one email from one address lock that
# pair for a cool-off, so nobody can lock a person out from somewhere else. Counters live
# in the database, shared by every app server.
AXES_FAILURE_LIMIT = envint("HIPAPP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("HIPAPP_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a log of everyone's sign-ins
# The address a request comes from (accounts.throttling.client_ip): REMOTE_ADDR, or behind
# HIPAPP_PROXY_COUNT trusted proxies the right-most X-Forwarded-For entry none of them wrote.
HIPAPP_PROXY_COUNT = envint("HIPAPP_PROXY_COUNT", 0)
if HIPAPP_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"HIPAPP_PROXY_COUNT={HIPAPP_PROXY_COUNT}: expected 0 or more")
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"

# Password reset, counted per clock hour in the cache: requests from one client address (an
# IPv6 /64), and emails to one email address.
HIPAPP_RESET_REQUESTS_PER_HOUR = envint("HIPAPP_RESET_REQUESTS_PER_HOUR", 10)
HIPAPP_RESET_EMAILS_PER_HOUR = envint("HIPAPP_RESET_EMAILS_PER_HOUR", 3)
# Sign-up tells whether an address has an account, so attempts from one address are limited.
HIPAPP_SIGNUPS_PER_HOUR = envint("HIPAPP_SIGNUPS_PER_HOUR", 10)
# Share links opened with a secret that matches no live link, from one client address (an
# IPv6 /64) per clock hour; past it, every share link from there answers 429 until the hour ends.
HIPAPP_SHARE_MISSES_PER_HOUR = envint("HIPAPP_SHARE_MISSES_PER_HOUR", 20)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "hipapp.storage.StaticFilesStorage"},
}
if DEBUG:
    # No collectstatic needed for local work: whitenoise serves from the finders.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Forms find their templates through TEMPLATES above: Jinja2's copies of Django's widgets.
FORM_RENDERER = "hipapp.forms.FormRenderer"

# Email: printed to the console unless EMAIL_URL names an SMTP server:
# smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 (TLS), or
# smtp+plain://host:25 for a trusted local relay.
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Hipapp <no-reply@hipapp.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def mailers(email_url: str) -> dict:
    """MAILERS for an EMAIL_URL; the console when it is empty."""
    if not email_url:
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    parts = urlsplit(email_url)
    if parts.scheme not in {"smtp", "smtps", "smtp+plain"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or {"smtp": 587, "smtps": 465, "smtp+plain": 25}[parts.scheme],
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": parts.scheme == "smtp",
                "use_ssl": parts.scheme == "smtps",
                "timeout": 10,
            },
        }
    }


MAILERS = mailers(env("EMAIL_URL"))

# Reminders (reminders/). Emails and push messages link to HIPAPP_SITE_URL, the address people
# open Hipapp at (default: https:// and the first of DJANGO_ALLOWED_HOSTS that is no wildcard;
# on a debug server, http://127.0.0.1:8000). A reminder that could not be sent (mail server
# down, push service busy) is tried again by later runs of send_reminders,
# HIPAPP_REMINDER_ATTEMPTS times at most.
_site_host = next((h for h in ALLOWED_HOSTS if h != "*" and not h.startswith(".")), None)
SITE_URL = env("HIPAPP_SITE_URL").rstrip("/") or (
    f"https://{_site_host}" if _site_host and not DEBUG else "http://127.0.0.1:8000"
)
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"HIPAPP_SITE_URL={SITE_URL!r}: expected https://host")
HIPAPP_REMINDER_ATTEMPTS = envint("HIPAPP_REMINDER_ATTEMPTS", 5)
if HIPAPP_REMINDER_ATTEMPTS < 1:
    raise ImproperlyConfigured("HIPAPP_REMINDER_ATTEMPTS: expected 1 or more")


def vapid_key(name: str, size: int) -> str:
    """A VAPID key from the environment (base64url, as `manage.py vapid_keys` prints it)."""
    value = env(name).strip()
    if value:
        try:
            raw = urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except ValueError:
            raw = b""
        if len(raw) != size:
            raise ImproperlyConfigured(
                f"{name}: expected {size} bytes in base64url; `manage.py vapid_keys` makes a pair"
            )
    return value


# Web push: reminders on people's devices are offered only with a VAPID key pair set.
VAPID_PUBLIC_KEY = vapid_key("VAPID_PUBLIC_KEY", 65)  # an uncompressed P-256 point
VAPID_PRIVATE_KEY = vapid_key("VAPID_PRIVATE_KEY", 32)
VAPID_SUBJECT = env("VAPID_SUBJECT", f"mailto:{parseaddr(DEFAULT_FROM_EMAIL)[1]}")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both")
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"VAPID_SUBJECT={VAPID_SUBJECT!r}: expected mailto: or https://")

# Content-Security-Policy: only our own files; no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],  # /sw.js: the offline app and reminders (offline/, static/sw.js)
    "manifest-src": [CSP.SELF],  # /manifest.webmanifest
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Permissions-Policy (hipapp.middleware): browser features no page uses are switched off.
# Kept for our own origin: fullscreen and autoplay (sounds), and the Screen Wake Lock API the
# session player is to use. Web Audio, vibration, notifications, push and service workers
# have no policy of their own.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "clipboard-read",
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
        "publickey-credentials-create",
        "publickey-credentials-get",
        "serial",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
} | {"autoplay": ["self"], "fullscreen": ["self"], "screen-wake-lock": ["self"]}

# Security. Production (DJANGO_DEBUG=false) gets HTTPS-only cookies, HSTS and an SSL
# redirect; behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if envbool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check answers plain HTTP from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
