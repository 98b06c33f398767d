"""Who holds which credential, and each tenant's revision, as this process knows it.

Looking a token up in the database on every request would cost a round trip per call, so the
directory remembers tenants and drops one the moment it changes: synchronously after this
process's own writes (`Database.tenant_listeners`), and, on PostgreSQL, when another process's
write commits (`LISTEN`; every tenant write sends a `NOTIFY`). Until that listener is connected, and
whenever it stops answering its pings, nothing is remembered and every lookup asks the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from marketbox.domain.errors import Unauthorized
from marketbox.domain.sellers import Seller
from marketbox.store import sellers as store
from marketbox.store.database import TENANT_CHANNEL, Database

log = logging.getLogger(__name__)
LISTENER_PING_SECONDS = 5.0
LISTENER_TIMEOUT = 5.0
LISTENER_RETRY_SECONDS = 1.0


class TenantDirectory:
    def __init__(self, db: Database, *, enabled: bool = True) -> None:
        self._db = db
        self._enabled = enabled
        self._trusted = enabled and not db.is_postgresql
        self._by_token: dict[str, Seller] = {}
        self._changes = 0  # tenant changes heard so far
        self._epoch = 0  # changes whenever trust begins or ends
        self._listener: asyncpg.Connection | None = None
        self._watch: asyncio.Task[None] | None = None
        db.tenant_listeners.append(self.forget)

    @property
    def trusted(self) -> bool:
        return self._trusted

    async def start(self) -> None:
        if self._enabled and self._db.is_postgresql:
            self._watch = asyncio.create_task(self._keep_listening(), name="marketbox-tenant-listener")

    async def stop(self) -> None:
        self._untrust()
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        await self._close_listener()
        with contextlib.suppress(ValueError):
            self._db.tenant_listeners.remove(self.forget)

    async def _keep_listening(self) -> None:
        """Hold a LISTEN connection; ping it, and reconnect whenever it stops answering."""
        dsn = self._db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                self._listener = await asyncpg.connect(dsn, timeout=LISTENER_TIMEOUT)
                await self._listener.add_listener(TENANT_CHANNEL, self._on_notify)
                self._listener.add_termination_listener(self._on_lost)
                # Trust starts now, from an empty memory: nothing learned while deaf is kept.
                self._by_token.clear()
                self._epoch += 1
                self._trusted = True
                while True:
                    await asyncio.sleep(LISTENER_PING_SECONDS)
                    await self._listener.fetchval("SELECT 1", timeout=LISTENER_TIMEOUT)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                if self._trusted:
                    log.warning("tenant change listener lost (%s): checking credentials on every call", exc)
                self._untrust()
                await self._close_listener()
                await asyncio.sleep(LISTENER_RETRY_SECONDS)

    async def _close_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            self._listener.terminate()
        self._listener = None

    def _untrust(self) -> None:
        self._trusted = False
        self._epoch += 1
        self._by_token.clear()

    def forget(self, seller_id: int) -> None:
        self._changes += 1
        for token in [t for t, s in self._by_token.items() if s.id == seller_id]:
            del self._by_token[token]

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload.isdigit():
            self.forget(int(payload))

    def _on_lost(self, _conn: Any) -> None:
        self._untrust()

    async def aliexpress(self, token: str | None) -> Seller:
        if not token:
            raise Unauthorized(
                "ErrorCode.Unauthorized", "cannot GetToken: the x-auth-token header is missing"
            )
        if self._trusted and (known := self._by_token.get(token)) is not None:
            return known
        epoch, changes = self._epoch, self._changes
        async with self._db.autocommit() as conn:
            seller = await store.seller_by_aliexpress_token(conn, token)
        if seller is None:
            raise Unauthorized(
                "ErrorCode.Unauthorized", "cannot GetTokenByID: the token is invalid or revoked"
            )
        # A change that committed while we were reading (or trust that began meanwhile, with
        # notifications we never heard) may make what we read stale: don't keep it, ask again next time.
        if self._trusted and self._epoch == epoch and self._changes == changes:
            self._by_token[token] = seller
        return seller
