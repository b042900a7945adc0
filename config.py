"""Configuration classes, read from the environment at start-up.

Development works with no environment at all (SQLite in ``instance/``, mail written to files);
production refuses to start without a real secret key and database.
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env")


def env(name: str, default=None):
    """Read a variable, treating an empty value as unset (as ``.env.example`` leaves them)."""
    return os.environ.get(name) or default


INSTANCE_DIR = Path(env("LAB_INSTANCE_DIR", BASE_DIR / "instance"))
DEFAULT_SECRET_KEY = "dev-only-change-me"
ENV_EXAMPLE = BASE_DIR / ".env.example"
SECRET_KEY_MIN_BYTES = 32


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    """Read a comma-separated list."""
    return [item.strip() for item in env(name, "").split(",") if item.strip()]


def secret_key_problem(secret: str | None) -> str | None:
    """Say why a secret key is unfit for production, or None if it will do."""
    if not secret or secret == DEFAULT_SECRET_KEY:
        return "SECRET_KEY must be set to a real secret in production."
    if len(secret.encode()) < SECRET_KEY_MIN_BYTES:
        return f"SECRET_KEY must be at least {SECRET_KEY_MIN_BYTES} bytes long in production."
    if ENV_EXAMPLE.exists() and secret in ENV_EXAMPLE.read_text(encoding="utf-8"):
        return "SECRET_KEY is the example from .env.example: generate a real secret."
    return None


class Config:
    SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
    SITE_URL = env("SITE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Where `python wsgi.py` listens; in development rooms accept pages served from there.
    HOST = env("HOST", "127.0.0.1")
    PORT = int(env("PORT", 5000))
    # Reverse proxies in front of the app whose X-Forwarded-For/Proto/Host and X-Request-ID
    # are believed; 0 believes none, so a client cannot pick the address the limits count.
    PROXY_COUNT = int(env("PROXY_COUNT", 0))
    # Host names the app answers to (Flask refuses others with 400); none checked in development.
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or None
    # One JSON line per request on stderr (production), and gevent's access log (deploy/serve.py).
    JSON_LOGS = False
    ACCESS_LOG = _bool("ACCESS_LOG", False)
    INSTANCE_DIR = INSTANCE_DIR
    SQLALCHEMY_DATABASE_URI = database_url(
        env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'laboratorio.sqlite'}")
    )
    # PostgreSQL connections per process (lab.core.database.engine_options).
    DATABASE_POOL_SIZE = int(env("DATABASE_POOL_SIZE", 15))
    DATABASE_MAX_OVERFLOW = int(env("DATABASE_MAX_OVERFLOW", 5))
    # Seconds a request waits for a free connection before it is answered 503 (busy).
    DATABASE_POOL_TIMEOUT = float(env("DATABASE_POOL_TIMEOUT", 30))
    MAX_CONTENT_LENGTH = int(env("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    UPLOAD_DIR = Path(env("UPLOAD_DIR", INSTANCE_DIR / "uploads"))
    NODE_MODULES_DIR = Path(env("NODE_MODULES_DIR", BASE_DIR / "node_modules"))

    BABEL_DEFAULT_LOCALE = "it"
    BABEL_DEFAULT_TIMEZONE = "Europe/Rome"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("it", "en")

    MAIL_BACKEND = env("MAIL_BACKEND", "file")
    MAIL_SERVER = env("MAIL_SERVER", "localhost")
    MAIL_PORT = int(env("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env(
        "MAIL_DEFAULT_SENDER", "Laboratorio <noreply@laboratorio.localhost>"
    )
    MAIL_FILE_DIR = Path(env("MAIL_FILE_DIR", INSTANCE_DIR / "mail"))

    # Background jobs (lab.core.jobs): an SQLite file in INSTANCE_DIR unless a Redis URL is given;
    # the consumer process (`flask --app wsgi jobs worker`) runs JOBS_WORKERS threads.
    JOBS_REDIS_URL = env("JOBS_REDIS_URL")
    JOBS_WORKERS = int(env("JOBS_WORKERS", 2))
    JOBS_IMMEDIATE = False

    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_LIMIT = env("SIGN_IN_LIMIT", "5 per 15 minutes")
    SIGN_IN_ADDRESS_LIMIT = env("SIGN_IN_ADDRESS_LIMIT", "50 per 15 minutes")

    INVITATION_DAYS = 7
    # Events: how long the link confirming a registration without an account holds, how many
    # such requests one address may send, and how many days after an event its registrations'
    # personal answers are kept (`flask --app wsgi events erase-personal-data`).
    EVENT_SIGNUP_LINK_HOURS = int(env("EVENT_SIGNUP_LINK_HOURS", 48))
    EVENT_SIGNUP_LIMIT = env("EVENT_SIGNUP_LIMIT", "5 per hour")
    EVENT_PERSONAL_DATA_DAYS = int(env("EVENT_PERSONAL_DATA_DAYS", 90))
    PASSWORD_RESET_SECONDS = 3600
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    DEMO_DATA_ALLOWED = True
    # The Ed25519 key that signs the Pact register's checkpoints; never in the database.
    PACT_SIGNING_KEY = Path(env("PACT_SIGNING_KEY", INSTANCE_DIR / "keys" / "pact_ed25519.pem"))

    SOCKETIO_ASYNC_MODE = env("SOCKETIO_ASYNC_MODE", "threading")
    SOCKETIO_MESSAGE_QUEUE = env("SOCKETIO_MESSAGE_QUEUE")
    # Origins allowed to open a socket besides SITE_URL's; development adds its own addresses.
    SOCKETIO_ALLOWED_ORIGINS = _list("SOCKETIO_ALLOWED_ORIGINS")
    SOCKETIO_LOCAL_ORIGINS = True

    # Rooms: messages per person per window, and the Redis that tells every process to drop a
    # signed-out or removed person's sockets (SOCKETIO_MESSAGE_QUEUE when unset). The prefix
    # starts the rooms' Redis keys and channels, Socket.IO's included: give each deployment
    # sharing a Redis its own.
    ROOMS_FLOOD_LIMIT = int(env("ROOMS_FLOOD_LIMIT", 10))
    ROOMS_FLOOD_SECONDS = int(env("ROOMS_FLOOD_SECONDS", 10))
    ROOMS_REDIS_URL = env("ROOMS_REDIS_URL")
    ROOMS_REDIS_PREFIX = env("ROOMS_REDIS_PREFIX", "lab:rooms:")


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger would need inline script; errors go to the log


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = database_url(
        env("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "smtp"
    # What a developer's .env may set for their own server must not change what tests see.
    PROXY_COUNT = 0
    TRUSTED_HOSTS = None
    # Jobs run inside the commit that queues them, so a test reads the mail right after the
    # request; tests/core/test_jobs.py switches this off to drive the real queue.
    JOBS_IMMEDIATE = True
    # Cheap hashes keep the suite fast; production uses argon2-cffi's memory-hard defaults.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    SERVER_NAME = None


class ProductionConfig(Config):
    DEMO_DATA_ALLOWED = False
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or [urlsplit(Config.SITE_URL).hostname]
    SOCKETIO_LOCAL_ORIGINS = False
    JSON_LOGS = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SOCKETIO_ASYNC_MODE = env("SOCKETIO_ASYNC_MODE", "gevent")
    MAIL_BACKEND = env("MAIL_BACKEND", "smtp")

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a weak or published secret, or without a database."""
        problem = secret_key_problem(env("SECRET_KEY"))
        if problem:
            raise RuntimeError(problem)
        if not env("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
