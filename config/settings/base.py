"""Settings for every environment, read from the process environment through one `env` object.

Defaults serve local development: SQLite file, console email, local-memory cache, DEBUG on.
`config.settings.production` tightens them and fails closed.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-only-insecure-secret-key-change-me-0123456789abcdef"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "storeapi",
    "catalog",
    "accounts",
    "customers",
    "orders",
    "payments",
    "wishlists",
    "outbox",
]

MIDDLEWARE = [
    "storeapi.middleware.RequestIdMiddleware",
    "storeapi.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "storeapi.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A browser signed in through the pages holds an AuthSession (accounts/browser_sessions.py).
    "accounts.browser_sessions.BrowserSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "orders.middleware.CartTokenMiddleware",
    "storeapi.middleware.ApiExceptionMiddleware",
    "storeapi.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend with a health check that polls the socket instead of a round trip.
    DATABASES["default"]["ENGINE"] = "storeapi.postgresql"
    # storeapi/sql.py's fixed statements are prepared once per connection (off behind a
    # transaction-mode pooler older than PgBouncer 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepared_statements"] = env.bool(
        "DB_PREPARED_STATEMENTS", default=True
    )
    # No statement waits longer than this for a row or table lock: a request stuck behind
    # another one's lock fails (409 on a cart, 503 elsewhere) instead of hanging until the
    # worker is killed. Set per connection, so a transaction needs no SET of its own. "0" lifts
    # it (e.g. for a migration that must queue behind long transactions).
    DATABASES["default"]["OPTIONS"]["lock_timeout"] = env.str("DB_LOCK_TIMEOUT", default="5s")
# A change to a cart's contents (items, addresses, delivery, a Check payment) commits without
# waiting for PostgreSQL's WAL flush; completions, balances and accounts always wait
# (orders.selectors.order_get `draft`).
CART_DRAFT_ASYNC_COMMIT = env.bool("CART_DRAFT_ASYNC_COMMIT", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.str("REDIS_URL", default=""):
    CACHES = {"default": env.cache_url_config(env.str("REDIS_URL"))}
    # Redis down must not take the API down: reads miss, rate limits fail open (logged),
    # and no request waits more than half a second on it.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True}
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "storeapi.cache"
else:
    CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}


def _mailer_from_url(config: dict) -> dict:
    """django-environ's EMAIL_URL (consolemail://, filemail://path, smtp://...) -> MAILERS entry."""
    options = {
        "host": config.get("EMAIL_HOST"),
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER"),
        "password": config.get("EMAIL_HOST_PASSWORD"),
        "use_tls": config.get("EMAIL_USE_TLS"),
        "use_ssl": config.get("EMAIL_USE_SSL"),
        "file_path": config.get("EMAIL_FILE_PATH") or None,
    }
    if config["EMAIL_BACKEND"].endswith("filebased.EmailBackend") and options["file_path"]:
        options["file_path"] = "/" + options["file_path"].lstrip("/")
    return {
        "BACKEND": config["EMAIL_BACKEND"],
        "OPTIONS": {key: value for key, value in options.items() if value not in (None, "")},
    }


MAILERS = {"default": _mailer_from_url(env.email_url("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Shop <no-reply@shop.example>")
# Emails are queued in the outbox (outbox app). On: a worker sends them (`manage.py
# send_outbox`, started by scripts/run-prod). Off: the process sends each right after commit.
EMAIL_OUTBOX_WORKER = env.bool("EMAIL_OUTBOX_WORKER", default=False)

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email",)},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
if env.bool("PASSWORD_CHECK_COMMON", default=False):
    AUTH_PASSWORD_VALIDATORS.append(
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"}
    )

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development and tests serve straight from the app folders; production collects into
# STATIC_ROOT (config.settings.production) and serves hashed, compressed files.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/account/sign-in/"
LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/"

# --- Store API ---------------------------------------------------------------------------
STORE_NAME = env.str("STORE_NAME", default="Demo Shop")
STORE_CURRENCY = env.str("STORE_CURRENCY", default="USD")
STORE_LOCALE = env.str("STORE_LOCALE", default="en")
# Base URL of the storefront pages; password-reset links point here.
STOREFRONT_URL = env.str("STOREFRONT_URL", default="http://127.0.0.1:8000")
# How many reverse proxies append to X-Forwarded-For in front of the app (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
API_MAX_REQUEST_BODY_BYTES = env.int("API_MAX_REQUEST_BODY_BYTES", default=100 * 1024)
IDEMPOTENCY_TTL = timedelta(hours=24)
# The shop's settings (payment and delivery methods, zones, tax rates, stock locations,
# countries) are kept this long in each process (storeapi/settings_cache.py; 0: not kept). A
# staff change shows at once in the process that made it, in the others within this time.
SHOP_SETTINGS_CACHE_SECONDS = env.float("SHOP_SETTINGS_CACHE_SECONDS", default=5.0)

RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# scope -> (requests, window seconds)
RATE_LIMITS = {
    "api": (env.int("RATE_LIMIT_PER_KEY", default=300), 60),
    "login": (env.int("RATE_LIMIT_LOGIN", default=5), 60),
    "refresh": (env.int("RATE_LIMIT_REFRESH", default=10), 60),
    "logout": (env.int("RATE_LIMIT_LOGOUT", default=10), 60),
    "register": (env.int("RATE_LIMIT_REGISTER", default=3), 60),
    "password_reset": (env.int("RATE_LIMIT_PASSWORD_RESET", default=3), 60),
}

LOGIN_LOCKOUT_THRESHOLD = env.int("LOGIN_LOCKOUT_THRESHOLD", default=5)
LOGIN_LOCKOUT_DURATION = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))

ACCESS_TOKEN_LIFETIME = timedelta(seconds=env.int("ACCESS_TOKEN_LIFETIME_SECONDS", default=900))
REFRESH_TOKEN_SLIDING_LIFETIME = timedelta(days=env.int("REFRESH_TOKEN_SLIDING_DAYS", default=30))
SESSION_ABSOLUTE_LIFETIME = timedelta(days=env.int("SESSION_ABSOLUTE_DAYS", default=90))
PASSWORD_RESET_TOKEN_LIFETIME = timedelta(minutes=env.int("PASSWORD_RESET_MINUTES", default=15))

JWT_SIGNING_KEY = env.str(
    "JWT_SIGNING_KEY", default="dev-only-insecure-jwt-signing-key-change-me-0123456789"
)

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "AUDIENCE": "store_api",
    "ISSUER": "spree",
    "LEEWAY": 0,
    "ACCESS_TOKEN_LIFETIME": ACCESS_TOKEN_LIFETIME,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "JTI_CLAIM": "jti",
    # Spree's tokens carry no token-type claim; ours are told apart by `user_type` and `aud`.
    "TOKEN_TYPE_CLAIM": None,
    "UPDATE_LAST_LOGIN": False,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.StoreJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "storeapi.negotiation.StoreContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["storeapi.parsers.StoreJSONParser"],
    "EXCEPTION_HANDLER": "storeapi.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Store API v3",
    "DESCRIPTION": (
        "Spree Store API v3 compatible customer-account and checkout API. "
        "Every route needs the publishable key in `X-Spree-Api-Key`."
    ),
    "VERSION": "3.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiKey": {"type": "apiKey", "in": "header", "name": "X-Spree-Api-Key"},
            "BearerJWT": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        }
    },
    "SECURITY": [{"ApiKey": []}],
}

# --- CORS (django-cors-headers), only for the API ----------------------------------------
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_HEADERS = [
    "accept",
    "content-type",
    "authorization",
    "x-spree-api-key",
    "x-spree-token",
    "x-spree-order-token",
    "x-spree-locale",
    "x-spree-currency",
    "x-spree-country",
    "x-spree-channel",
    "idempotency-key",
    "x-request-id",
]
CORS_EXPOSE_HEADERS = [
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "Idempotent-Replayed",
    "X-Request-Id",
]
CORS_ALLOW_CREDENTIALS = False

# --- Security headers ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "storeapi.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "storeapi.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env.str("LOG_FORMAT", default="plain"),
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
ADDRESS_REQUIRES_PHONE = env.bool("ADDRESS_REQUIRES_PHONE", default=False)
GUEST_CHECKOUT_ENABLED = env.bool("GUEST_CHECKOUT_ENABLED", default=True)
