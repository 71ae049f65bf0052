"""Configuration from ``PINNWAND_*`` environment variables, with documented defaults."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ASYNC_MODES = ("eventlet", "gevent", "threading")
DEFAULT_IDEA_RATE_LIMIT = 30
DEFAULT_FAILED_LOGIN_LIMIT = 10
DEFAULT_FAILED_JOIN_LIMIT = 300  # per address and 10 minutes
DEFAULT_FAILED_JOIN_GLOBAL_LIMIT = 3600  # per server process and hour
DEFAULT_JOIN_DAYS = 7
DEFAULT_MAX_WORKSHOPS = 50
DEFAULT_MAIL_RETRY_SECONDS = 60
DEFAULT_MAIL_LEASE_SECONDS = 120
# Days before an action's due date or the next forum a reminder goes out; 0: none.
DEFAULT_REMINDER_DAYS = 7
DEFAULT_DB_TIMEOUT = 5
DEFAULT_HEADER_TIMEOUT = 20
DEFAULT_BODY_TIMEOUT = 30
DEFAULT_SNAPSHOT_LIMIT = 30  # whole boards one reader may load per minute
DEFAULT_HEARTBEAT_SECONDS = 5
SECRET_KEY_FILE = "secret_key"


class ConfigError(ValueError):
    """A ``PINNWAND_*`` variable holds a value the server cannot use."""


@dataclass
class Settings:
    """Everything the server reads from its environment, resolved to concrete values."""

    instance_path: Path
    database_url: str
    secret_key: str
    message_queue: str | None = None
    message_channel: str = "pinnwand"
    async_mode: str = "eventlet"
    idea_rate_limit: int = DEFAULT_IDEA_RATE_LIMIT
    max_body_bytes: int = 256 * 1024
    moderator_token_days: int = 14
    participant_token_days: int = 30
    public_url: str | None = None
    trusted_proxies: int = 0
    failed_login_limit: int = DEFAULT_FAILED_LOGIN_LIMIT
    failed_join_limit: int = DEFAULT_FAILED_JOIN_LIMIT
    failed_join_global_limit: int = DEFAULT_FAILED_JOIN_GLOBAL_LIMIT
    join_days: int = DEFAULT_JOIN_DAYS
    max_workshops: int = DEFAULT_MAX_WORKSHOPS
    smtp_url: str | None = None
    mail_from: str | None = None
    mail_retry_seconds: int = DEFAULT_MAIL_RETRY_SECONDS
    mail_lease_seconds: int = DEFAULT_MAIL_LEASE_SECONDS
    reminder_days: int = DEFAULT_REMINDER_DAYS
    db_timeout: int = DEFAULT_DB_TIMEOUT
    header_timeout: int = DEFAULT_HEADER_TIMEOUT
    body_timeout: int = DEFAULT_BODY_TIMEOUT
    snapshot_limit: int = DEFAULT_SNAPSHOT_LIMIT
    heartbeat_seconds: int = DEFAULT_HEARTBEAT_SECONDS
    extra: dict = field(default_factory=dict)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the ``PINNWAND_*`` variables (see README) and fill in every default."""
    env = os.environ if environ is None else environ
    instance = Path(env.get("PINNWAND_INSTANCE_PATH") or "instance").resolve()
    instance.mkdir(parents=True, exist_ok=True)
    database_url = env.get("PINNWAND_DATABASE_URL") or f"sqlite:///{instance / 'pinnwand.db'}"
    return Settings(
        instance_path=instance,
        database_url=database_url,
        secret_key=env.get("PINNWAND_SECRET_KEY") or instance_secret_key(instance),
        message_queue=env.get("PINNWAND_MESSAGE_QUEUE") or None,
        message_channel=env.get("PINNWAND_MESSAGE_CHANNEL") or "pinnwand",
        async_mode=async_mode_from(env),
        idea_rate_limit=_int(env, "PINNWAND_IDEA_RATE_LIMIT", DEFAULT_IDEA_RATE_LIMIT),
        max_body_bytes=_int(env, "PINNWAND_MAX_BODY_BYTES", 256 * 1024),
        moderator_token_days=_int(env, "PINNWAND_MODERATOR_TOKEN_DAYS", 14),
        participant_token_days=_int(env, "PINNWAND_PARTICIPANT_TOKEN_DAYS", 30),
        public_url=(env.get("PINNWAND_PUBLIC_URL") or "").rstrip("/") or None,
        trusted_proxies=_int(env, "PINNWAND_TRUSTED_PROXIES", 0),
        failed_login_limit=_int(env, "PINNWAND_FAILED_LOGIN_LIMIT", DEFAULT_FAILED_LOGIN_LIMIT),
        failed_join_limit=_int(env, "PINNWAND_FAILED_JOIN_LIMIT", DEFAULT_FAILED_JOIN_LIMIT),
        failed_join_global_limit=_int(env, "PINNWAND_FAILED_JOIN_GLOBAL_LIMIT",
                                      DEFAULT_FAILED_JOIN_GLOBAL_LIMIT),
        join_days=_positive(env, "PINNWAND_JOIN_DAYS", DEFAULT_JOIN_DAYS),
        max_workshops=_int(env, "PINNWAND_MAX_WORKSHOPS", DEFAULT_MAX_WORKSHOPS),
        smtp_url=_smtp_url(env),
        mail_from=(env.get("PINNWAND_MAIL_FROM") or "").strip() or None,
        mail_retry_seconds=max(1, _int(env, "PINNWAND_MAIL_RETRY_SECONDS",
                                       DEFAULT_MAIL_RETRY_SECONDS)),
        mail_lease_seconds=max(2, _int(env, "PINNWAND_MAIL_LEASE_SECONDS",
                                       DEFAULT_MAIL_LEASE_SECONDS)),
        reminder_days=max(0, _int(env, "PINNWAND_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)),
        db_timeout=_positive(env, "PINNWAND_DB_TIMEOUT", DEFAULT_DB_TIMEOUT),
        header_timeout=_positive(env, "PINNWAND_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT),
        body_timeout=_positive(env, "PINNWAND_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT),
        snapshot_limit=_int(env, "PINNWAND_SNAPSHOT_LIMIT", DEFAULT_SNAPSHOT_LIMIT),
        heartbeat_seconds=_int(env, "PINNWAND_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS),
    )


def _smtp_url(env) -> str | None:
    """``PINNWAND_SMTP_URL`` when set, refused early when it cannot be used."""
    from pinnwand.mail.smtp_url import SmtpUrlError, parse_smtp_url

    url = (env.get("PINNWAND_SMTP_URL") or "").strip()
    if not url:
        return None
    try:
        parse_smtp_url(url)
    except SmtpUrlError as error:
        raise ConfigError(str(error)) from None
    return url


def async_mode_from(env) -> str:
    """The configured async mode, refusing anything but the three supported ones."""
    mode = (env.get("PINNWAND_ASYNC_MODE") or "eventlet").strip().lower()
    if mode not in ASYNC_MODES:
        choices = ", ".join(ASYNC_MODES)
        raise ConfigError(f"PINNWAND_ASYNC_MODE must be one of {choices}, not {mode!r}")
    return mode


def instance_secret_key(instance: Path) -> str:
    """The signing key kept in the instance folder, generated on first use (mode 0600)."""
    path = instance / SECRET_KEY_FILE
    if not path.exists():
        _write_once(path, secrets.token_hex(32))
    return path.read_text().strip()


def _write_once(path: Path, content: str) -> None:
    """Create ``path`` atomically; if another process won the race, keep its file."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def _int(env, name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < 0:
        raise ConfigError(f"{name} must not be negative")
    return value


def _positive(env, name: str, default: int) -> int:
    value = _int(env, name, default)
    if value == 0:
        raise ConfigError(f"{name} must be at least 1")
    return value
