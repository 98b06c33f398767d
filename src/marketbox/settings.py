"""One typed settings object, read from MARKETBOX_* environment variables."""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from marketbox.domain.notifications import DEFAULT_SCHEDULE

DEFAULT_DATABASE_URL = "sqlite:///marketbox.sqlite3"
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_NONE: tuple[str, ...] = ()
T = TypeVar("T")


class SettingsError(ValueError):
    """A MARKETBOX_* value that cannot be used: `str()` is one line naming the variable and what it
    expects."""


@dataclass(frozen=True)
class Settings:
    # Where everything is stored: a SQLite file by default, or postgresql://user@host/db.
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    # Connections per process (PostgreSQL); SQLite serializes writers anyway.
    db_pool_size: int = 20
    # Encoded read responses kept per process (0 turns the cache off); see httpapi/response_cache.py.
    response_cache_entries: int = 4096
    # Lamoda API calls per second per seller before 429 Too Many Requests (0: no limit).
    lamoda_rate_limit: float = 0.0
    # `serve` delivers webhooks itself; `marketbox worker` processes can share the work (PostgreSQL).
    webhook_worker: bool = True
    # Seconds before delivery attempt 1, 2, ... (the last one spent: the message has failed).
    webhook_schedule: tuple[float, ...] = DEFAULT_SCHEDULE
    webhook_timeout: float = 10.0  # seconds per delivery request
    # A claimed delivery is another worker's to retry this long after its worker died (>= 2 x timeout).
    webhook_lease: float = 60.0
    # Networks deliveries may go to, e.g. ("10.0.0.0/8",) for a shared deployment; empty: anywhere.
    webhook_allowed_networks: tuple[str, ...] = ()
    # A shared deployment's guard of every /sandbox path (a tenant's own credentials also open its
    # paths); empty, the local default: the sandbox is open to whoever reaches the port.
    admin_token: str = ""
    # Where clients reach this server, e.g. "https://marketbox.ci.example"; label and document URLs
    # start with it. Empty: the bound address (see `base_url`), never the request's Host header.
    public_url: str = ""
    # Web origins (scheme://host[:port]) whose pages may call this server from a browser, besides the
    # server's own; any other Origin is refused on /sandbox paths and on every state-changing request.
    allowed_origins: tuple[str, ...] = ()
    # Request bodies larger than this are refused with 413 before they are read.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @property
    def base_url(self) -> str:
        """The server's public base URL, without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        # A wildcard bind is reachable on the loopback address; a client elsewhere needs public_url.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from MARKETBOX_* variables; `overrides` that are not None win (and their variables
        are not read). A value that cannot be used raises SettingsError naming the variable."""
        env = os.environ if env is None else env
        given = {k: v for k, v in overrides.items() if v is not None}

        def read(name: str, var: str, parse: Callable[[str, str], T], default: T) -> T | object:
            if name in given:
                return given[name]
            raw = env.get(var)
            return default if raw is None else parse(var, raw)

        values: dict[str, object] = {
            "database_url": read("database_url", "MARKETBOX_DATABASE_URL", _text, DEFAULT_DATABASE_URL),
            "host": read("host", "MARKETBOX_HOST", _text, "127.0.0.1"),
            "port": read("port", "MARKETBOX_PORT", _port, 8000),
            "db_pool_size": read("db_pool_size", "MARKETBOX_DB_POOL_SIZE", _positive_int, 20),
            "response_cache_entries": read(
                "response_cache_entries", "MARKETBOX_RESPONSE_CACHE_ENTRIES", _non_negative_int, 4096
            ),
            "lamoda_rate_limit": read("lamoda_rate_limit", "MARKETBOX_LAMODA_RATE_LIMIT", _non_negative, 0.0),
            "webhook_worker": read("webhook_worker", "MARKETBOX_WEBHOOK_WORKER", _bool, True),
            "webhook_schedule": read(
                "webhook_schedule", "MARKETBOX_WEBHOOK_SCHEDULE", _schedule, DEFAULT_SCHEDULE
            ),
            "webhook_timeout": read("webhook_timeout", "MARKETBOX_WEBHOOK_TIMEOUT", _positive, 10.0),
            "webhook_lease": read("webhook_lease", "MARKETBOX_WEBHOOK_LEASE", _positive, 60.0),
            "webhook_allowed_networks": read(
                "webhook_allowed_networks", "MARKETBOX_WEBHOOK_ALLOWED_NETWORKS", _networks, _NONE
            ),
            "admin_token": read("admin_token", "MARKETBOX_ADMIN_TOKEN", lambda _, raw: raw.strip(), ""),
            "public_url": read("public_url", "MARKETBOX_PUBLIC_URL", _public_url, ""),
            "allowed_origins": read("allowed_origins", "MARKETBOX_ALLOWED_ORIGINS", _origins, _NONE),
            "max_body_bytes": read(
                "max_body_bytes", "MARKETBOX_MAX_BODY_BYTES", _positive_int, DEFAULT_MAX_BODY_BYTES
            ),
        }
        values.update({k: v for k, v in given.items() if k not in values})
        return cls(**values)  # type: ignore[arg-type]


def _text(_: str, raw: str) -> str:
    return raw


def _words(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.split(",") if x.strip())


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= 60 else raw[:60] + "...")


def _int(var: str, raw: str, low: int, expects: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = low - 1
    if value < low:
        raise SettingsError(f"{var} must be {expects}, got {_shown(raw)}")
    return value


def _positive_int(var: str, raw: str) -> int:
    return _int(var, raw, 1, "a positive integer")


def _non_negative_int(var: str, raw: str) -> int:
    return _int(var, raw, 0, "an integer of 0 or more")


def _port(var: str, raw: str) -> int:
    value = _int(var, raw, 0, "an integer from 0 to 65535")
    if value > 65535:
        raise SettingsError(f"{var} must be an integer from 0 to 65535, got {_shown(raw)}")
    return value


def _number(var: str, raw: str, positive: bool) -> float:
    expects = "a number above 0" if positive else "a number of 0 or more"
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingsError(f"{var} must be {expects}, got {_shown(raw)}") from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise SettingsError(f"{var} must be {expects}, got {_shown(raw)}")
    return value


def _positive(var: str, raw: str) -> float:
    return _number(var, raw, positive=True)


def _non_negative(var: str, raw: str) -> float:
    return _number(var, raw, positive=False)


def _bool(var: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{var} must be 1 or 0 (true/false, yes/no, on/off), got {_shown(raw)}")


def _schedule(var: str, raw: str) -> tuple[float, ...]:
    """`0,5,300` -> (0.0, 5.0, 300.0)."""
    words = _words(raw)
    expects = "comma-separated seconds of 0 or more (e.g. 0,5,300)"
    if not words:
        raise SettingsError(f"{var} must be {expects}, got {_shown(raw)}")
    try:
        return tuple(_number(var, word, positive=False) for word in words)
    except SettingsError:
        raise SettingsError(f"{var} must be {expects}, got {_shown(raw)}") from None


def _networks(var: str, raw: str) -> tuple[str, ...]:
    words = _words(raw)
    for word in words:
        try:
            ipaddress.ip_network(word, strict=False)
        except ValueError:
            raise SettingsError(
                f"{var} must be comma-separated IP networks (e.g. 10.0.0.0/8,127.0.0.1), got {_shown(word)}"
            ) from None
    return words


def _public_url(var: str, raw: str) -> str:
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(
            f"{var} must be an http(s) URL such as https://marketbox.example (a path may follow), "
            f"got {_shown(raw)}"
        )
    return value.rstrip("/")


def _origins(var: str, raw: str) -> tuple[str, ...]:
    origins = []
    for word in _words(raw):
        origin = normalize_origin(word)
        if origin is None:
            raise SettingsError(
                f"{var} must list web origins such as http://localhost:3000 (scheme, host "
                f"and port; no '*', no path), got {_shown(word)}"
            )
        origins.append(origin)
    return tuple(origins)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: str) -> str | None:
    """`HTTP://Example.com:80` -> `http://example.com`; None for anything that is not a web origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username is not None or parts.password is not None:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else "")
