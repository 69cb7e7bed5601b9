"""Settings: harmless defaults here, secrets and addresses from the environment, test overrides last."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    """Where the embedded database and the development secret live (DASHBOARD_INSTANCE overrides)."""
    return Path(os.environ.get("DASHBOARD_INSTANCE") or ROOT / "instance")


class ConfigError(RuntimeError):
    """A setting that is missing or wrong; the message says what to do."""


class Config:
    DATABASE_URL: str | None = None
    SECRET_KEY: str | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "ur_session"
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    # A dashboard left open on a meeting-room screen must not lose its CSRF token after an hour.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # The largest file a person may upload (env UPLOAD_MAX_MB). A file travels base64-encoded inside the
    # callback's JSON, so MAX_CONTENT_LENGTH is raised to fit it and a too-large file still gets a clear message.
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    SEED_DEMO = True
    DASHBOARD_ADMIN_PASSWORD: str | None = None
    FRAME_ANCESTORS = "'self'"
    # An origin (e.g. https://intranat.umea.se) that may show /presentation in a frame; other pages stay unframed.
    PRESENTATION_FRAME_ANCESTORS: str | None = None
    LOG_FORMAT = "text"  # "json": one JSON object per line, for a log collector
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none, the client talks to us).
    TRUSTED_PROXIES = 0


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = True


_ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "DASHBOARD_ADMIN_PASSWORD",
    "FRAME_ANCESTORS",
    "LOG_FORMAT",
    "PRESENTATION_FRAME_ANCESTORS",
)
_ENV_BOOLS = ("SESSION_COOKIE_SECURE", "SEED_DEMO")


def _megabytes(key: str, value: str) -> int:
    try:
        size = float(value.replace(",", "."))
    except ValueError:
        size = -1
    if not 0 < size <= 1024:
        raise ConfigError(f"{key} ska vara ett antal megabyte mellan 0 och 1024, t.ex. 10 (var ”{value}”).")
    return int(size * 1024 * 1024)


def _count(key: str, value: str) -> int:
    if not value.strip().isascii() or not value.strip().isdigit() or int(value) > 5:
        raise ConfigError(f"{key} ska vara ett antal proxyservrar, 0–5, t.ex. 1 (var ”{value}”).")
    return int(value)


def default_database_url() -> str:
    return f"sqlite:///{instance_dir() / 'dashboard.db'}"


def load_settings(base: type = Config, overrides: dict | None = None) -> dict:
    """Defaults, then the environment, then `overrides` (tests)."""
    settings = {k: getattr(base, k) for k in dir(base) if k.isupper()}
    for key in _ENV_KEYS:
        if os.environ.get(key):
            settings[key] = os.environ[key]
    for key in _ENV_BOOLS:
        if key in os.environ:
            settings[key] = os.environ[key].strip().lower() in {"1", "true", "yes", "ja"}
    if os.environ.get("TRUSTED_PROXIES"):
        settings["TRUSTED_PROXIES"] = _count("TRUSTED_PROXIES", os.environ["TRUSTED_PROXIES"])
    if os.environ.get("UPLOAD_MAX_MB"):
        settings["UPLOAD_MAX_BYTES"] = _megabytes("UPLOAD_MAX_MB", os.environ["UPLOAD_MAX_MB"])
    settings.update(overrides or {})
    if "MAX_CONTENT_LENGTH" not in (overrides or {}):
        settings["MAX_CONTENT_LENGTH"] = max(settings["MAX_CONTENT_LENGTH"], 2 * settings["UPLOAD_MAX_BYTES"] + 2**20)
    if not settings.get("DATABASE_URL"):
        settings["DATABASE_URL"] = default_database_url()
        settings["EMBEDDED_DATABASE"] = True
    return settings


def resolve_secret_key(settings: dict, *, dev: bool) -> str:
    """SECRET_KEY from the settings; a development start may create and keep one in instance/."""
    if settings.get("SECRET_KEY"):
        return settings["SECRET_KEY"]
    key_file = instance_dir() / "secret_key"
    if dev:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
    if settings.get("EMBEDDED_DATABASE") and key_file.exists():
        return key_file.read_text().strip()
    raise ConfigError(
        "SECRET_KEY saknas. Sätt miljövariabeln SECRET_KEY till en lång slumpad sträng "
        "(t.ex. python -c 'import secrets; print(secrets.token_hex(32))') innan servern startas i produktion, "
        "eller starta utvecklingsservern med `python app.py`."
    )
