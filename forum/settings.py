"""Settings for Reformforum.

Everything that differs between a laptop and production comes from environment
variables; the defaults are safe for development (SQLite file, console e-mail).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# ======================================================================================
# Applications and how a request is handled
# ======================================================================================

INSTALLED_APPS = [
    "accounts",
    "directory",
    "topics",
    "ops",
    "notifications",
    "followup",
    "conversations",
    "search",
    "insight",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "taggit",
    "django_tasks_db",
    "ninja",
    "api",
]
# /bench/ceiling/ and friends, for the throughput benchmark only (bench/throughput_bench.py).
FORUM_BENCH_VIEWS = env_bool("FORUM_BENCH_VIEWS", False)
# The benchmarks' data generator (bench/: `manage.py generate_load_data`): a development tool,
# never installed in production.
if DEBUG or FORUM_BENCH_VIEWS:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forum.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "forum.middleware.RefuseNulMiddleware",
    "accounts.middleware.SuspendedMemberMiddleware",
    "accounts.middleware.ModeratorTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ops.middleware.DatabaseUnavailableMiddleware",
    # Signed-out pages served whole from the shared cache (FORUM_PAGE_CACHE_SECONDS below).
    "forum.middleware.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "forum.urls"
FORM_RENDERER = "forum.forms.ForumFormRenderer"
WSGI_APPLICATION = "forum.wsgi.application"
ASGI_APPLICATION = "forum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
                "forum.context_processors.fragment_generation",
                "notifications.context_processors.unread_notifications",
                "conversations.context_processors.unread_conversations",
            ],
        },
    },
]

# ======================================================================================
# Data: the database, caches and sessions
# ======================================================================================

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
    # One writer at a time on SQLite; wait instead of failing when two requests overlap.
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
elif (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DJANGO_DB_PREPARED_STATEMENTS", "1") == "1"
):
    # Parameters bound on the server, and psycopg prepares a statement once it has run
    # five times on a connection (Django turns that off by default): the list and topic
    # queries join six tables and took longer to plan (about 2 ms) than to run. Off with
    # DJANGO_DB_PREPARED_STATEMENTS=0 (behind a transaction-pooling PgBouncer that does not
    # keep prepared statements).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    cost := os.environ.get("DJANGO_DB_RANDOM_PAGE_COST", "1.1")
):
    # The planner's price of a random page read. PostgreSQL's default (4) is for spinning
    # disks; with the forum's tables in memory or on SSD it made the planner hash all 100,000
    # topics for a visibility check where looking up 3,000 by key is four times faster (the
    # search page: 42 -> 11 ms). 1.1 is the usual SSD value; set DJANGO_DB_RANDOM_PAGE_COST=""
    # to keep the server's own setting.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={cost}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "reformforum",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered pieces of pages (`{% cache %}` in the templates), kept in each process's memory:
# a topic list asks for sixty of them, too many round trips for Redis. Each is keyed by
# everything it shows (bylines, topic rows) or by the version of `site` (forum/page_cache.py),
# which lives in the shared cache and which every directory write moves (the county matrix).
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
if not env_bool("FORUM_FRAGMENT_CACHE", True):
    # FORUM_FRAGMENT_CACHE=0: no fragment is kept, every page renders all of its pieces (and
    # the empty reply form) each time: the "cold" figures of bench/mixed_load.py --cpu.
    CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# ======================================================================================
# Files: static files, uploads and their limits
# ======================================================================================

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Without collectstatic (development and tests) whitenoise serves from the app folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Hostile input: anything bigger than this (an upload or a 10 MB body) is refused with a
# clear page before it is read; a post is at most POST_MAX_LENGTH characters anyway.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Uploaded files. Never served by URL from this folder (no MEDIA_URL): topics.attachments.views
# and the avatar view check who may see them first. Set ATTACHMENT_S3_BUCKET (and install
# django-storages[s3]) to keep them in
# any S3-compatible store instead of this folder.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
if bucket := os.environ.get("ATTACHMENT_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("ATTACHMENT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ATTACHMENT_S3_REGION") or None,
            "access_key": os.environ.get("ATTACHMENT_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("ATTACHMENT_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
del bucket
ATTACHMENT_MAX_FILE_BYTES = int(os.environ.get("ATTACHMENT_MAX_FILE_BYTES", 10 * 1024 * 1024))
ATTACHMENT_MAX_POST_BYTES = int(os.environ.get("ATTACHMENT_MAX_POST_BYTES", 25 * 1024 * 1024))
ATTACHMENT_MAX_FILES_PER_POST = 10
# A file pasted into a text that was never sent is removed after this long (and a member's
# drafts together may hold what one post may: ATTACHMENT_MAX_FILES_PER_POST, _POST_BYTES).
ATTACHMENT_DRAFT_MAX_AGE = timedelta(days=1)
# A ZIP (or Office file) whose entries declare more than this when unpacked is refused.
ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ATTACHMENT_ZIP_MAX_ENTRIES = 5000
# Members' pictures (accounts/avatars.py): the upload's size, and its size once decoded.
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000

# ======================================================================================
# Security: HTTPS, headers, the Content Security Policy, the client's address
# ======================================================================================

# Security. The production values apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer's health probe speaks plain HTTP to the app server: a redirect is no
    # answer. Only the exact path; /healthz/ and everything else still go to HTTPS.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust none); the
# client's address is that many hops from the right (forum.ratelimit.client_ip).
FORUM_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", 0))
for _gone in ("DJANGO_CLIENT_IP_HEADER", "API_TRUSTED_PROXY_COUNT"):
    if os.environ.get(_gone):
        raise RuntimeError(f"{_gone} is no longer read: set DJANGO_TRUSTED_PROXY_COUNT instead.")

# ======================================================================================
# Accounts and sign-in: passwords, allauth, two-factor, the organisation's sign-in
# ======================================================================================

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.ForumAuthenticationBackend"]
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "topics:index"

# django-allauth: e-mail is the identity; verification is required before posting.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Reformforum] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

ACCOUNT_RATE_LIMITS = {
    "signup": "5/m/ip,20/h/ip",
    "login": "20/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# Two-factor sign-in (allauth.mfa): an app code (TOTP), security keys and passkeys (WebAuthn),
# and recovery codes. Moderators and staff must have one before the moderator tools and the
# admin open (accounts.middleware.ModeratorTwoFactorMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Reformforum"
MFA_FORMS = {"add_webauthn": "accounts.forms.AddWebAuthnForm"}
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs a secure context; http://127.0.0.1 in development and the tests' live server.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sign-in with the member's organisation (OpenID Connect through allauth.socialaccount). Each
# provider is on when its client id is set; the secrets come only from the environment.
# Microsoft Entra ID, multi-tenant: the tenant in the ID token (`tid`) is matched against the
# tenants moderators record on organisations. ID-porten/Ansattporten (Digdir): the
# organisation number in the claims (ORG_NUMBER_CLAIM, or Ansattporten's
# authorization_details reportees) is matched against organisation numbers. PKCE and a nonce
# always; the ID token's signature is always checked against the provider's keys.
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an e-mail that has an account is never taken over
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
SSO_PROVIDERS = []
if client_id := os.environ.get("SSO_ENTRA_CLIENT_ID", ""):
    SSO_PROVIDERS.append(
        {
            "provider_id": "entra",
            "name": "Microsoft",
            "client_id": client_id,
            "secret": os.environ.get("SSO_ENTRA_CLIENT_SECRET", ""),
            "settings": {
                "server_url": os.environ.get(
                    "SSO_ENTRA_SERVER_URL", "https://login.microsoftonline.com/organizations/v2.0"
                ),
                "organisation_from": "tenant",
                "fetch_userinfo": False,
                "oauth_pkce_enabled": True,
            },
        }
    )
if client_id := os.environ.get("SSO_IDPORTEN_CLIENT_ID", ""):
    SSO_PROVIDERS.append(
        {
            "provider_id": "idporten",
            "name": "ID-porten",
            "client_id": client_id,
            "secret": os.environ.get("SSO_IDPORTEN_CLIENT_SECRET", ""),
            "settings": {
                "server_url": os.environ.get("SSO_IDPORTEN_SERVER_URL", "https://ansattporten.no"),
                "organisation_from": "org_number",
                "org_number_claim": os.environ.get("SSO_IDPORTEN_ORG_NUMBER_CLAIM", "orgno"),
                "scope": env_list("SSO_IDPORTEN_SCOPE", "openid,profile"),
                "fetch_userinfo": False,
                "oauth_pkce_enabled": True,
                "token_auth_method": os.environ.get(
                    "SSO_IDPORTEN_TOKEN_AUTH_METHOD", "client_secret_post"
                ),
            },
        }
    )
del client_id


def _sign_in_origins(server_url: str) -> list[str]:
    """Where the browser is sent to sign in. Digdir's authorisation endpoints are on a login.
    host beside the issuer (ansattporten.no -> login.ansattporten.no)."""
    scheme, _sep, rest = server_url.partition("://")
    host = rest.split("/", 1)[0]
    origins = [f"{scheme}://{host}"]
    if host.endswith(("idporten.no", "ansattporten.no")) and not host.startswith("login."):
        origins.append(f"{scheme}://login.{host}")
    return origins


# The sign-in button posts to the forum, which redirects to the provider: the Content Security
# Policy's form-action covers that redirect, so each provider's origin is allowed there.
SECURE_CSP["form-action"] += [
    origin
    for app in SSO_PROVIDERS
    for origin in _sign_in_origins(app["settings"]["server_url"])
    + env_list(f"SSO_{app['provider_id'].upper()}_FORM_ACTION_ORIGINS")
]
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "accounts.sso.OrganisationOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": SSO_PROVIDERS,
    }
}

# ======================================================================================
# E-mail and background work
# ======================================================================================

# E-mail (Django 6.1 mailers): the console in development; SMTP in production, to
# EMAIL_HOST (or the local mail relay on port 25 when it is unset).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": int(os.environ.get("EMAIL_PORT", "587" if EMAIL_HOST else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST)),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "forum.mail.ReadableConsoleBackend"}}
if EMAIL_FILE_PATH := os.environ.get("EMAIL_FILE_PATH", ""):
    # Each message as a file in this folder: for staging servers and the scale-out test.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": EMAIL_FILE_PATH},
        }
    }
del EMAIL_HOST, EMAIL_FILE_PATH
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Reformforum <ikke-svar@reformforum.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework with the database-backed worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# ======================================================================================
# Language and time
# ======================================================================================

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Each language's own date and number formats (forum/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["forum.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# ======================================================================================
# Logs
# ======================================================================================

# Logs: one JSON object per line in production (DJANGO_LOG_FORMAT=json), plain text otherwise.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else None,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log replaces Django's own lines for 4xx/5xx and runserver's access log.
        "django.server": {"level": "WARNING"},
        "forum.requests": {"level": "INFO"},
    },
}

# ======================================================================================
# The forum's own rules: pages, limits, caching of signed-out pages, the API
# ======================================================================================

# Forum settings.
SITE_NAME = "Reformforum"
MODERATOR_GROUP = "Moderatorer"
# The organisation that runs the forum (the workshop topics' author). Belonging to it gives
# no role: only a superuser makes moderators.
HOST_ORGANISATION_SLUG = "kartverket"
TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 20
POST_MAX_LENGTH = 50_000
TITLE_MAX_LENGTH = 200
# Absolute links in e-mails (notifications, digests, unsubscribe) start here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Hold the first posts of members without a verified organisation for a moderator's approval.
FORUM_APPROVE_FIRST_POSTS_OF_UNVERIFIED = env_bool("FORUM_APPROVE_FIRST_POSTS", True)
# Reports from this many different verified members hide a post until a moderator decides.
FORUM_REPORTS_TO_HIDE = 3

# Pages that views declare public are cached whole for signed-out visitors, per scheme, host,
# address and language, and made stale by the writes that change what they show
# (forum/page_cache.py, forum.middleware.PublicPageCacheMiddleware). It needs a cache every
# worker shares, so it is on by default only with Redis.
FORUM_PAGE_CACHE_SECONDS = int(
    os.environ.get("FORUM_PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0")
)

# Abuse: per member (or per IP when signed out), counted in the shared cache.
FORUM_RATE_LIMITS = {
    "post": os.environ.get("FORUM_RATE_LIMIT_POST", "10/m"),
    "report": os.environ.get("FORUM_RATE_LIMIT_REPORT", "10/m"),
    "search": os.environ.get("FORUM_RATE_LIMIT_SEARCH", "30/m"),
    "preview": os.environ.get("FORUM_RATE_LIMIT_PREVIEW", "30/m"),
    "upload": os.environ.get("FORUM_RATE_LIMIT_UPLOAD", "20/m"),
    # Autosaved drafts (static/js/drafts.js saves at most every 3 s per form).
    "draft": os.environ.get("FORUM_RATE_LIMIT_DRAFT", "60/m"),
    "export": "5/h",
    "avatar": "20/h",
    # New private conversations: members not yet verified are the likelier spammers.
    "conversation": os.environ.get("FORUM_RATE_LIMIT_CONVERSATION", "20/h"),
    "conversation_unverified": os.environ.get("FORUM_RATE_LIMIT_CONVERSATION_UNVERIFIED", "3/h"),
}

# The open API: requests per minute, per personal token or per address when signed out.
API_RATE_LIMIT_ANONYMOUS = int(os.environ.get("API_RATE_LIMIT_ANONYMOUS", 60))
API_RATE_LIMIT_TOKEN = int(os.environ.get("API_RATE_LIMIT_TOKEN", 300))
# The largest body a write through the API may send (a post is at most POST_MAX_LENGTH
# characters, six bytes each at worst when JSON-escaped, plus the rest); larger is a 413.
API_MAX_BODY_BYTES = 512 * 1024
# How long an Idempotency-Key's first answer is kept and given again (seconds).
API_IDEMPOTENCY_SECONDS = 24 * 3600
API_PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 100

# Webhooks (api/webhooks.py): how long a receiver may take to answer, how often a delivery
# is tried (and after how many failures in a row an endpoint is switched off), the first
# retry's wait (doubled each time). Private and loopback addresses (and http://) only where
# a test runs its own receiver.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", 5))
WEBHOOK_MAX_FAILURES = 8
WEBHOOK_RETRY_BASE_SECONDS = 30
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
