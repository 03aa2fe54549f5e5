"""Django settings for Vigil, all derived from environment variables (see ``vigil.config``)."""

import os
from pathlib import Path

from vigil import config as vigil_config

CONFIG = vigil_config.from_environ(os.environ)
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir

SECRET_KEY = vigil_config.secret_key(CONFIG)
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its Swagger UI from its own static files, never a CDN
    "django_otp",  # second factors (vigil.twofactor): TOTP apps, recovery codes, passkeys
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tables2",  # the list mechanism (vigil.core.lists); its templates are Vigil's own
    "vigil.core",
    "vigil.twofactor",
    "vigil.cases",
    "vigil.evidence",
    "vigil.pos",
    "vigil.video",
    "vigil.audits",
    "vigil.safety",
    "vigil.training",
    "vigil.shrink",
    "vigil.reports",
    "vigil.sharing",
    "vigil.retention",
    "vigil.intel",  # ORC intelligence: profiles, networks, link suggestions
    "vigil.search",  # global search; last: it listens to the other apps' models
]

MIDDLEWARE = [
    "vigil.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "vigil.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # was this session verified with a second factor?
    "vigil.twofactor.middleware.TwoFactorMiddleware",  # if it must be, nothing else until it is
    "django.contrib.messages.middleware.MessageMiddleware",
    "vigil.core.errors.ErrorPagesMiddleware",  # Vigil's 404 page, with DEBUG on too
    "vigil.sharing.middleware.ExternalPortalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vigil.core.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "vigil.urls"
WSGI_APPLICATION = "vigil.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:login"

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
                "vigil.core.context_processors.shell",
            ],
            # One clock (vigil.core.clock): every template may name the store's time.
            "builtins": ["vigil.core.templatetags.clock"],
        },
    },
]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves the committed static files straight from the apps, so a fresh checkout
# needs no collectstatic step; production may still run `vigil collectstatic`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12  # one shift
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Production sits behind a TLS-terminating reverse proxy (docs/operate.md).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Uploads are streamed to disk past this size and refused past the per-view limits.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ORC intelligence (vigil.intel): link the store's region after each new incident.
INTEL_LINK_ON_NEW_INCIDENT = vigil_config.parse_bool(
    "VIGIL_INTEL_LINK_ON_NEW_INCIDENT", os.environ.get("VIGIL_INTEL_LINK_ON_NEW_INCIDENT", "true")
)

# Sign-in throttling (vigil.core.throttling)
VIGIL_LOGIN_WINDOW_SECONDS = 15 * 60
VIGIL_LOGIN_MAX_FAILURES_PER_USER = 5
VIGIL_LOGIN_MAX_FAILURES_PER_IP = 20
VIGIL_API_TOKEN_DEFAULT_DAYS = 90
VIGIL_API_TOKEN_MAX_DAYS = 366
# Longest a record is shared with police, legal or an insurer in one grant (vigil.sharing)
VIGIL_SHARE_MAX_DAYS = 366
VIGIL_PORT = CONFIG.port
VIGIL_TRUSTED_PROXY_HOPS = CONFIG.trusted_proxy_hops

# Evidence store (vigil.evidence.storage; docs/configuration.md)
EVIDENCE_STORE_URL = CONFIG.evidence.store_url
EVIDENCE_MAX_BYTES = CONFIG.evidence.max_bytes
VIDEO_CLIP_MAX_BYTES = CONFIG.video_clip_max_bytes
MQTT_URL = CONFIG.mqtt_url
EVIDENCE_S3_ENDPOINT_URL = CONFIG.evidence.s3_endpoint_url
EVIDENCE_S3_REGION = CONFIG.evidence.s3_region
EVIDENCE_RETENTION_DAYS = CONFIG.evidence.retention_days

# POS data set uploads (vigil.pos.uploads; docs/configuration.md, "Upload limits"): each is
# its environment variable without the VIGIL_ prefix.
POS_UPLOAD_MAX_BYTES = CONFIG.pos_upload.max_bytes
POS_ZIP_MAX_UNPACKED = CONFIG.pos_upload.max_unpacked
POS_ZIP_MAX_MEMBER_BYTES = CONFIG.pos_upload.max_member_bytes
POS_ZIP_MAX_MEMBERS = CONFIG.pos_upload.max_members
POS_ZIP_MAX_RATIO = CONFIG.pos_upload.max_ratio
TASK_LEASE_SECONDS = CONFIG.task_lease_seconds
POS_RULES_DIR = CONFIG.pos_rules_dir
POS_RULES_OFF = CONFIG.pos_rules_off
WEBHOOK_ALLOWED_HOSTS = CONFIG.webhook_allowed_hosts
API_RATE_PER_CLIENT = CONFIG.api_rate_per_client
API_RATE_PER_ADDRESS = CONFIG.api_rate_per_address

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": CONFIG.log_level},
    "loggers": {
        # Django's own console handler would print every warning a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_CLASS = "vigil.core.pagination.Pagination"

# Notices (case and task assignments, due tasks): printed to the console unless VIGIL_EMAIL
# names an SMTP server.
EMAIL_BACKEND = CONFIG.email.backend
EMAIL_HOST = CONFIG.email.host
EMAIL_PORT = CONFIG.email.port
EMAIL_HOST_USER = CONFIG.email.user
EMAIL_HOST_PASSWORD = CONFIG.email.password
EMAIL_USE_TLS = CONFIG.email.use_tls
EMAIL_USE_SSL = CONFIG.email.use_ssl
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = CONFIG.email.sender
EMAIL_FILE_PATH = DATA_DIR / "outbox"  # VIGIL_EMAIL=file

# Two-factor sign-in (vigil.twofactor; docs/security.md, "Two-factor sign-in"). Which roles
# need it is the administrator's policy, kept in the database. This switch is not read from the
# environment: only the test suite turns it off, for tests that sign in with force_login.
VIGIL_TWO_FACTOR_ENFORCED = True
OTP_TOTP_ISSUER = "Vigil"
# Passkeys are a second factor only, bound to the host Vigil is opened at, from the origins
# Django's CSRF check accepts (vigil.twofactor.passkeys).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID_CALLABLE = "vigil.twofactor.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME = "Vigil"
OTP_WEBAUTHN_HELPER_CLASS = "vigil.twofactor.passkeys.VigilWebAuthnHelper"
OTP_WEBAUTHN_ALLOWED_ORIGINS = list(CSRF_TRUSTED_ORIGINS)
# Its check wants a fixed origin list; the helper adds each request's own (Host-checked) origin.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
# A password-reset link works for an hour, and only until the password changes.
PASSWORD_RESET_TIMEOUT = 60 * 60
