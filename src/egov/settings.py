"""Django settings for egov: every value comes from the environment (see .env.example).

Typed helpers in ``egov.env`` fail loudly on malformed values. Nothing secret has a
production default: ``EGOV_ENVIRONMENT=production`` requires ``EGOV_SECRET_KEY``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from egov.env import (
    cache_settings,
    database_settings,
    env_bool,
    env_choice,
    env_date,
    env_int,
    env_list,
    env_secret,
    env_str,
)

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("EGOV_VAR_DIR", str(BASE_DIR / "var")))

# development: a developer's machine and the test suite; demo: `make run`;
# production: a real deployment (secure cookies, secret key required, manifest static files).
ENVIRONMENT = env_choice("EGOV_ENVIRONMENT", "development", {"development", "demo", "production"})
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("EGOV_DEBUG", ENVIRONMENT == "demo")
SECRET_KEY = env_secret(
    "EGOV_SECRET_KEY",
    None if IS_PRODUCTION else "insecure-development-key-never-use-in-production-0123456789",
)
ALLOWED_HOSTS = env_list(
    "EGOV_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("EGOV_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "egov.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "egov.contrib.vneid",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "egov.org",
    "egov.accounts",
    "egov.audit",
    "egov.workdays",
    "egov.catalog",
    "egov.signing",
    "egov.notifications",
    "egov.payments",
    "egov.ratings",
    "egov.certification",
    "egov.feedback",
    "egov.helpdesk",
    "egov.centre",
    "egov.contrib.vnpay",
    "egov.datastore",
    "egov.dossiers",
    "egov.documents",
    "egov.exchange",
    "egov.national",
    "egov.webhooks",
    "egov.reports",
    "egov.portal",
    "egov.workspace",
    "egov.api",
    "egov.demo",
    "ninja",  # serves swagger-ui for /api/v1/docs from our own static files (no CDN)
    "csp",
    "django.forms",  # Django's own form templates, for the renderer below
]
# Forms render through the project's templates: one field include for every form
# (templates/forms/field.html: required mark, error on its field, aria-* attributes).
FORM_RENDERER = "egov.core.forms.FormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "egov.core.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.VietnameseFirstLocaleMiddleware",
    "egov.core.middleware.ApiErrorEnvelopeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "egov.accounts.middleware.StaffMFARequiredMiddleware",
    "egov.core.middleware.PersonalDataNoStoreMiddleware",
    "egov.accounts.middleware.ApiCallMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.core.context_processors.site",
                "egov.workspace.context_processors.staff_roles",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite (embedded default, in var/) or PostgreSQL (production) from DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'egov.sqlite3'}"
_conn_max_age = env_int("EGOV_DB_CONN_MAX_AGE", 600, minimum=0)
DATABASES: dict[str, dict[str, Any]] = {
    "default": database_settings(env_str("DATABASE_URL", _default_sqlite), _conn_max_age)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file too (not the shared in-memory database, which locks whole tables), so
    # concurrent writers behave as in a real deployment.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_egov.sqlite3")}
# Reports may read from a PostgreSQL streaming replica (egov.core.replicas; docs/operations.md,
# "Read replica"); core.E001/E002 refuse a replica beside SQLite or of another engine. Test runs
# use the primary's test database for it (MIRROR) rather than create a second one.
_replica_url = env_str("EGOV_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = database_settings(_replica_url, _conn_max_age)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["egov.core.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks (django-tasks, database backend) ----------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "signing", "ocr"],
    }
}

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_private_backend = env_str(
    "EGOV_PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
# For S3-compatible storage: pip install '.[s3]', EGOV_PRIVATE_STORAGE_BACKEND=
# storages.backends.s3.S3Storage and the EGOV_S3_* variables (docs/operations.md).
_PRIVATE_STORAGE: dict[str, object] = {"BACKEND": _private_backend}
if _private_backend.endswith("FileSystemStorage"):
    _PRIVATE_STORAGE["OPTIONS"] = {
        "location": env_str("EGOV_PRIVATE_FILES_DIR", str(VAR_DIR / "private")),
        "base_url": None,
    }
elif _private_backend.endswith("S3Storage"):
    _PRIVATE_STORAGE["OPTIONS"] = {
        "bucket_name": env_str("EGOV_S3_BUCKET", "egov-private"),
        "endpoint_url": env_str("EGOV_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("EGOV_S3_REGION", "") or None,
        "access_key": env_secret("EGOV_S3_ACCESS_KEY", ""),
        "secret_key": env_secret("EGOV_S3_SECRET_KEY", ""),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Applicants' files (scans, uploads): never under a public URL; served only by views that
    # check access. See _PRIVATE_STORAGE above for S3-compatible storage.
    "private": _PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("EGOV_STATIC_MANIFEST", IS_PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the apps' static folders (no
# collectstatic step for `make run` or the tests).
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_ROOT = Path(env_str("EGOV_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded scans and attachments: size limit per file (MB) and the types accepted, checked by
# content, not by the file name.
EGOV_UPLOAD_MAX_MB = env_int("EGOV_UPLOAD_MAX_MB", 10, minimum=1)
EGOV_UPLOAD_MAX_FILES_PER_COMPONENT = env_int("EGOV_UPLOAD_MAX_FILES_PER_COMPONENT", 5, minimum=1)
# Files one request may carry (a desk reception sends one scan per dossier component, an online
# applicant up to EGOV_UPLOAD_MAX_FILES_PER_COMPONENT at once). A request body larger than
# EGOV_UPLOAD_MAX_MB × this + 1 MB is refused with 413 before it is read
# (egov.core.request_size); the reverse proxy's client_max_body_size should match.
EGOV_UPLOAD_MAX_FILES_PER_REQUEST = env_int(
    "EGOV_UPLOAD_MAX_FILES_PER_REQUEST", max(10, EGOV_UPLOAD_MAX_FILES_PER_COMPONENT), minimum=1
)
DATA_UPLOAD_MAX_NUMBER_FILES = EGOV_UPLOAD_MAX_FILES_PER_REQUEST
# Scans of dossier components (egov.core.scan_quality, docs/scan-quality.md): TT 01/2023/TT-VPCP
# Điều 8 khoản 2 điểm f refers to TT 02/2019/TT-BNV for the technical parameters; the values
# below (≥ 200 dpi, colour or greyscale) are not yet confirmed against that text ("chưa xác
# nhận"). The sharpness floor was measured on generated scans (docs/scan-quality.md).
EGOV_SCAN_MIN_DPI = env_int("EGOV_SCAN_MIN_DPI", 200, minimum=1)
EGOV_SCAN_MIN_SHARPNESS = env_int("EGOV_SCAN_MIN_SHARPNESS", 100, minimum=0)
EGOV_SCAN_ALLOW_BILEVEL = env_bool("EGOV_SCAN_ALLOW_BILEVEL", False)
# Uploads larger than this go to a temporary file instead of memory (never above the per-file
# limit); form fields and JSON bodies (everything but files) are limited to 5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = min(2, EGOV_UPLOAD_MAX_MB) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# OCR of scans (egov.core.ocr): longest run for one file, in seconds, and most pages per file.
EGOV_OCR_TIMEOUT_SECONDS = env_int("EGOV_OCR_TIMEOUT_SECONDS", 300, minimum=1)
EGOV_OCR_MAX_PAGES = env_int("EGOV_OCR_MAX_PAGES", 50, minimum=1)

# --- Security ---------------------------------------------------------------------------
_https = env_bool("EGOV_HTTPS", IS_PRODUCTION)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
# The CSRF failure page in the site's layout, rendered without the request (egov.core.errors).
CSRF_FAILURE_VIEW = "egov.core.errors.csrf_failure"
# With HTTPS on, plain-HTTP requests are redirected (behind a proxy: its X-Forwarded-Proto) and
# browsers are told to use HTTPS only (HSTS, one year by default).
SECURE_SSL_REDIRECT = env_bool("EGOV_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = env_int("EGOV_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("EGOV_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading (browsers' built-in HTTPS-only list) is a decision for the domain's owner, made
# once for the whole domain: off unless asked for; check --deploy's reminder is silenced then.
SECURE_HSTS_PRELOAD = env_bool("EGOV_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SESSION_COOKIE_AGE = env_int("EGOV_SESSION_AGE_SECONDS", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Number of trusted reverse proxies in front of the web workers; used to read the client
# IP for the audit trail from X-Forwarded-For. 0 = use REMOTE_ADDR.
EGOV_TRUSTED_PROXY_COUNT = env_int("EGOV_TRUSTED_PROXY_COUNT", 0, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts (django-allauth) ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "egov.accounts.backends.PhoneBackend",
]
ACCOUNT_ADAPTER = "egov.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
# Citizens sign up with an e-mail address (verified by a link) or a mobile number (verified by
# an SMS code) and their profile; they sign in with either (accounts.backends.PhoneBackend).
# Staff keep the user names given by administrators.
ACCOUNT_SIGNUP_FIELDS = ["email", "password1*", "password2*"]
# allauth's W001 says no login method is *required* at sign-up: true of e-mail alone, but
# the sign-up form requires an e-mail address or a mobile number, which allauth cannot
# express; egov.accounts.checks verifies that rule instead (egov.E001–E003).
SILENCED_SYSTEM_CHECKS.append("account.W001")
ACCOUNT_SIGNUP_FORM_CLASS = "egov.accounts.forms.CitizenSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
EGOV_CITIZEN_SIGNUP = env_bool("EGOV_CITIZEN_SIGNUP", True)
# National SSO (Cổng DVC quốc gia / VNeID) as an OpenID Connect relying party; off until the
# portal operator issues a client. Claim names are not published: set them here. Our own
# allauth provider (egov.contrib.vneid) verifies the id_token's signature against the
# provider's JWKS, the nonce, the assurance level (acr) and the required claims.
SOCIALACCOUNT_ADAPTER = "egov.contrib.vneid.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
EGOV_SSO_SERVER_URL = env_str("EGOV_SSO_SERVER_URL", "")
EGOV_SSO_CLIENT_ID = env_str("EGOV_SSO_CLIENT_ID", "")
EGOV_SSO_CLIENT_SECRET = env_secret("EGOV_SSO_CLIENT_SECRET", "")
EGOV_SSO_NAME = env_str("EGOV_SSO_NAME", "Tài khoản định danh điện tử (VNeID)")
EGOV_SSO_PERSONAL_ID_CLAIM = env_str("EGOV_SSO_PERSONAL_ID_CLAIM", "so_dinh_danh")
EGOV_SSO_BIRTH_DATE_CLAIM = env_str("EGOV_SSO_BIRTH_DATE_CLAIM", "ngay_sinh")
EGOV_SSO_PHONE_CLAIM = env_str("EGOV_SSO_PHONE_CLAIM", "so_dien_thoai")
# Scopes asked for (the personal ID or phone may sit in a provider's own scope or in the
# standard "phone" scope).
EGOV_SSO_SCOPES = env_list("EGOV_SSO_SCOPES", ["openid", "profile", "email"])
# Accepted id_token signature algorithms ("none" and HMAC with a public key are never).
EGOV_SSO_ID_TOKEN_ALGS = env_list("EGOV_SSO_ID_TOKEN_ALGS", ["RS256"])
# Assurance levels, lowest first, and the minimum required (sent as acr_values, checked in
# the id_token). The meaning of the national levels is not published: [UNCONFIRMED].
EGOV_SSO_ACR_LEVELS = env_list("EGOV_SSO_ACR_LEVELS", ["LoA0", "LoA1", "LoA2", "LoA3", "LoA4"])
EGOV_SSO_MIN_ACR = env_str("EGOV_SSO_MIN_ACR", "LoA1")
# HTTP timeout towards the provider (discovery, token, userinfo, JWKS), and how long its
# signing keys are kept in the cache (an unknown key id fetches them again once).
EGOV_SSO_TIMEOUT_SECONDS = env_int("EGOV_SSO_TIMEOUT_SECONDS", 4, minimum=1)
EGOV_SSO_JWKS_CACHE_SECONDS = env_int("EGOV_SSO_JWKS_CACHE_SECONDS", 3600, minimum=0)


def sso_providers(server_url: str, client_id: str, secret: str, name: str) -> dict[str, object]:
    apps = (
        [
            {
                "provider_id": "vneid",
                "name": name,
                "client_id": client_id,
                "secret": secret,
                "settings": {"server_url": server_url},
            }
        ]
        if server_url and client_id
        else []
    )
    return {"vneid": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}


SOCIALACCOUNT_PROVIDERS = sso_providers(
    EGOV_SSO_SERVER_URL, EGOV_SSO_CLIENT_ID, EGOV_SSO_CLIENT_SECRET, EGOV_SSO_NAME
)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Failed sign-ins (allauth): per client address, and per account *and* address (the "key" is
# both, see AccountAdapter), so nobody can lock someone else out from their own address. A
# slower back-off per account across all addresses stops a spread-out guessing attack.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("EGOV_LOGIN_FAILED_RATES", "20/5m/ip,5/5m/key"),
}
EGOV_LOGIN_ACCOUNT_FAILURES_PER_HOUR = env_int(
    "EGOV_LOGIN_ACCOUNT_FAILURES_PER_HOUR", 30, minimum=1
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "workspace:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("EGOV_MFA_ISSUER", "egov Quảng Ninh")
# Staff (anyone holding a role or admin access) must enrol TOTP before using the staff
# workspace or the admin. On by default everywhere except the local demo.
EGOV_REQUIRE_STAFF_MFA = env_bool("EGOV_REQUIRE_STAFF_MFA", ENVIRONMENT != "demo")

# Outside production, e-mails are printed on the console and kept per recipient for the
# simulated mailbox (/hop-thu-mo-phong/, egov.contrib.mailbox), where a demo user reads the
# sign-up code or the password link sent to a made-up address.
EGOV_SIMULATED_MAILBOX = env_bool("EGOV_SIMULATED_MAILBOX", not IS_PRODUCTION) and not IS_PRODUCTION
EMAIL_BACKEND = env_str(
    "EGOV_EMAIL_BACKEND",
    "egov.contrib.mailbox.backend.EmailBackend"
    if EGOV_SIMULATED_MAILBOX
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("EGOV_DEFAULT_FROM_EMAIL", "egov <no-reply@localhost>")

# --- Notifications (outbox delivered by the worker) ---------------------------------------
# The address citizens use, for links in messages.
EGOV_PUBLIC_URL = env_str("EGOV_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# SMS: "database" keeps messages in the outbox only (demo, tests); "esms" calls an eSMS-style
# brandname gateway (EGOV_SMS_API_URL, EGOV_SMS_API_KEY, EGOV_SMS_SECRET_KEY, EGOV_SMS_BRANDNAME).
EGOV_SMS_BACKEND = env_choice("EGOV_SMS_BACKEND", "database", {"database", "esms"})
EGOV_SMS_API_URL = env_str(
    "EGOV_SMS_API_URL",
    "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/",
)
EGOV_SMS_API_KEY = env_secret("EGOV_SMS_API_KEY", "")
EGOV_SMS_SECRET_KEY = env_secret("EGOV_SMS_SECRET_KEY", "")
EGOV_SMS_BRANDNAME = env_str("EGOV_SMS_BRANDNAME", "")
EGOV_SMS_SANDBOX = env_bool("EGOV_SMS_SANDBOX", False)
# Outside production, messages kept by the "database" backends also land on a simulated phone
# (/dien-thoai-mo-phong/), so a demo user can read the code sent to "their" number.
EGOV_SIMULATED_PHONE = env_bool("EGOV_SIMULATED_PHONE", not IS_PRODUCTION) and not IS_PRODUCTION
# Zalo ZNS: "off", "database" (outbox only) or "zns" (business.openapi.zalo.me). Templates are
# approved by Zalo: EGOV_ZALO_TEMPLATES maps our events to template ids, e.g.
# "received=231001,returned=231002"; events without a template are not sent on Zalo.
EGOV_ZALO_BACKEND = env_choice("EGOV_ZALO_BACKEND", "off", {"off", "database", "zns"})
EGOV_ZALO_API_URL = env_str(
    "EGOV_ZALO_API_URL", "https://business.openapi.zalo.me/message/template"
)
EGOV_ZALO_ACCESS_TOKEN = env_secret("EGOV_ZALO_ACCESS_TOKEN", "")
EGOV_ZALO_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("EGOV_ZALO_TEMPLATES", []) if "=" in item
)
# --- Online payment (VNPAY 2.1.0) ------------------------------------------------------------
# Outside production the project's own VNPAY simulator (/vnpay-sim/) plays the gateway, so
# paying can be tried without any outside service; the real gateway needs only these values.
EGOV_VNPAY_SIMULATOR = env_bool("EGOV_VNPAY_SIMULATOR", not IS_PRODUCTION)
EGOV_VNPAY_TMN_CODE = env_str("EGOV_VNPAY_TMN_CODE", "" if IS_PRODUCTION else "EGOVDEMO")
EGOV_VNPAY_HASH_SECRET = env_secret(
    "EGOV_VNPAY_HASH_SECRET", "" if IS_PRODUCTION else "egov-demo-secret-not-for-production"
)
EGOV_VNPAY_PAY_URL = env_str(
    "EGOV_VNPAY_PAY_URL",
    "https://pay.vnpay.vn/vpcpay.html"
    if IS_PRODUCTION
    else env_str("EGOV_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    + "/vnpay-sim/paymentv2/vpcpay.html",
)
EGOV_VNPAY_API_URL = env_str(
    "EGOV_VNPAY_API_URL",
    ""
    if IS_PRODUCTION
    else env_str("EGOV_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    + "/vnpay-sim/merchant_webapi/api/transaction",
)
# Minutes a payment link stays valid (vnp_ExpireDate).
EGOV_VNPAY_EXPIRE_MINUTES = env_int("EGOV_VNPAY_EXPIRE_MINUTES", 15, minimum=5)

EGOV_NOTIFY_TIMEOUT_SECONDS = env_int("EGOV_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1)

# --- Remote signing (Cloud Signature Consortium API v2, egov.contrib.csc) -------------------
# The service's base URI ending in /csc/v2; our system signs in with OAuth 2.0 client
# credentials. Empty: remote signing is off. The signer confirms each request on their phone
# within EGOV_CSC_CONFIRM_TIMEOUT_SECONDS (the providers' own limit is unconfirmed).
EGOV_CSC_BASE_URL = env_str("EGOV_CSC_BASE_URL", "")
EGOV_CSC_CLIENT_ID = env_str("EGOV_CSC_CLIENT_ID", "")
EGOV_CSC_CLIENT_SECRET = env_secret("EGOV_CSC_CLIENT_SECRET", "")
EGOV_CSC_TIMEOUT_SECONDS = env_int("EGOV_CSC_TIMEOUT_SECONDS", 10, minimum=1)
EGOV_CSC_CONFIRM_TIMEOUT_SECONDS = env_int("EGOV_CSC_CONFIRM_TIMEOUT_SECONDS", 180, minimum=10)
EGOV_CSC_POLL_SECONDS = env_int("EGOV_CSC_POLL_SECONDS", 2, minimum=1)
# Each signer's credential at the service: "username=credentialID" pairs, comma-separated
# (egov.signing.signers.personal_signer_for).
EGOV_CSC_USER_CREDENTIALS = env_list("EGOV_CSC_USER_CREDENTIALS", [])
# With a service configured, whether a signer with neither a PersonalSigningMethod row nor a
# pair above must sign remotely (and is told their account has no credential yet). False: such
# a signer keeps the other methods (the demo: one leader signs remotely, the others do not).
EGOV_CSC_REMOTE_BY_DEFAULT = env_bool("EGOV_CSC_REMOTE_BY_DEFAULT", True)
# At most this many messages per recipient and hour; more wait, they are not dropped.
EGOV_NOTIFY_MAX_PER_RECIPIENT_HOUR = env_int("EGOV_NOTIFY_MAX_PER_RECIPIENT_HOUR", 10, minimum=1)
# Attempts before a message is given up (backoff 30 s doubling, at most 10 min apart: 30
# attempts cover more than 4 hours of outage).
EGOV_NOTIFY_MAX_ATTEMPTS = env_int("EGOV_NOTIFY_MAX_ATTEMPTS", 30, minimum=1)

# --- Shared cache (rate limits, allauth's login throttling, JWKS…) -------------------------
# Every web worker and host must see the same counters, or N workers allow N times a limit:
# "database" (default; one host, a table in the project's database, created by migrations)
# or a redis:// URL (several hosts; `redis-server` or any Redis-compatible service; the key
# prefix lets several installations share one Redis).
CACHES = cache_settings(
    env_str("EGOV_CACHE_URL", "database"), env_str("EGOV_CACHE_KEY_PREFIX", "egov")
)
# Public dossier lookups per client IP and minute (anti-enumeration).
EGOV_LOOKUP_RATE_PER_MINUTE = env_int("EGOV_LOOKUP_RATE_PER_MINUTE", 30, minimum=1)
# The rating kiosk at the desk (portal.rating): attempts per client address and minute (a
# desk's kiosks share one address, so this is generous), and wrong checks per dossier code and
# hour (four digits must not be guessable).
EGOV_RATING_KIOSK_RATE_PER_MINUTE = env_int("EGOV_RATING_KIOSK_RATE_PER_MINUTE", 30, minimum=1)
EGOV_RATING_KIOSK_WRONG_CHECKS_PER_HOUR = env_int(
    "EGOV_RATING_KIOSK_WRONG_CHECKS_PER_HOUR", 5, minimum=1
)
# The queue at service centres (egov.centre): tickets a kiosk's address may take per minute
# (a centre's kiosks share one address), the most numbers of one line a day (three digits are
# printed), and the wait the province reports against (share called within it; 15 minutes is
# chưa xác nhận — set it to the province's own target).
EGOV_QUEUE_KIOSK_RATE_PER_MINUTE = env_int("EGOV_QUEUE_KIOSK_RATE_PER_MINUTE", 60, minimum=1)
EGOV_QUEUE_DAILY_LIMIT = min(env_int("EGOV_QUEUE_DAILY_LIMIT", 999, minimum=1), 999)
EGOV_QUEUE_WAIT_TARGET_MINUTES = env_int("EGOV_QUEUE_WAIT_TARGET_MINUTES", 15, minimum=1)
# Seconds each worker reuses a display board's state between polls (0: ask every time).
EGOV_QUEUE_BOARD_CACHE_SECONDS = env_int("EGOV_QUEUE_BOARD_CACHE_SECONDS", 1, minimum=0)
# Online appointments (đặt lịch hẹn, egov.centre.appointments) — local choices, not law (chưa
# xác nhận): slot length; how many days ahead a citizen may book; booked, not yet come
# appointments one phone may hold; minutes after the slot's start a booked citizen may still
# check in at the kiosk (then the appointment is a no-show and the place goes back to the walk-in
# queue); hours before the slot the reminder goes out; bookings an address may make an hour.
EGOV_QUEUE_SLOT_MINUTES = env_int("EGOV_QUEUE_SLOT_MINUTES", 30, minimum=5)
EGOV_QUEUE_BOOKING_DAYS_AHEAD = env_int("EGOV_QUEUE_BOOKING_DAYS_AHEAD", 14, minimum=1)
EGOV_QUEUE_BOOKINGS_PER_PHONE = env_int("EGOV_QUEUE_BOOKINGS_PER_PHONE", 2, minimum=1)
EGOV_QUEUE_CHECK_IN_GRACE_MINUTES = env_int("EGOV_QUEUE_CHECK_IN_GRACE_MINUTES", 15, minimum=0)
EGOV_QUEUE_REMINDER_HOURS = env_int("EGOV_QUEUE_REMINDER_HOURS", 24, minimum=1)
EGOV_QUEUE_BOOKING_RATE_PER_HOUR = env_int("EGOV_QUEUE_BOOKING_RATE_PER_HOUR", 20, minimum=1)
# Wrong appointment codes one client address may type at one centre's kiosk in an hour (the
# codes must not be probed; a centre's kiosks see a few typos a day).
EGOV_QUEUE_CHECK_IN_WRONG_PER_HOUR = env_int("EGOV_QUEUE_CHECK_IN_WRONG_PER_HOUR", 30, minimum=1)
# How many times a dossier may be sent back for supplements during processing. The guidance
# is given "một lần" (NĐ 61/2018, NĐ 118/2025); some local rules allow more.
EGOV_SUPPLEMENT_REQUESTS_MAX = env_int("EGOV_SUPPLEMENT_REQUESTS_MAX", 1, minimum=1)
# The agency returns an incomplete dossier with the supplement request within 03 working days of
# reception unless sector law says otherwise (NĐ 61/2018 Điều 19.4; the version may override it):
# a later request is recorded with a warning. Kept a setting: NĐ 118/2025 text not checked.
EGOV_SUPPLEMENT_REQUEST_DAYS = env_int("EGOV_SUPPLEMENT_REQUEST_DAYS", 3, minimum=1)
# NĐ 61/2018 Điều 18.2: a paper dossier received after 15:00 goes to the competent agency at the
# start ("đầu giờ") of the next working day, read as its first N working hours; a later hand-off
# is recorded with a warning.
EGOV_HAND_OFF_START_HOURS = env_int("EGOV_HAND_OFF_START_HOURS", 1, minimum=1)
# Postal operator adapter for results sent by post: "local" books in this system's database
# (demo, tests, a desk that writes the number by hand); "http" calls an operator's JSON API.
EGOV_POSTAL_GATEWAY = env_choice("EGOV_POSTAL_GATEWAY", "local", {"local", "http"})
EGOV_POSTAL_API_URL = env_str("EGOV_POSTAL_API_URL", "")
EGOV_POSTAL_API_KEY = env_secret("EGOV_POSTAL_API_KEY", "")
EGOV_POSTAL_TIMEOUT_SECONDS = env_int("EGOV_POSTAL_TIMEOUT_SECONDS", 10, minimum=1)

# --- Province ---------------------------------------------------------------------------
# Level-1 electronic unit code (mã định danh, QCVN 102:2016) of the province this
# deployment serves: H49 = Quảng Ninh (QĐ 3739/QĐ-UBND Quảng Ninh, 03/11/2016).
EGOV_PROVINCE_CODE = env_str("EGOV_PROVINCE_CODE", "H49")
EGOV_SITE_NAME = env_str("EGOV_SITE_NAME", "Cổng dịch vụ công tỉnh Quảng Ninh")

# --- National public-service portal (Cổng DVC quốc gia) sync: egov.national ----------------
# Off unless switched on (dev runs without the portal; tests and the bench switch it on against
# contrib/dvcqg's simulator). The adapter URL and the account come from VPCP on onboarding;
# the paths below the URL (/auth, /integration, /share) and the unit code's form are
# unconfirmed (docs/national-portal.md).
EGOV_NATIONAL_SYNC_ENABLED = env_bool("EGOV_NATIONAL_SYNC_ENABLED", False)
EGOV_NATIONAL_PORTAL_URL = env_str("EGOV_NATIONAL_PORTAL_URL", "")
EGOV_NATIONAL_CLIENT_ID = env_str("EGOV_NATIONAL_CLIENT_ID", "")
EGOV_NATIONAL_CLIENT_SECRET = env_secret("EGOV_NATIONAL_CLIENT_SECRET", "")
EGOV_NATIONAL_UNIT_CODE = env_str("EGOV_NATIONAL_UNIT_CODE", f"000.00.00.{EGOV_PROVINCE_CODE}")
EGOV_NATIONAL_TIMEOUT_SECONDS = env_int("EGOV_NATIONAL_TIMEOUT_SECONDS", 10, minimum=1)
# Retries: the first after this many seconds, doubling up to the cap; a row is given up (and
# shown on the dashboard for a manual retry) after this many attempts — 60 attempts at the
# 10-minute cap keep trying for about 9 hours.
EGOV_NATIONAL_RETRY_FIRST_SECONDS = env_int("EGOV_NATIONAL_RETRY_FIRST_SECONDS", 30, minimum=1)
EGOV_NATIONAL_RETRY_MAX_SECONDS = env_int("EGOV_NATIONAL_RETRY_MAX_SECONDS", 600, minimum=1)
EGOV_NATIONAL_MAX_ATTEMPTS = env_int("EGOV_NATIONAL_MAX_ATTEMPTS", 60, minimum=1)
EGOV_NATIONAL_BATCH_SIZE = env_int("EGOV_NATIONAL_BATCH_SIZE", 200, minimum=1)
# The unit that receives dossiers submitted on the national portal when their MaDonVi is not
# one of our unit codes (a unit key, e.g. qn.ttpvhcc); empty: such a dossier is not taken.
EGOV_NATIONAL_DEFAULT_UNIT = env_str("EGOV_NATIONAL_DEFAULT_UNIT", "")

# --- Logging: no personal data is ever logged; audit events go to the audit table ------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("EGOV_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # pyHanko names certificate subjects (people's names) in its info and warning lines;
        # signature verdicts are returned to the caller, not logged.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}


# --- Content-Security-Policy (django-csp) -----------------------------------------------------
# Only our own scripts and styles: no inline script or style anywhere (templates keep scripts
# and styles in static files; htmx's injected indicator style is off, see base.html). Forms
# may also lead to the payment gateway and the national SSO (redirects after a POST count).
def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


_form_targets = [
    origin for origin in (_origin(EGOV_VNPAY_PAY_URL), _origin(EGOV_SSO_SERVER_URL)) if origin
]
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *sorted(set(_form_targets))],
    }
}

# --- API keys -----------------------------------------------------------------------------
# Lifetime of a new or rotated API key (manage.py api_client create/rotate --days overrides).
EGOV_API_KEY_LIFETIME_DAYS = env_int("EGOV_API_KEY_LIFETIME_DAYS", 365, minimum=1)
# Requests per minute per API client unless the client has its own limit (docs/integration.md).
EGOV_API_CLIENT_RATE_PER_MINUTE = env_int("EGOV_API_CLIENT_RATE_PER_MINUTE", 600, minimum=1)
# How long the first answer to a write sent with an Idempotency-Key is kept for its retries.
EGOV_IDEMPOTENCY_KEY_HOURS = env_int("EGOV_IDEMPOTENCY_KEY_HOURS", 24, minimum=1)
# The dossier changes feed (GET /api/v1/staff/dossiers/changes) lists an event only once it is
# this many seconds old, so that a transaction still committing a smaller event id is not
# skipped by a partner's cursor (docs/api-conventions.md).
EGOV_CHANGES_SETTLE_SECONDS = env_int("EGOV_CHANGES_SETTLE_SECONDS", 5, minimum=0)

# --- Reports (egov.reports) ----------------------------------------------------------------
# Periods of the periodic reports: "cutoff" = NĐ 09/2019/NĐ-CP Điều 12 (15th to 14th; not
# confirmed for TT 01/2020/TT-VPCP's forms, reports-and-indicators §2.3), "calendar" = calendar
# months and quarters as the national portal's service index counts them (egov.reports.periods).
EGOV_REPORT_PERIODS = env_choice("EGOV_REPORT_PERIODS", "cutoff", {"cutoff", "calendar"})
# The unit a dossier counts in on Biểu 06 and the service index (TT 01/2020/TT-VPCP: "cơ
# quan, đơn vị trực tiếp giải quyết TTHC"): "handling" = the unit the dossier was handed to,
# the receiving desk while it has not been handed off; "receiving" = the desk that received it
# (the form's variant kept "tại Trung tâm Phục vụ hành chính công"). Unconfirmed which one the
# province reports.
EGOV_REPORT_UNIT_BASIS = env_choice("EGOV_REPORT_UNIT_BASIS", "handling", {"handling", "receiving"})
# The public statistics page (/thong-ke/) is computed at most once per this many seconds and
# kept in the shared cache (EGOV_CACHE_URL), so visitors never make the dossier table work.
EGOV_PUBLIC_STATISTICS_SECONDS = env_int("EGOV_PUBLIC_STATISTICS_SECONDS", 600, minimum=1)

# --- Apology (Mẫu 04) ----------------------------------------------------------------------
# Mẫu 04 (xin lỗi và hẹn lại): NĐ 61/2018 Điều 19.9 allows the new date once but sets no
# maximum; this bound (calendar days after the current due date) is our own safeguard.
EGOV_APOLOGY_MAX_EXTENSION_DAYS = env_int("EGOV_APOLOGY_MAX_EXTENSION_DAYS", 90, minimum=1)

# --- Printed one-stop forms (Mẫu 01–06; egov.dossiers.printing) ----------------------------
# What the QR code of the receipt (Mẫu 01) carries: a template of the fields listed in
# docs/operations.md. The default opens the public lookup and carries the dossier code and the
# procedure code; TT 01/2023/TT-VPCP is reported to ask for more (chưa đối chiếu).
EGOV_RECEIPT_QR = env_str("EGOV_RECEIPT_QR", "{lookup_url}&tthc={procedure_code}")
# The day from which forms print with the TT 03/2025/TT-VPCP numbering (reported, chưa đối
# chiếu; its day of effect not known): empty keeps TT 01/2018/TT-VPCP.
EGOV_FORMS_TT03_2025_FROM = env_date("EGOV_FORMS_TT03_2025_FROM")
# Place names (địa danh) of the forms' date line per unit key, "qn.ttpvhcc=Hạ Long,…";
# a unit not listed prints the name of the area it serves.
EGOV_FORM_PLACE_NAMES = {
    key.strip(): name.strip()
    for key, name in (
        item.split("=", 1) for item in env_list("EGOV_FORM_PLACE_NAMES", []) if "=" in item
    )
}

# --- Digital signatures (PAdES, egov.signing; docs/signing.md) ------------------------------
# Development PKI (root, intermediate, TSA, OCSP, signers) generated here on first use outside
# production; never committed. `manage.py dev_pki` generates it ahead of time.
EGOV_PKI_DIR = env_str("EGOV_PKI_DIR", str(VAR_DIR / "pki"))
# Passphrase of PKCS#12 files (agency keys, and the development PKI's keys).
EGOV_SIGNING_PKCS12_PASSPHRASE = env_secret(
    "EGOV_SIGNING_PKCS12_PASSPHRASE", "" if IS_PRODUCTION else "egov-dev-pki"
)
# Trust anchors (PEM/DER files, comma-separated) and extra intermediates; empty outside
# production = the development PKI. The OS trust store is never used.
EGOV_SIGNING_TRUST_ROOTS = env_list("EGOV_SIGNING_TRUST_ROOTS", [])
EGOV_SIGNING_INTERMEDIATES = env_list("EGOV_SIGNING_INTERMEDIATES", [])
# RFC 3161 time-stamping authority (a licensed TSA, NĐ 23/2025/NĐ-CP); empty outside production
# = the development PKI's loopback TSA.
EGOV_SIGNING_TSA_URL = env_str("EGOV_SIGNING_TSA_URL", "")
# Symbol of the register of certified copies printed after the number ("15/2026/SCT/BS"):
# NĐ 23/2015/NĐ-CP and its forms fix the register, the printed symbol is chưa xác nhận.
EGOV_CERTIFICATION_SYMBOL = env_str("EGOV_CERTIFICATION_SYMBOL", "SCT/BS")
# Phản ánh, kiến nghị (egov.feedback, docs/feedback.md). Working days per step, counted on the
# support centre's calendar; the defaults are the limits the national PAKN system scores for
# QĐ 766/QĐ-TTg indicator 5.2 (observed on the portal; chưa xác nhận against the text of
# NĐ 20/2008/NĐ-CP as amended by NĐ 92/2017/NĐ-CP).
EGOV_FEEDBACK_REFUSE_DAYS = env_int("EGOV_FEEDBACK_REFUSE_DAYS", 2, minimum=1)
EGOV_FEEDBACK_INFO_REQUEST_DAYS = env_int("EGOV_FEEDBACK_INFO_REQUEST_DAYS", 5, minimum=1)
EGOV_FEEDBACK_ANSWER_DAYS = env_int("EGOV_FEEDBACK_ANSWER_DAYS", 15, minimum=1)
EGOV_FEEDBACK_PUBLISH_DAYS = env_int("EGOV_FEEDBACK_PUBLISH_DAYS", 2, minimum=1)
# Days after the answer during which the submitter may send a follow-up from the tracking
# page (a new feedback linked to the answered one; a local choice, chưa xác nhận).
EGOV_FEEDBACK_FOLLOW_UP_DAYS = env_int("EGOV_FEEDBACK_FOLLOW_UP_DAYS", 30, minimum=1)
# The support centre that receives feedback from the portal and by e-mail: a unit code or data
# key ("": the first service centre in force).
EGOV_FEEDBACK_CENTRE = env_str("EGOV_FEEDBACK_CENTRE", "")
# The support centre's mailbox read by `manage.py feedback_read_mailbox`.
EGOV_FEEDBACK_MAILBOX = env_str("EGOV_FEEDBACK_MAILBOX", "phananh@dichvucong.example.vn")
# Portal submissions per client address and hour (anti-abuse; no captcha).
EGOV_FEEDBACK_RATE_PER_HOUR = env_int("EGOV_FEEDBACK_RATE_PER_HOUR", 5, minimum=1)
# Tracking-page look-ups (code + secret) per client address and minute.
EGOV_FEEDBACK_TRACK_RATE_PER_MINUTE = env_int("EGOV_FEEDBACK_TRACK_RATE_PER_MINUTE", 20, minimum=1)
# Verification may fetch OCSP/CRL over the network for signatures that carry no revocation data
# (off: only the data embedded in the PDF counts, so a verdict does not depend on the network).
EGOV_SIGNING_FETCH_REVOCATION = env_bool("EGOV_SIGNING_FETCH_REVOCATION", False)
# Fetched OCSP responses and CRLs are used again for this many seconds (never past their own
# nextUpdate): a revocation is seen at most this late. 0 fetches them for every signature.
EGOV_SIGNING_REVOCATION_CACHE_SECONDS = env_int(
    "EGOV_SIGNING_REVOCATION_CACHE_SECONDS", 60, minimum=0
)
# Largest PDF whose signatures are verified (MB): at least what an upload may be.
EGOV_SIGNING_VERIFY_MAX_MB = env_int(
    "EGOV_SIGNING_VERIFY_MAX_MB", max(30, EGOV_UPLOAD_MAX_MB), minimum=1
)
# Agency keys: <dir>/<unit code>.p12, or a PKCS#11 token whose key labels are unit codes.
EGOV_SIGNING_AGENCY_KEYS_DIR = env_str("EGOV_SIGNING_AGENCY_KEYS_DIR", "")
EGOV_SIGNING_PKCS11_MODULE = env_str("EGOV_SIGNING_PKCS11_MODULE", "")
EGOV_SIGNING_PKCS11_TOKEN = env_str("EGOV_SIGNING_PKCS11_TOKEN", "")
EGOV_SIGNING_PKCS11_PIN = env_secret("EGOV_SIGNING_PKCS11_PIN", "")

# --- Inter-agency document exchange (edXML, QCVN 102:2016/BTTTT; egov.exchange, docs/exchange.md)
# Roots (and intermediates) an incoming package's XML signature must chain to: PEM/DER files,
# comma-separated; empty = the EGOV_SIGNING_TRUST_ROOTS of PDF signatures.
EGOV_EXCHANGE_TRUST_ROOTS = env_list("EGOV_EXCHANGE_TRUST_ROOTS", [])
EGOV_EXCHANGE_INTERMEDIATES = env_list("EGOV_EXCHANGE_INTERMEDIATES", [])
# Code lists of packages (business types, statuses, priority; chưa xác nhận against the QCVN
# text): a JSON file like src/egov/exchange/data/codes.json; empty = that shipped file.
EGOV_EXCHANGE_CODES_FILE = env_str("EGOV_EXCHANGE_CODES_FILE", "")
# Largest package accepted (MB, base64 attachments included).
EGOV_EXCHANGE_PACKAGE_MAX_MB = env_int("EGOV_EXCHANGE_PACKAGE_MAX_MB", 60, minimum=1)

# Văn bản đến: a reminder goes to each handler this many working hours before the deadline
# (one overdue notice after it). Local choice, not a legal rule (chưa xác nhận): NĐ 30/2020
# sets no reminder interval.
EGOV_DOCUMENT_REMINDER_WORKING_HOURS = env_int("EGOV_DOCUMENT_REMINDER_WORKING_HOURS", 8, minimum=1)
# Electronic copies (NĐ 30/2020/NĐ-CP, Điều 25). Sao y and sao lục into electronic form are
# listed from paper only (Điều 25.1.c, 25.2.a); whether an electronic original may be
# copied as an electronic sao y / sao lục is chưa xác nhận — allowed unless set to false
# (then only a digitised paper document is copied that way; trích sao is never limited).
EGOV_DOCUMENT_COPY_FROM_ELECTRONIC = env_bool("EGOV_DOCUMENT_COPY_FROM_ELECTRONIC", True)
# The agency's text stamp on a copy (Phụ lục I, Phần II.I.3: form, agency, time) also shows
# the copy's own số, ký hiệu, a required element of a copy with no other place in the
# electronic file (chưa xác nhận); false leaves the stamp at the three lines of the decree.
EGOV_DOCUMENT_COPY_STAMP_NUMBER = env_bool("EGOV_DOCUMENT_COPY_STAMP_NUMBER", True)
# Public verification of signed PDFs (/xac-thuc-van-ban/, POST /api/v1/signatures/verify):
# files verified per client address and minute, page and API together.
EGOV_SIGNATURE_VERIFY_RATE_PER_MINUTE = env_int(
    "EGOV_SIGNATURE_VERIFY_RATE_PER_MINUTE", 20, minimum=1
)
# Receipts (Mẫu 01) carry the desk's agency signature (text stamp) where the province enables it.
EGOV_SIGN_RECEIPTS = env_bool("EGOV_SIGN_RECEIPTS", False)

# --- Inter-agency document exchange (egov.exchange, docs/exchange.md) --------------------
# The document axis (Trục liên thông văn bản quốc gia): its URL (empty: exchange off), the
# organ code this deployment connects as (its agencies' codes are served through it, as a
# provincial LGSP does) and that code's secret. The real axis's wire protocol is chưa xác nhận:
# this is the protocol of egov.contrib.axis (python -m egov.contrib.axis).
EGOV_AXIS_URL = env_str("EGOV_AXIS_URL", "")
EGOV_AXIS_ORGAN_ID = env_str("EGOV_AXIS_ORGAN_ID", "")
EGOV_AXIS_SECRET = env_secret("EGOV_AXIS_SECRET", "")
EGOV_AXIS_TIMEOUT_SECONDS = env_int("EGOV_AXIS_TIMEOUT_SECONDS", 10, minimum=1)
# How often the pending list is polled (implementations seen poll every few minutes).
EGOV_AXIS_POLL_SECONDS = env_int("EGOV_AXIS_POLL_SECONDS", 120, minimum=5)

# --- Event subscriptions for partner systems (egov.webhooks, docs/webhooks.md) -----------
# CloudEvents ``type`` = <prefix>.<catalogue type>, e.g. vn.gov.quangninh.egov.dossier.received;
# ``source`` = <source>/<dossiers|documents>. A local naming choice (no national convention
# for event type names is known — chưa xác nhận).
EGOV_WEBHOOKS_TYPE_PREFIX = env_str("EGOV_WEBHOOKS_TYPE_PREFIX", "vn.gov.quangninh.egov")
EGOV_WEBHOOKS_SOURCE = env_str("EGOV_WEBHOOKS_SOURCE", "urn:vn:gov:quangninh:egov")
# A 2xx answer within this many seconds counts as delivered.
EGOV_WEBHOOKS_TIMEOUT_SECONDS = env_int("EGOV_WEBHOOKS_TIMEOUT_SECONDS", 15, minimum=1)
# Pause a subscription whose every attempt failed for this many hours, or whose last
# deliveries in a row went to the dead-letter list.
EGOV_WEBHOOKS_PAUSE_AFTER_FAILING_HOURS = env_int(
    "EGOV_WEBHOOKS_PAUSE_AFTER_FAILING_HOURS", 24, minimum=1
)
EGOV_WEBHOOKS_PAUSE_AFTER_DEAD = env_int("EGOV_WEBHOOKS_PAUSE_AFTER_DEAD", 3, minimum=1)
# After a secret rotation, deliveries are signed with the old secret too for this many hours.
EGOV_WEBHOOKS_ROTATION_OVERLAP_HOURS = env_int(
    "EGOV_WEBHOOKS_ROTATION_OVERLAP_HOURS", 24, minimum=0
)
# Deliveries sent in parallel by one worker run (different partners do not wait for each other).
EGOV_WEBHOOKS_CONCURRENCY = env_int("EGOV_WEBHOOKS_CONCURRENCY", 8, minimum=1)
# http:// callback URLs on loopback (127.0.0.1, ::1, localhost) are allowed only with DEBUG or
# this switch (tests, the benchmark); everything else needs https://.
EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP = env_bool("EGOV_WEBHOOKS_ALLOW_LOOPBACK_HTTP", DEBUG)
