"""One typed settings object, read from MARKETBOX_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

from marketbox.domain.notifications import DEFAULT_SCHEDULE

DEFAULT_DATABASE_URL = "sqlite:///marketbox.sqlite3"


def _floats(raw: str | None, default: tuple[float, ...]) -> tuple[float, ...]:
    """`0,5,300` -> (0.0, 5.0, 300.0)."""
    return tuple(float(x) for x in raw.split(",") if x.strip()) if raw else default


def _words(raw: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.split(",") if x.strip()) if raw else ()


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

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("MARKETBOX_DATABASE_URL", DEFAULT_DATABASE_URL),
            "host": env.get("MARKETBOX_HOST", "127.0.0.1"),
            "port": int(env.get("MARKETBOX_PORT", "8000")),
            "db_pool_size": int(env.get("MARKETBOX_DB_POOL_SIZE", "20")),
            "response_cache_entries": int(env.get("MARKETBOX_RESPONSE_CACHE_ENTRIES", "4096")),
            "lamoda_rate_limit": float(env.get("MARKETBOX_LAMODA_RATE_LIMIT", "0")),
            "webhook_worker": env.get("MARKETBOX_WEBHOOK_WORKER", "1").lower() not in ("0", "false", "no"),
            "webhook_schedule": _floats(env.get("MARKETBOX_WEBHOOK_SCHEDULE"), DEFAULT_SCHEDULE),
            "webhook_timeout": float(env.get("MARKETBOX_WEBHOOK_TIMEOUT", "10")),
            "webhook_lease": float(env.get("MARKETBOX_WEBHOOK_LEASE", "60")),
            "webhook_allowed_networks": _words(env.get("MARKETBOX_WEBHOOK_ALLOWED_NETWORKS")),
            "admin_token": env.get("MARKETBOX_ADMIN_TOKEN", "").strip(),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
