"""Settings shared by every environment, read from the environment through django-environ.

Every setting a deployment may change is listed in the README's configuration table. Defaults are safe:
DEBUG is off unless asked for, and production.py refuses to start without its secrets.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as _Namespace
from urllib.parse import unquote

import environ

from passport_portal import retention_settings as _retention

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / ".var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-never-used-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "django_celery_beat",
    "django_tables2",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "offices",
    "audit",
    "audit.detection",
    "bookings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "passport_portal.security.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "passport_portal.request_meta.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "passport_portal.locale.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "passport_portal.security.SecondFactorRequiredMiddleware",
    # Applicants stay on /apply/, staff off it (after authentication, before any view).
    "bookings.pages.applicant_boundary.ApplicantBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "passport_portal.security.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "passport_portal.urls"
WSGI_APPLICATION = "passport_portal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "passport_portal.context_processors.portal",
            ],
            "libraries": {"table_rows": "passport_portal.table_rows"},
        },
    },
]

# --- Database: PostgreSQL only ------------------------------------------------------------
# With no DATABASE_URL an embedded PostgreSQL is started (see passport_portal/embedded_db.py).
DATABASE_URL = env("DATABASE_URL", default="")
if not DATABASE_URL:
    from passport_portal.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url()



def _database(url: str) -> dict:
    """Parse a database URL; a percent-encoded host is a Unix socket directory."""
    config = env.db_url_config(url)
    config["HOST"] = unquote(config.get("HOST") or "")
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The hottest statements run prepared (passport_portal/prepared.py); false for a pooler that
# cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)

# Heavy analysis (detection) reads from a replica when one is configured.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
ANALYSIS_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Numbers and dates follow the active language: 1.234,5 and 29 November 2026 in Indonesian.
USE_THOUSAND_SEPARATOR = True
# The portal's own additions to Django's formats: a 24-hour clock in both languages.
FORMAT_MODULE_PATH = ["passport_portal.formats"]
# Stored times are UTC; this zone is only the default for people with no office (WIB).
TIME_ZONE = env("TIME_ZONE", default="Asia/Jakarta")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True

# --- Sign-in: lockout after repeated failures (django-axes), second factor (django-otp) -----
# Axes watches every authenticate() call first; it needs the request passed in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
DJANGO_TABLES2_TEMPLATE = "portal/table.html"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# Lock the account name, not the address: offices share one NAT address, and a guesser
# rotating addresses still hits the same account. A success resets the count.
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns when the address is not part of the lock; by the choice above it is not on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "offices/lockout.html"
AXES_VERBOSE = False  # no log line per sign-in: the audit trail has them
OTP_TOTP_ISSUER = "Paspor Portal"
# Content-Security-Policy: every script, style, font and image comes from the portal itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Only for the API's documentation pages, whose third-party templates use inline code.
CONTENT_SECURITY_POLICY_RELAXED = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "passport_portal.api.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "passport_portal.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Passport service administration portal API",
    "DESCRIPTION": "Offices, staff, bookings, the counter pipeline, the audit trail and findings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "passport_portal.api_schema.office_clock_times",
    ],
    "ENUM_NAME_OVERRIDES": {
        "BallotStatusEnum": "bookings.models.ballot.BallotStatus",
        "BallotEntryOutcomeEnum": "bookings.models.ballot.EntryOutcome",
        "BookingStatusEnum": "bookings.choices.BookingStatus",
        "RunKindEnum": "audit.detection.choices.RunKind",
        "RunStatusEnum": "audit.detection.choices.RunStatus",
        "CaseStatusEnum": "audit.detection.choices.CaseStatus",
        "AllowlistKindEnum": "audit.detection.choices.AllowlistKind",
    },
}

# --- Bookings: capacity, release, limits (documented in README's configuration table) -------
BOOKING_SLOT_MINUTES = env.int("BOOKING_SLOT_MINUTES", default=30)
# Slots for a date open at this office-local time, this many days ahead.
BOOKING_RELEASE_TIME = env("BOOKING_RELEASE_TIME", default="08:00")
BOOKING_DAYS_AHEAD = env.int("BOOKING_DAYS_AHEAD", default=14)
# ISO weekdays (1 = Monday) an office serves by default; heads reopen other days by hand.
BOOKING_WORKING_DAYS = env.list("BOOKING_WORKING_DAYS", cast=int, default=[1, 2, 3, 4, 5])
BOOKING_ACCOUNT_CAP = env.int("BOOKING_ACCOUNT_CAP", default=5)
BOOKING_CANCEL_CUTOFF_HOURS = env.int("BOOKING_CANCEL_CUTOFF_HOURS", default=24)
BOOKING_RATE_WINDOW_SECONDS = env.int("BOOKING_RATE_WINDOW_SECONDS", default=3600)
BOOKING_RATE_PER_ACCOUNT = env.int("BOOKING_RATE_PER_ACCOUNT", default=30)
BOOKING_RATE_PER_DEVICE = env.int("BOOKING_RATE_PER_DEVICE", default=30)
BOOKING_RATE_PER_IP = env.int("BOOKING_RATE_PER_IP", default=300)
NIK_CHECKER = env("NIK_CHECKER", default="bookings.identity.StructuralNikChecker")

# --- Ballots, backlog and no-shows (see docs/release-and-backlog.md) ------------------------
# Class that delivers ballot outcomes by e-mail or SMS; the default keeps them and sends nothing.
BALLOT_NOTIFIER = env("BALLOT_NOTIFIER", default="bookings.notifiers.KeepOnlyNotifier")
# The backlog's throughput is the average of applications decided over this many past days.
BACKLOG_THROUGHPUT_DAYS = env.int("BACKLOG_THROUGHPUT_DAYS", default=14)

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured, kombu's filesystem transport lets a real worker run serverless.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _dir in (_queue_dir, _processed_dir, _control_dir):
        _dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
    _default_result_backend = f"file://{VAR_DIR / 'celery' / 'results'}"
    (VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
else:
    # Redis redelivers any task not acknowledged within this time; tasks stay well under it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200),
    }
    _default_result_backend = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "rpc://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=_default_result_backend)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Audit trail: sealing, signed statements, partitions (see docs/audit-trail.md) ----------
# Key of the HMAC-SHA256 signature on published daily statements of sealed roots; empty means
# SECRET_KEY (read when signing, so production's required secret is the one used).
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY", default="")
# Most events in one sealed block: keeps every sealing task short.
AUDIT_SEAL_BLOCK_SIZE = env.int("AUDIT_SEAL_BLOCK_SIZE", default=20000)
# Monthly partitions kept ready ahead of today.
AUDIT_PARTITIONS_AHEAD = env.int("AUDIT_PARTITIONS_AHEAD", default=3)
# Months of events kept in the live table; older sealed, verified months are archived. 0 keeps all.
AUDIT_RETENTION_MONTHS = env.int("AUDIT_RETENTION_MONTHS", default=0)

# --- Detection (see docs/detection.md) ------------------------------------------------------
# The nightly full run looks back this many days; an incremental run re-reads this many days
# before its first new event, so day-level patterns and their baselines are whole.
DETECTION_FULL_WINDOW_DAYS = env.int("DETECTION_FULL_WINDOW_DAYS", default=90)
DETECTION_INCREMENTAL_LOOKBACK_DAYS = env.int("DETECTION_INCREMENTAL_LOOKBACK_DAYS", default=1)
# A run still "running" after this many minutes lost its workers and is marked failed.
DETECTION_RUN_STALE_MINUTES = env.int("DETECTION_RUN_STALE_MINUTES", default=120)
# A scheduled full run is one per slot: a second trigger within this many hours starts nothing.
DETECTION_FULL_SLOT_HOURS = env.int("DETECTION_FULL_SLOT_HOURS", default=12)

# --- Retention of personal data (see docs/data-protection.md) -------------------------------
# Days a row is kept once finished; 0 keeps it forever. Negative values, and periods shorter
# than the detection window, stop the process at startup.
# Finished bookings (issued, rejected, cancelled, no-show) are anonymised this long after their
# service date and final step; the row stays for the figures, the person leaves it.
BOOKING_RETENTION_DAYS = _retention.retention_days(env, "BOOKING_RETENTION_DAYS", default=730)
# Applicant accounts with no booking left, not created or signed in for this long, are deleted.
ACCOUNT_RETENTION_DAYS = _retention.retention_days(env, "ACCOUNT_RETENTION_DAYS", default=730)
# Findings outside any case, not raised again by a run for this long, are deleted.
FINDING_RETENTION_DAYS = _retention.retention_days(env, "FINDING_RETENTION_DAYS", default=365)
# Closed cases, with their notes, are deleted this long after closing.
CASE_RETENTION_DAYS = _retention.retention_days(env, "CASE_RETENTION_DAYS", default=1825)
_retention.retention_check(_Namespace(**{name: globals()[name] for name in
                                         (*_retention.RETENTION_SETTINGS, "DETECTION_FULL_WINDOW_DAYS")}))

# --- Logging: raw NIKs never reach a log ----------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# Error reports (mail to ADMINS, the DEBUG page) mask NIKs in request data, frames and exceptions.
DEFAULT_EXCEPTION_REPORTER = "passport_portal.error_reports.MaskedExceptionReporter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "passport_portal.logging_filters.MaskPersonalData"},
        "drop_recorded_refusals": {"()": "passport_portal.logging_filters.DropRecordedRefusals"},
    },
    "handlers": {
        # The level is on the handler too: Django's own loggers set theirs to INFO, and records
        # they pass up would otherwise reach the console whatever LOG_LEVEL says.
        "console": {"class": "logging.StreamHandler", "level": LOG_LEVEL,
                    "filters": ["drop_recorded_refusals", "mask_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
