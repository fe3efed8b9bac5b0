"""ZhiBao settings, read only from environment variables (see docs/configuration.md).

Safe defaults: DEBUG off, SQLite under ``ZHIBAO_DATA_DIR``, uploads outside
static files, secure cookies when not in DEBUG. A secret key must be given
explicitly in production; for local development (DEBUG on) one is generated
into a git-ignored file on first run.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhibao.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("ZHIBAO_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()

DEBUG = env_bool("ZHIBAO_DEBUG", False)


def _secret_key() -> str:
    explicit = env_str("ZHIBAO_SECRET_KEY")
    if explicit:
        return explicit
    if not DEBUG:
        raise ImproperlyConfigured(
            "ZHIBAO_SECRET_KEY must be set when ZHIBAO_DEBUG is off "
            "(for local development set ZHIBAO_DEBUG=1 and a key is generated into var/secret_key)."
        )
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ZHIBAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ZHIBAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks_db",
    "zhibao.core",
    "zhibao.accounts",
    "zhibao.orgs",
    "zhibao.rights",
    "zhibao.legal",
    "zhibao.evidence",
    "zhibao.notifications",
    "zhibao.takedown",
    "zhibao.fairs",
    "zhibao.cases",
    "zhibao.monitoring",
    "zhibao.credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhibao.core.middleware.UploadSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhibao.accounts.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhibao.urls"
WSGI_APPLICATION = "zhibao.wsgi.application"

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
                "zhibao.core.context_processors.navigation",
                "zhibao.notifications.context_processors.unread",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "zhibao.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{_sqlite_path}",
        conn_max_age=env_int("ZHIBAO_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # journal_size_limit: the log file is cut back to 64 MiB when it restarts, instead of keeping the size of
        # the largest transaction ever written (a bulk import) for good
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
                        "PRAGMA journal_size_limit=67108864;",
        "transaction_mode": "IMMEDIATE",
    }
    _sqlite_path.parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("ZHIBAO_PG_PREPARED", True):
    # Parameters bound on the server and statements prepared after 5 runs: with client-side binding PostgreSQL
    # planned every statement anew, and planning was most of each hot query (token look-up: 0.96 ms planning,
    # 0.06 ms execution). Turn off (ZHIBAO_PG_PREPARED=0) behind a pooler in transaction mode (pgbouncer < 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
#: Web processes checkpoint SQLite's write-ahead log from a background thread this often (0: in the committing
#: request, SQLite's default); see zhibao.core.sqlite_checkpoint
ZHIBAO_SQLITE_CHECKPOINT_MS = env_int("ZHIBAO_SQLITE_CHECKPOINT_MS", 1000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "zhibao.accounts.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env_list(
    "ZHIBAO_PASSWORD_HASHERS",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("ZHIBAO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZHIBAO_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("ZHIBAO_LOGIN_THROTTLING", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ZHIBAO_STATIC_ROOT", str(DATA_DIR / "staticfiles")))
# Uploaded files (evidence, case documents): a local directory outside static files by default, or an
# S3-compatible object store (MinIO, Ceph, OSS/COS S3 endpoints) with ZHIBAO_STORAGE=s3. Objects are
# private: links are short-lived signed URLs, and names are never overwritten.
MEDIA_ROOT = str(Path(env_str("ZHIBAO_MEDIA_ROOT", str(DATA_DIR / "media"))))
ZHIBAO_STORAGE = env_str("ZHIBAO_STORAGE", "local")
if ZHIBAO_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"ZHIBAO_STORAGE must be 'local' or 's3', not {ZHIBAO_STORAGE!r}")
_default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
if ZHIBAO_STORAGE == "s3":
    if not env_str("ZHIBAO_S3_BUCKET"):
        raise ImproperlyConfigured("ZHIBAO_STORAGE=s3 needs ZHIBAO_S3_BUCKET")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("ZHIBAO_S3_BUCKET"),
            "endpoint_url": env_str("ZHIBAO_S3_ENDPOINT_URL") or None,
            "region_name": env_str("ZHIBAO_S3_REGION") or None,
            "access_key": env_str("ZHIBAO_S3_ACCESS_KEY") or None,
            "secret_key": env_str("ZHIBAO_S3_SECRET_KEY") or None,
            "location": env_str("ZHIBAO_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("ZHIBAO_S3_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("ZHIBAO_TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("ZHIBAO_TESTING", False)

# Uploads: a request body above this size is refused with 413 before it is read.
ZHIBAO_MAX_UPLOAD_BYTES = env_int("ZHIBAO_MAX_UPLOAD_MB", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = ZHIBAO_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

TASKS = {"default": {"BACKEND": env_str("ZHIBAO_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Outgoing mail (notification copies). Console by default; for SMTP set ZHIBAO_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and the ZHIBAO_SMTP_* variables.
_mail_backend = env_str("ZHIBAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_mail_options: dict = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("ZHIBAO_SMTP_HOST", "localhost"), "port": env_int("ZHIBAO_SMTP_PORT", 25),
        "username": env_str("ZHIBAO_SMTP_USER", ""), "password": env_str("ZHIBAO_SMTP_PASSWORD", ""),
        "use_tls": env_bool("ZHIBAO_SMTP_TLS", False), "timeout": env_int("ZHIBAO_SMTP_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("ZHIBAO_FROM_EMAIL", "noreply@zhibao.local")

# Security headers. HTTPS-only cookies unless DEBUG (local http://127.0.0.1).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("ZHIBAO_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("ZHIBAO_SECURE_COOKIES", not DEBUG and not env_bool("ZHIBAO_TESTING", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("ZHIBAO_HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env_bool("ZHIBAO_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ZHIBAO_BEHIND_PROXY") else None

ZHIBAO_PAGE_SIZE = env_int("ZHIBAO_PAGE_SIZE", 25)
# Where links in e-mails point (no trailing slash needed).
ZHIBAO_SITE_URL = env_str("ZHIBAO_SITE_URL", "http://127.0.0.1:8000")
ZHIBAO_API_PAGE_MAX = env_int("ZHIBAO_API_PAGE_MAX", 500)
ZHIBAO_DEMO_PASSWORD = env_str("ZHIBAO_DEMO_PASSWORD", "Zhibao@Demo2026")
ZHIBAO_IMPORT_MAX_ROWS = env_int("ZHIBAO_IMPORT_MAX_ROWS", 20000)
# Typed compensation references: a group of decided awards is shown only from this many cases.
ZHIBAO_REFERENCE_MIN_COUNT = env_int("ZHIBAO_REFERENCE_MIN_COUNT", 5)
# Agency credit checks: codes per token (or session user) per minute; beyond → 429 (per cache, see credit docs).
ZHIBAO_CREDIT_CHECK_RATE = env_int("ZHIBAO_CREDIT_CHECK_RATE", 6000)

# Evidence ledger (zhibao.ledger): the Merkle log, the checkpoint signer key, the embedded TSA's keys
# and the witness state all live under the data directory, never in git.
ZHIBAO_LEDGER_URL = env_str("ZHIBAO_LEDGER_URL", str(DATA_DIR / "ledger.sqlite3"))
ZHIBAO_LEDGER_NAME = env_str("ZHIBAO_LEDGER_NAME", "zhibao.beijing/evidence")
ZHIBAO_KEYS_DIR = Path(env_str("ZHIBAO_KEYS_DIR", str(DATA_DIR / "keys")))
ZHIBAO_TSA_URL = env_str("ZHIBAO_TSA_URL", "")  # empty: the embedded RFC 3161 TSA
ZHIBAO_CAPTURE_TIMEOUT_MS = env_int("ZHIBAO_CAPTURE_TIMEOUT_MS", 20000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIBAO_LOG_LEVEL", "WARNING")},
}
# Repeat sellers (takedown → credit): removals on this many separate notices, with the measures still in force,
# record an "ecommerce_repeat" credit fact for the seller's organisation (again at every further multiple).
ZHIBAO_TAKEDOWN_REPEAT_NOTICES = env_int("ZHIBAO_TAKEDOWN_REPEAT_NOTICES", 3)
