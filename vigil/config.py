"""Vigil's settings, read from environment variables.

Every variable has a default that works on a laptop. A bad value raises
:class:`ConfigError`, which names the variable; the ``vigil`` command turns it into one
line on stderr and exit status 2. Parsing is pure (no disk, no network): the only side
effect, keeping a generated secret key in the data directory, is :func:`secret_key`, which
runs when Django loads its settings, never at import.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url

TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "off", ""})
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
SUPPORTED_DATABASES = ("sqlite", "postgres", "postgresql", "pgsql")
# IMMEDIATE transactions stop SQLite failing with "database is locked" when the web server
# and the task worker write at once; WAL lets pages read while the worker writes, and
# synchronous=NORMAL (safe with WAL) syncs at checkpoints rather than at every commit.
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
SIZE_PATTERN = re.compile(r"(\d+)\s*(?:([KMGT])(?:I?B)?|B)?", re.IGNORECASE)
S3_BUCKET_PATTERN = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
REGION_PATTERN = re.compile(r"[a-z0-9-]+")
EVIDENCE_STORES_EXPECTED = "expected local, file:///ABSOLUTE/PATH or s3://BUCKET[/PREFIX]"
MAX_RETENTION_DAYS = 36_500


class ConfigError(Exception):
    """A configuration value that Vigil cannot start with."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


@dataclass(frozen=True)
class EvidenceConfig:
    """Where evidence bytes are kept and how big one file may be (``vigil.evidence.storage``)."""

    store_url: str = "local"
    max_bytes: int = 4 * 1024**3
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    retention_days: int = 0


@dataclass(frozen=True)
class EmailConfig:
    """How notices are e-mailed: printed to the console by default, or sent by SMTP."""

    backend: str = "django.core.mail.backends.console.EmailBackend"
    host: str = ""
    port: int = 25
    user: str = ""
    password: str = field(repr=False, default="")
    use_tls: bool = False
    use_ssl: bool = False
    sender: str = "Vigil <vigil@localhost>"


@dataclass(frozen=True)
class PosUploadConfig:
    """How big an uploaded POS data set ZIP may be and what it may unpack to
    (``vigil.pos.uploads``; docs/configuration.md, "Upload limits")."""

    max_bytes: int = 2 * 1024**3
    max_unpacked: int = 20 * 1024**3
    max_member_bytes: int = 10 * 1024**3
    max_members: int = 10_000
    # Real CSV compresses 5-30x and Parquet hardly at all; past 200x a member is a ZIP bomb.
    max_ratio: int = 200


@dataclass(frozen=True)
class Config:
    """The parsed environment: one place that says how this Vigil instance is set up."""

    data_dir: Path
    database: dict[str, Any]
    debug: bool
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    port: int
    secret_key_value: str | None = field(repr=False, default=None)
    log_level: str = "INFO"
    trusted_proxy_hops: int = 0
    evidence: EvidenceConfig = field(default_factory=EvidenceConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    video_clip_max_bytes: int = 200 * 1024**2
    mqtt_url: str = ""
    pos_upload: PosUploadConfig = field(default_factory=PosUploadConfig)
    # A worker silent this long is dead and its runs are recovered (see vigil/core/recovery.py).
    task_lease_seconds: int = 45
    # Extra POS rule files (a folder of .sql) and built-in rules switched off, for every scan.
    pos_rules_dir: Path | None = None
    pos_rules_off: tuple[str, ...] = ()
    # Host names webhooks may reach although they resolve inward (see vigil/core/outbound.py).
    webhook_allowed_hosts: tuple[str, ...] = ()
    # API requests allowed per (count, seconds), per token or user and per address.
    api_rate_per_client: tuple[int, int] = (600, 60)
    api_rate_per_address: tuple[int, int] = (1200, 60)


def parse_bool(variable: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(variable, f"{raw!r} is not a yes/no value (expected true or false)")


def parse_port(variable: str, raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(variable, f"{raw!r} is not a port number (expected 1-65535)") from None
    if not 1 <= port <= 65535:
        raise ConfigError(variable, f"{port} is out of range (expected 1-65535)")
    return port


def parse_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database(variable: str, raw: str | None, data_dir: Path) -> dict[str, Any]:
    """Turn ``DATABASE_URL`` into Django's DATABASES entry; SQLite in the data dir by default."""
    if raw is None or not raw.strip():
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "vigil.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in SUPPORTED_DATABASES:
        raise ConfigError(
            variable,
            f"{raw!r} is not a database URL Vigil supports "
            "(expected postgres://USER@HOST:PORT/NAME or sqlite:///PATH)",
        )
    try:
        database: dict[str, Any] = dict(dj_database_url.parse(raw, conn_max_age=60))
    except ValueError as exc:
        raise ConfigError(variable, f"{raw!r} could not be parsed ({exc})") from None
    if scheme == "sqlite":
        database["OPTIONS"] = dict(SQLITE_OPTIONS)
        database["CONN_MAX_AGE"] = 0
    elif not database.get("NAME"):
        raise ConfigError(variable, f"{raw!r} names no database (expected .../DATABASE_NAME)")
    return database


def parse_size(variable: str, raw: str) -> int:
    """Bytes from ``4294967296``, ``500M`` or ``2G`` (binary units: 1K = 1024)."""
    match = SIZE_PATTERN.fullmatch(raw.strip())
    if match is None:
        raise ConfigError(variable, f"{raw!r} is not a size (expected bytes, or e.g. 500M or 2G)")
    size = int(match[1]) * SIZE_UNITS[(match[2] or "").upper()]
    if size <= 0:
        raise ConfigError(variable, "must be more than 0 bytes")
    return size


def parse_count(variable: str, raw: str, example: str) -> int:
    """A whole number above 0, e.g. ``10000``; ``example`` is shown when ``raw`` is not one."""
    value = raw.strip()
    if not (value.isascii() and value.isdigit()) or int(value) == 0:
        raise ConfigError(variable, f"{raw!r} is not a whole number above 0 (e.g. {example})")
    return int(value)


def parse_evidence_store(variable: str, raw: str) -> str:
    """Check ``VIGIL_EVIDENCE_STORE``; the store itself is built by ``vigil.evidence.storage``."""
    value = raw.strip()
    if value.lower() in {"", "local"}:
        return "local"
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        raise ConfigError(variable, f"{raw!r} has a query or fragment ({EVIDENCE_STORES_EXPECTED})")
    if parts.scheme == "file" and not parts.netloc and parts.path.startswith("/"):
        return value
    if parts.scheme == "s3" and S3_BUCKET_PATTERN.fullmatch(parts.netloc):
        return value
    raise ConfigError(variable, f"{raw!r} is not an evidence store ({EVIDENCE_STORES_EXPECTED})")


def parse_endpoint(variable: str, raw: str) -> str:
    """An S3 endpoint URL, or empty for AWS itself."""
    endpoint = raw.strip()
    if endpoint and not (
        endpoint.startswith(("http://", "https://")) and urlsplit(endpoint).netloc
    ):
        raise ConfigError(variable, f"{raw!r} is not a URL (expected http(s)://HOST:PORT)")
    return endpoint


def parse_retention_days(variable: str, raw: str) -> int:
    days = raw.strip()
    if not days.isdigit() or int(days) > MAX_RETENTION_DAYS:
        raise ConfigError(
            variable,
            f"{raw!r} is not a number of days (expected 0-{MAX_RETENTION_DAYS}; 0 is none)",
        )
    return int(days)


def parse_evidence(environ: Mapping[str, str]) -> EvidenceConfig:
    """The ``VIGIL_EVIDENCE_*`` and ``VIGIL_S3_*`` variables."""
    region = environ.get("VIGIL_S3_REGION", "us-east-1").strip()
    if not REGION_PATTERN.fullmatch(region):
        raise ConfigError("VIGIL_S3_REGION", f"{region!r} is not a region (e.g. us-east-1)")
    return EvidenceConfig(
        store_url=parse_evidence_store(
            "VIGIL_EVIDENCE_STORE", environ.get("VIGIL_EVIDENCE_STORE", "local")
        ),
        max_bytes=parse_size(
            "VIGIL_EVIDENCE_MAX_BYTES", environ.get("VIGIL_EVIDENCE_MAX_BYTES", "4G")
        ),
        s3_endpoint_url=parse_endpoint(
            "VIGIL_S3_ENDPOINT_URL", environ.get("VIGIL_S3_ENDPOINT_URL", "")
        ),
        s3_region=region,
        retention_days=parse_retention_days(
            "VIGIL_EVIDENCE_RETENTION_DAYS", environ.get("VIGIL_EVIDENCE_RETENTION_DAYS", "0")
        ),
    )


def parse_pos_upload(environ: Mapping[str, str]) -> PosUploadConfig:
    """The ``VIGIL_POS_UPLOAD_*`` and ``VIGIL_POS_ZIP_*`` limits on an uploaded data set ZIP."""

    def size(variable: str, default: str) -> int:
        return parse_size(variable, environ.get(variable, default))

    def count(variable: str, default: str) -> int:
        return parse_count(variable, environ.get(variable, default), example=default)

    return PosUploadConfig(
        max_bytes=size("VIGIL_POS_UPLOAD_MAX_BYTES", "2G"),
        max_unpacked=size("VIGIL_POS_ZIP_MAX_UNPACKED", "20G"),
        max_member_bytes=size("VIGIL_POS_ZIP_MAX_MEMBER_BYTES", "10G"),
        max_members=count("VIGIL_POS_ZIP_MAX_MEMBERS", "10000"),
        max_ratio=count("VIGIL_POS_ZIP_MAX_RATIO", "200"),
    )


def parse_mqtt(variable: str, raw: str) -> str:
    """``mqtt://[user:password@]host[:port]``: the broker the app listens to (empty: none)."""
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise ConfigError(variable, f"{raw!r} is not like mqtt://host:1883")
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise ConfigError(variable, f"{raw!r} has a port that is not a number") from None
    return raw


def from_environ(environ: Mapping[str, str]) -> Config:
    """Read Vigil's configuration from ``environ`` (normally ``os.environ``)."""
    data_dir = Path(environ.get("VIGIL_DATA_DIR") or "var").expanduser().absolute()
    debug = parse_bool("DEBUG", environ.get("DEBUG", "false"))
    default_hosts = "localhost,127.0.0.1,[::1]"
    allowed_hosts = parse_list(environ.get("ALLOWED_HOSTS", default_hosts))
    if not allowed_hosts:
        raise ConfigError("ALLOWED_HOSTS", "is empty (expected host names, comma-separated)")
    origins = parse_list(environ.get("CSRF_TRUSTED_ORIGINS", ""))
    for origin in origins:
        if "://" not in origin:
            raise ConfigError(
                "CSRF_TRUSTED_ORIGINS", f"{origin!r} has no scheme (expected https://host)"
            )
    log_level = environ.get("VIGIL_LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError("VIGIL_LOG_LEVEL", f"{log_level!r} is not a log level")
    hops_raw = environ.get("VIGIL_TRUSTED_PROXY_HOPS", "0")
    if not hops_raw.isdigit() or int(hops_raw) > 5:
        raise ConfigError(
            "VIGIL_TRUSTED_PROXY_HOPS", f"{hops_raw!r} is not a number of proxies (expected 0-5)"
        )
    secret = environ.get("SECRET_KEY") or None
    if secret is not None and len(secret) < 32:
        raise ConfigError("SECRET_KEY", "is shorter than 32 characters")
    return Config(
        data_dir=data_dir,
        database=parse_database("DATABASE_URL", environ.get("DATABASE_URL"), data_dir),
        debug=debug,
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=origins,
        port=parse_port("VIGIL_PORT", environ.get("VIGIL_PORT", "8000")),
        secret_key_value=secret,
        log_level=log_level,
        trusted_proxy_hops=int(hops_raw),
        evidence=parse_evidence(environ),
        email=parse_email(environ),
        video_clip_max_bytes=parse_size(
            "VIGIL_VIDEO_CLIP_MAX_BYTES", environ.get("VIGIL_VIDEO_CLIP_MAX_BYTES", "200M")
        ),
        mqtt_url=parse_mqtt("VIGIL_MQTT_URL", environ.get("VIGIL_MQTT_URL", "")),
        pos_upload=parse_pos_upload(environ),
        task_lease_seconds=parse_lease(environ.get("VIGIL_TASK_LEASE_SECONDS", "45")),
        pos_rules_dir=parse_rules_dir(environ.get("VIGIL_POS_RULES", "")),
        pos_rules_off=parse_rule_ids(environ.get("VIGIL_POS_RULES_OFF", "")),
        webhook_allowed_hosts=parse_hosts(environ.get("VIGIL_WEBHOOK_ALLOWED_HOSTS", "")),
        api_rate_per_client=parse_rate(
            "VIGIL_API_RATE_PER_CLIENT", environ.get("VIGIL_API_RATE_PER_CLIENT", "600/min")
        ),
        api_rate_per_address=parse_rate(
            "VIGIL_API_RATE_PER_ADDRESS", environ.get("VIGIL_API_RATE_PER_ADDRESS", "1200/min")
        ),
    )


RATE_PERIODS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def parse_rate(variable: str, raw: str) -> tuple[int, int]:
    """``600/min`` as (600, 60): requests allowed per period (``s``, ``min`` or ``hour``)."""
    count, _, period = raw.strip().partition("/")
    if not count.isdigit() or int(count) == 0 or period not in RATE_PERIODS:
        raise ConfigError(variable, f"{raw!r} is not a rate like 600/min (per s, min or hour)")
    return int(count), RATE_PERIODS[period]


def parse_hosts(raw: str) -> tuple[str, ...]:
    """Host names (or addresses) an operator allows webhooks to reach inside the network."""
    hosts = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
    for host in hosts:
        if not re.fullmatch(r"[a-z0-9.:\-\[\]]{1,253}", host):
            raise ConfigError("VIGIL_WEBHOOK_ALLOWED_HOSTS", f"{host!r} is not a host name")
    return tuple(host.strip("[]") for host in hosts)


def parse_rules_dir(raw: str) -> Path | None:
    """A folder of the operator's own rule files; read at each scan, so only its form is
    checked here."""
    if not raw.strip():
        return None
    folder = Path(raw.strip()).expanduser()
    if not folder.is_absolute():
        raise ConfigError("VIGIL_POS_RULES", f"{raw!r} is not an absolute folder path")
    return folder


def parse_rule_ids(raw: str) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in raw.split(",") if part.strip())
    for rule_id in ids:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,63}", rule_id):
            raise ConfigError(
                "VIGIL_POS_RULES_OFF", f"{rule_id!r} is not a rule id (like post_void_own_cash)"
            )
    return ids


def parse_lease(raw: str) -> int:
    """Seconds without a heartbeat after which a worker is dead: 5 to 600."""
    seconds = parse_count("VIGIL_TASK_LEASE_SECONDS", raw, example="45")
    if not 5 <= seconds <= 600:
        raise ConfigError("VIGIL_TASK_LEASE_SECONDS", f"{raw!r} is not between 5 and 600 seconds")
    return seconds


def parse_email(environ: Mapping[str, str]) -> EmailConfig:
    """``VIGIL_EMAIL``: ``console`` (default), ``file`` (the data directory's ``outbox``), or
    ``smtp://user:password@host:port`` (STARTTLS on 587) or ``smtps://…`` (TLS from the start,
    465); ``VIGIL_EMAIL_FROM`` the sender."""
    raw = environ.get("VIGIL_EMAIL", "console").strip()
    sender = environ.get("VIGIL_EMAIL_FROM", "").strip() or EmailConfig.sender
    if raw in {"", "console"}:
        return EmailConfig(sender=sender)
    if raw == "file":  # one file per message under <data dir>/outbox (EMAIL_FILE_PATH)
        filed = "django.core.mail.backends.filebased.EmailBackend"
        return EmailConfig(backend=filed, sender=sender)
    parts = urlsplit(raw)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ConfigError(
            "VIGIL_EMAIL", "expected console, file, smtp://user:password@host:port or smtps://…"
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise ConfigError("VIGIL_EMAIL", "the port is not a number") from None
    return EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=parts.scheme == "smtp" and port == 587,
        use_ssl=parts.scheme == "smtps",
        sender=sender,
    )


def secret_key(config: Config) -> str:
    """The configured ``SECRET_KEY``, or one generated on first start and kept in the data dir.

    Keeping it means sessions and signed links survive a restart without anyone having to
    invent a key; the file is readable by its owner only.
    """
    if config.secret_key_value:
        return config.secret_key_value
    path = config.data_dir / SECRET_KEY_FILE
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    except OSError as exc:
        raise ConfigError("VIGIL_DATA_DIR", f"cannot read {path} ({exc.strerror})") from None
    if existing:
        return existing
    key = secrets.token_urlsafe(50)
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(key, encoding="utf-8")
    except OSError as exc:
        raise ConfigError("VIGIL_DATA_DIR", f"cannot write {path} ({exc.strerror})") from None
    return key
