"""Fault rules of a tenant (sandbox), and which fault a marketplace call of a tenant gets."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from marketbox.domain.errors import InvalidInput, NotFound
from marketbox.domain.faults import MAX_RULES, Action, Fault, FaultRule, FaultSpec, candidates
from marketbox.domain.sellers import Seller
from marketbox.services.tenants import tenant_seller
from marketbox.store import faults as store
from marketbox.store.database import Database

MAX_TENANTS_REMEMBERED = 10_000


async def add_rule(db: Database, seller_id: int, spec: FaultSpec) -> FaultRule:
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        if await store.count_rules(conn, seller_id) >= MAX_RULES:
            raise InvalidInput(
                "TooManyFaults", f"at most {MAX_RULES} fault rules per tenant: delete some first"
            )
        return await store.insert_rule(conn, seller_id, spec, seller.clock.now())


async def rules(db: Database, seller_id: int) -> list[FaultRule]:
    async with db.read() as conn:
        await tenant_seller(conn, seller_id)
        return await store.rules_of(conn, seller_id)


async def remove_rule(db: Database, seller_id: int, rule_id: int) -> None:
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        if not await store.delete_rule(conn, seller_id, rule_id):
            raise NotFound("FaultNotFound", f"fault rule {rule_id} not found")


async def clear_rules(db: Database, seller_id: int) -> int:
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        return await store.delete_rules(conn, seller_id)


@dataclass
class _Known:
    created_at: datetime
    version: int  # the tenant's data version the rules were read at
    rules: list[FaultRule]  # live ones: a rule seen spent is dropped at once


class FaultInjector:
    """Decides which fault a tenant's marketplace call gets.

    Every change of a tenant's rules goes through `tenant_write`, which bumps the tenant's data
    version, and the seller a dialect identifies carries the version it has seen (fresh from the
    database, or from a TenantDirectory that drops a tenant whenever it changes, in any process). So
    this process keeps each tenant's rules under the version they were read at, and a call of a
    tenant whose version is unchanged costs no query: nothing at all when no rule matches. Only a
    fault that fires writes (its hit, and for a counted rule the atomic decrement that decides it).
    """

    def __init__(self, db: Database, *, chance: Callable[[], float] = random.random) -> None:
        self._db = db
        self._chance = chance
        self._known: dict[int, _Known] = {}

    async def fault_for(self, seller: Seller, method: str, path: str) -> Fault | None:
        known = self._known.get(seller.id)
        if known is None or known.version != seller.revision or known.created_at != seller.created_at:
            known = await self._load(seller)
        if not known.rules:
            return None
        firing = candidates(known.rules, method, path, self._chance)
        return await self._spend(known, firing) if firing else None

    async def _load(self, seller: Seller) -> _Known:
        async with self._db.autocommit() as conn:
            found = await store.live_rules(conn, seller.id)
        if found is None:  # deleted meanwhile: its call fails on its own
            return _Known(seller.created_at, seller.revision, [])
        known = _Known(seller.created_at, found[0], found[1])
        self._known.pop(seller.id, None)
        if len(self._known) >= MAX_TENANTS_REMEMBERED:
            del self._known[next(iter(self._known))]  # the tenant loaded longest ago
        self._known[seller.id] = known
        return known

    async def _spend(self, known: _Known, firing: list[FaultRule]) -> Fault | None:
        """Latency rules that fire add up; the first error rule that fires answers, and ends the check."""
        latency_ms = 0
        error = None
        async with self._db.write() as conn:
            for rule in firing:
                fired, remaining = await store.spend(conn, rule.id)
                if not fired or remaining == 0:
                    known.rules = [r for r in known.rules if r.id != rule.id]
                if not fired:
                    continue
                if rule.spec.action is Action.LATENCY:
                    latency_ms += rule.spec.latency_ms or 0
                else:
                    error = rule
                    break
        if not latency_ms and error is None:
            return None
        return Fault(latency_ms, error)
