"""Who holds which credential, and each tenant's revision, as this process knows it.

Looking a token up in the database on every request would cost a round trip per call, so the
directory remembers tenants and drops one the moment it changes: synchronously after this
process's own writes (`Database.tenant_listeners`), and, on PostgreSQL, when another process's
write commits (`LISTEN`; every tenant write sends a `NOTIFY`). Until that listener is connected, and
whenever it is lost, nothing is remembered and every lookup asks the database.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg

from marketbox.domain.errors import Unauthorized
from marketbox.domain.sellers import Seller
from marketbox.store import sellers as store
from marketbox.store.database import TENANT_CHANNEL, Database

log = logging.getLogger(__name__)


class TenantDirectory:
    def __init__(self, db: Database, *, enabled: bool = True) -> None:
        self._db = db
        self._enabled = enabled
        self._trusted = enabled and not db.is_postgresql
        self._by_token: dict[str, Seller] = {}
        self._generation: dict[int, int] = {}
        self._listener: asyncpg.Connection | None = None
        db.tenant_listeners.append(self.forget)

    @property
    def trusted(self) -> bool:
        return self._trusted

    async def start(self) -> None:
        if not (self._enabled and self._db.is_postgresql):
            return
        dsn = self._db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            self._listener = await asyncpg.connect(dsn)
            await self._listener.add_listener(TENANT_CHANNEL, self._on_notify)
            self._listener.add_termination_listener(self._on_lost)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning(
                "tenant change notifications unavailable (%s): credentials are checked on every call", exc
            )
            return
        self._trusted = True

    async def stop(self) -> None:
        self._trusted = False
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()

    def forget(self, seller_id: int) -> None:
        self._generation[seller_id] = self._generation.get(seller_id, 0) + 1
        for token in [t for t, s in self._by_token.items() if s.id == seller_id]:
            del self._by_token[token]

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload.isdigit():
            self.forget(int(payload))

    def _on_lost(self, _conn: Any) -> None:
        log.warning("lost the tenant change listener: credentials are checked on every call from now on")
        self._trusted = False
        self._by_token.clear()

    async def aliexpress(self, token: str | None) -> Seller:
        if not token:
            raise Unauthorized(
                "ErrorCode.Unauthorized", "cannot GetToken: the x-auth-token header is missing"
            )
        if self._trusted and (known := self._by_token.get(token)) is not None:
            return known
        generations = dict(self._generation)
        async with self._db.autocommit() as conn:
            seller = await store.seller_by_aliexpress_token(conn, token)
        if seller is None:
            raise Unauthorized(
                "ErrorCode.Unauthorized", "cannot GetTokenByID: the token is invalid or revoked"
            )
        # A change that committed while we were reading makes what we read possibly stale: don't keep it.
        if self._trusted and self._generation.get(seller.id, 0) == generations.get(seller.id, 0):
            self._by_token[token] = seller
        return seller
