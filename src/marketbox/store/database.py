"""Engine set-up and the transaction boundary: every use case runs in exactly one transaction."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from sqlalchemy import event, func, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from marketbox.store.tables import sellers

try:
    import fcntl
except ImportError:  # Windows: no advisory file locks, no guard
    fcntl = None  # type: ignore[assignment]

_WRITE = "marketbox_write"
TENANT_CHANNEL = "marketbox_tenants"


def normalize_url(url: str) -> URL:
    """Accept the URLs people type (`sqlite:///x.db`, `postgresql://...`) and pick the async drivers."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path or postgresql://...")


class Database:
    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = normalize_url(url)
        self.dialect = self.url.get_backend_name()
        kwargs: dict[str, Any] = {
            "echo": echo,
            "json_serializer": _json_dumps,
            "json_deserializer": msgspec.json.decode,
        }
        if self.dialect == "postgresql":
            kwargs.update(pool_size=pool_size, max_overflow=pool_size // 2, pool_pre_ping=False)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        # Called with a seller id after each committed tenant_write of this process.
        self.tenant_listeners: list[Callable[[int], None]] = []

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One read-write transaction; commits on success, rolls back on any exception."""
        async with self.engine.connect() as conn:
            await conn.execution_options(**{_WRITE: True})
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def tenant_write(self, seller_id: int) -> AsyncIterator[AsyncConnection]:
        """A write transaction that first locks the tenant's row.

        One writer per tenant at a time: writes of a tenant touch shared rows (status counters,
        trade orders, lists) in different orders, and serializing them rules out deadlocks.
        Tenants still write in parallel. (SQLite serializes every writer anyway.)
        """
        async with self.write() as conn:
            # The UPDATE both takes the row lock and bumps the version that invalidates cached reads.
            bump = (
                update(sellers)
                .where(sellers.c.id == seller_id)
                .values(data_version=sellers.c.data_version + 1)
            )
            if self.is_postgresql:
                # Delivered on commit to every marketbox process (see services/tenant_directory.py);
                # sent from the same statement, as a round trip costs more than the rest of it.
                bump = bump.returning(func.pg_notify(TENANT_CHANNEL, str(seller_id)))
            await conn.execute(bump)
            yield conn
        for listener in self.tenant_listeners:
            listener(seller_id)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only transaction: one snapshot for all its statements (a page agrees with its total)."""
        async with self.engine.connect() as conn:
            if self.is_postgresql:
                await conn.execution_options(isolation_level="REPEATABLE READ")
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """No BEGIN/COMMIT round trips: for reads that are one statement each."""
        if not self.is_postgresql:  # SQLite's BEGIN is free, and the driver's isolation is ours to keep
            async with self.read() as conn:
                yield conn
            return
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn

    def claim_sole_server(self) -> Callable[[], None]:
        """On SQLite, make this the only process serving the file; returns the release.

        Serving processes remember tenants between requests and only PostgreSQL tells them of
        another process's writes, so a second server on the same SQLite file is refused.
        """
        path = self.url.database
        if self.dialect != "sqlite" or not path or path == ":memory:" or fcntl is None:
            return lambda: None
        fd = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SoleServerError(
                f"another marketbox process is serving {path}: one server per SQLite file "
                "(use PostgreSQL for several)"
            ) from None
        return lambda: os.close(fd)

    async def dispose(self) -> None:
        await self.engine.dispose()


class SoleServerError(RuntimeError):
    """A second server was started on a SQLite file that one already serves."""


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        # Take over transaction control from the driver so that writers can BEGIN IMMEDIATE:
        # a deferred transaction would read, then fail to upgrade its lock under concurrency.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
