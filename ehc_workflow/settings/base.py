"""Settings shared by every environment. Everything a council changes comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "audit",
    "cases",
    "advice_requests",
    "panels",
    "notifications",
    "reports",
    "forecasts",
    "plans",
    "reviews",
    "demo",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "families",
    "axes",
    "security",
    "bench",
    "disputes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.VerifiedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "security.middleware.SessionPolicyMiddleware",
    "security.middleware.SecondFactorMiddleware",
    "security.access_log.RecordAccessMiddleware",
    # django-axes last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ehc_workflow.urls"

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
                "ehc_workflow.context_processors.layout",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "ehc_workflow.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'ehc.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False


#: Memory for one sort or hash in a query (PostgreSQL's default is 4 MB). Decision 0078.
DATABASE_WORK_MEM = env("DATABASE_WORK_MEM", default="16MB")


def postgres_tuned(database: dict) -> dict:
    """The session settings the application's queries are planned for (a deployment may set
    `options` itself instead):

    - `jit=off`: the JIT compiler spent 1.5 s of 2.1 s compiling the risk-annotated queries of
      the sweep and the dashboard, which then ran in 0.2 s (decision 0071);
    - `work_mem`: the risk of every open case looks up the set of cases with overdue advice. The
      planner hashes that set only if its estimate fits in work_mem x hash_mem_multiplier; at
      1,000,000 cases the estimate (280,000 rows) did not fit 4 MB, and the fallback scanned the
      whole set once per case (the sweep ran for minutes). 16 MB hashes it: 0.7 s (decision 0078).
    """
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {}).setdefault(
            "options", f"-c jit=off -c work_mem={DATABASE_WORK_MEM}"
        )
    return database


postgres_tuned(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Statutory days are counted in England: "today" is the date in London.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# GOV.UK Frontend and MoJ Frontend come from npm (`make` runs `npm install`), never a CDN. Only
# their built `dist` folders are exposed, under /static/govuk/ and /static/moj/.
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
]
MEDIA_ROOT = env.path("EHC_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- The API (DRF + drf-spectacular) ---------------------------------------------------------
# Token first: an anonymous API call is answered 401 with a WWW-Authenticate header. Sessions
# serve the web pages' own calls (CSRF-checked by DRF).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ehc_workflow.api.PageNumberPagination",
    "EXCEPTION_HANDLER": "ehc_workflow.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EHC needs assessments API",
    "DESCRIPTION": (
        "Requests for an EHC needs assessment and their statutory clock. Authenticate with a "
        "session (the web pages) or `Authorization: Token <key>` (integrations). Every error "
        "has the same shape: see the `Error` schema."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`: name each choice set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.CaseStatus",
        "AdviceStatusEnum": "advice_requests.models.AdviceStatus",
        "MeetingStatusEnum": "panels.models.MeetingStatus",
        "AgendaItemStatusEnum": "panels.models.ItemStatus",
        "RiskEnum": "cases.deadlines.Risk",
        "PrimaryNeedEnum": "cases.models.PrimaryNeed",
        "TransitionEnum": "cases.serializers.TRANSITION_CHOICES",
        "ReviewStatusEnum": "reviews.models.ReviewStatus",
        "ReviewOutcomeEnum": "reports.sen2_codes.ReviewOutcome",
        # Choice sets that share a field name across apps (kind, outcome, section).
        "ContactKindEnum": "cases.record_models.ContactKind",
        "PlanVersionKindEnum": "plans.models.VersionKind",
        "PlanCommentKindEnum": "plans.models.CommentKind",
        "LetterKindEnum": "plans.letter_models.LetterKind",
        "OrderKindEnum": "disputes.forms.ORDER_KIND_CHOICES",
        "PanelOutcomeEnum": "panels.models.Outcome",
        "AppealOutcomeEnum": "disputes.models.AppealOutcome",
        "MediationOutcomeEnum": "disputes.models.MediationOutcome",
        "PlanSectionEnum": "plans.models.Section",
        "ProvisionSectionEnum": "plans.models.ProvisionSection",
    },
}

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ehc-workflow@localhost")
# Seconds before an SMTP call gives up: a hung mail server must not hold a delivery forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# GOV.UK Notify (django-gov-notify's email backend reads the key; so do text messages).
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = env("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", default="")

# --- Text messages to families (issue 16 item 4; notifications.texts, decision 0175) ---------
# Off unless the council sets them up: then each family email also goes as a short text to the
# family member's UK mobile number on record.
EHC_TEXT_MESSAGES = env.bool("EHC_TEXT_MESSAGES", default=False)
EHC_TEXT_BACKEND = env("EHC_TEXT_BACKEND", default="notifications.texts.NotifyTextBackend")
# A Notify text template whose whole content is ((message)).
EHC_NOTIFY_TEXT_TEMPLATE_ID = env("EHC_NOTIFY_TEXT_TEMPLATE_ID", default="")
# The sender name or number set up in Notify (blank: the service's default).
EHC_NOTIFY_SMS_SENDER_ID = env("EHC_NOTIFY_SMS_SENDER_ID", default="")

# --- Celery ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# Longer than any task's hard limit, so an unacknowledged task is not redelivered mid-run.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, a task running when the broker connection drops is cancelled (and redelivered)
# rather than finishing unacknowledged; every task here is safe to run twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)

# --- Notifications (ehc-process.md section 6; the schedule itself is in ehc_workflow/celery.py)
EHC_SWEEP_INTERVAL_SECONDS = env.int("EHC_SWEEP_INTERVAL_SECONDS", default=15 * 60)
#: How often the dashboard's counts are stored for the page (decision 0160).
EHC_DASHBOARD_SUMMARY_INTERVAL_SECONDS = env.int(
    "EHC_DASHBOARD_SUMMARY_INTERVAL_SECONDS", default=15 * 60
)
EHC_DELIVERY_INTERVAL_SECONDS = env.int("EHC_DELIVERY_INTERVAL_SECONDS", default=60)
# A row that fails this many times is parked for an administrator (Django admin).
EHC_NOTIFICATION_MAX_ATTEMPTS = env.int("EHC_NOTIFICATION_MAX_ATTEMPTS", default=5)
EHC_NOTIFICATION_DELIVERY_BATCH = env.int("EHC_NOTIFICATION_DELIVERY_BATCH", default=500)
# Each delivery run stops after this long, well inside CELERY_TASK_SOFT_TIME_LIMIT.
EHC_NOTIFICATION_DELIVERY_SECONDS = env.int("EHC_NOTIFICATION_DELIVERY_SECONDS", default=120)
# Links in emails: the site's address and where a case and the case list live on it.
EHC_SITE_URL = env("EHC_SITE_URL", default="http://127.0.0.1:8000")
EHC_CASE_URL_PATH = env("EHC_CASE_URL_PATH", default="/cases/{reference}/")
EHC_CASE_LIST_URL_PATH = env("EHC_CASE_LIST_URL_PATH", default="/cases/")
# Where alerts about an advice request and a panel meeting link to (the partner's and the
# panel's pages; issue 6, decision 0033).
EHC_ADVICE_REQUEST_URL_PATH = env("EHC_ADVICE_REQUEST_URL_PATH", default="/advice/{id}/")
EHC_PANEL_MEETING_URL_PATH = env("EHC_PANEL_MEETING_URL_PATH", default="/panels/meetings/{id}/")

# --- The statutory clock ---------------------------------------------------------------------
# Days from the date the request was received (ehc-process.md section 1). The statutory ones
# (42 and 140) are fixed by regulation; the operational ones may be configured by a council.
EHC_STATUTORY_PANEL_DECISION_DAY = env.int("EHC_STATUTORY_PANEL_DECISION_DAY", default=112)
EHC_DRAFT_PLAN_DAY = env.int("EHC_DRAFT_PLAN_DAY", default=125)
# Risk: a milestone due within this many days makes the case "at risk" (section 6).
EHC_RISK_WARNING_DAYS = env.int("EHC_RISK_WARNING_DAYS", default=14)
# Shown in the header of every page (a council's own name: not GOV.UK branding).
EHC_AUTHORITY_NAME = env("EHC_AUTHORITY_NAME", default="Local authority SEN service")
# Section 11: printed in every letter with appeal rights (plans.letters has synthetic defaults).
EHC_MEDIATION_ADVISER = env("EHC_MEDIATION_ADVISER", default="")
EHC_IASS_CONTACT = env("EHC_IASS_CONTACT", default="")
# Case references look like EHC-2026-00042.
EHC_REFERENCE_PREFIX = env("EHC_REFERENCE_PREFIX", default="EHC")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Advice documents (ehc-process.md section 4) ----------------------------------------------
# Stored outside the web root (never under STATIC_ROOT or MEDIA_ROOT) and served only through the
# access-checked download service, as an attachment.
EHC_ADVICE_STORAGE_DIR = env.path(
    "EHC_ADVICE_STORAGE_DIR", default=str(BASE_DIR / "var" / "advice-documents")
)
EHC_ADVICE_MAX_UPLOAD_BYTES = env.int("EHC_ADVICE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

# --- Security (docs/security.md; decisions 0060-0069) ------------------------------------------
# django-axes first: it refuses a locked-out username+IP before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# ASVS 2.2.1: 5 failures lock the username *from that IP* only, so nobody can lock a colleague
# out from elsewhere (decision 0061). The cool-off is configurable (hours).
AXES_FAILURE_LIMIT = env.int("EHC_LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env.float("EHC_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind a proxy, set EHC_AXES_IPWARE_META to e.g. ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"].
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("EHC_AXES_IPWARE_META", default=["REMOTE_ADDR"])

# ASVS 3.3.1/3.3.2: signed-in sessions end after 30 idle minutes and 12 hours in all.
EHC_SESSION_IDLE_SECONDS = env.int("EHC_SESSION_IDLE_SECONDS", default=30 * 60)
EHC_SESSION_ABSOLUTE_SECONDS = env.int("EHC_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = EHC_SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

OTP_TOTP_ISSUER = "EHC needs assessments"
# Families' second factor (issue 16): a code sent to their email, valid 5 minutes, one a minute.
OTP_EMAIL_SUBJECT = "Your sign-in code"
OTP_EMAIL_BODY_TEMPLATE_PATH = "families/email/sign_in_code.txt"
OTP_EMAIL_TOKEN_VALIDITY = 300
OTP_EMAIL_COOLDOWN_DURATION = 60
EHC_FAMILY_INVITATION_DAYS = env.int("EHC_FAMILY_INVITATION_DAYS", default=7)
# An administrator never sees a user's TOTP secret or QR code (they could then pass as that user):
# django-otp's admin answers 403 for those pages, whatever the device id (also no 500 for an
# unknown id). A user who loses their phone signs in with a recovery code and sets up another.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# ASVS 14.4.3 / 5.3.3: a Content-Security-Policy with no inline script anywhere (the GOV.UK
# Frontend start-up is a static file: security/static/security/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Advice uploads (section 4): a DOCX is a zip; refuse one that expands past this (zip bomb).
EHC_DOCX_MAX_UNCOMPRESSED_BYTES = env.int(
    "EHC_DOCX_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
# ClamAV: when set (e.g. /run/clamav/clamd.ctl), every upload is scanned by clamd first.
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
# Retention (UK GDPR art. 5(1)(e)): a child's record is kept until date of birth + this many
# years, then restricted, then deleted after the grace period (decision 0064).
EHC_RETENTION_YEARS_AFTER_BIRTH = env.int("EHC_RETENTION_YEARS_AFTER_BIRTH", default=31)
EHC_RETENTION_RESTRICTED_DAYS = env.int("EHC_RETENTION_RESTRICTED_DAYS", default=30)
