"""Automatic progression: a tenant that asks for it sees the world carry its parcels, shipments and
supplies on by itself (at once, or on realistic durations of its clock), through the same world
events the sandbox offers one by one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import DomainError, InvalidInput
from marketbox.domain.lamoda_orders import ItemStatus as S
from marketbox.domain.lamoda_supplies import SupplyStatus
from marketbox.domain.logistic_moves import IN_TRANSIT, CarrierEvent, CarrierMove
from marketbox.domain.logistic_orders import LogisticStatus
from marketbox.domain.progression import Progression, Timetable, timetable
from marketbox.services import aliexpress_world, lamoda_orders, lamoda_supplies, lamoda_world
from marketbox.services.tenants import tenant_seller
from marketbox.store import progression as store
from marketbox.store.database import Database

log = logging.getLogger(__name__)
MAX_PASSES = 30  # a chain is at most a dozen steps; each pass takes every chain one step
SUPPLY_CHAIN = (SupplyStatus.VALIDATION, SupplyStatus.SEND, SupplyStatus.ON_ACCEPTANCE, SupplyStatus.ACCEPTED)
Step = Callable[[], Awaitable[object]]


def parse_mode(mode: str) -> Progression:
    try:
        return Progression(mode)
    except ValueError:
        raise InvalidInput(
            "invalid_mode",
            f"mode must be one of: {', '.join(m.value for m in Progression)}",
            {"field": "mode"},
        ) from None


async def set_mode(db: Database, seller_id: int, mode: Progression) -> Progression:
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        await store.set_mode(conn, seller_id, mode)
    await progress(db, seller_id)
    return mode


async def mode_of(db: Database, seller_id: int) -> Progression:
    async with db.read() as conn:
        await tenant_seller(conn, seller_id)
        mode = await store.mode_of(conn, seller_id)
    return mode or Progression.MANUAL


async def progress(db: Database, seller_id: int) -> int:
    """Take every due step of the tenant's chains; returns how many were taken."""
    taken = 0
    for _ in range(MAX_PASSES):
        async with db.read() as conn:
            seller = await tenant_seller(conn, seller_id)
            table = timetable(await store.mode_of(conn, seller_id) or Progression.MANUAL)
            steps = [] if table is None else await _due_steps(conn, db, seller_id, table, seller.clock.now())
        if not steps:
            break
        for step in steps:
            try:
                await step()
                taken += 1
            except DomainError as exc:  # the seller (or serve's own loop) moved it first: look again
                log.debug("progression of tenant %s: step skipped (%s)", seller_id, exc.message)
    return taken


async def _due_steps(
    conn: AsyncConnection, db: Database, seller_id: int, table: Timetable, now: datetime
) -> list[Step]:
    """One world event (in its own transaction, as the sandbox route runs it) per chain whose next
    step is due; the timetable counts from the chain's start, so a long clock jump plays it out."""
    steps: list[Step] = []
    for lo_id, status, created in await store.parcels_on_the_way(conn, seller_id, IN_TRANSIT):
        scan = IN_TRANSIT.index(LogisticStatus(status))
        if now >= created + table.first_scan + table.scan * scan:
            event = CarrierEvent.IN_TRANSIT if scan < len(IN_TRANSIT) - 1 else CarrierEvent.DELIVERED
            steps.append(partial(aliexpress_world.carrier_event, db, seller_id, lo_id, CarrierMove(event)))
    for shipment_id, created in await store.shipments_created(conn, seller_id):
        if now >= created + table.courier:
            steps.append(partial(lamoda_world.receive_shipment, db, seller_id, shipment_id))
    moving = (S.SHIPPED.value, S.IN_DELIVERY.value)
    for order_nr, item_id, status, created in await store.shipped_items(conn, seller_id, moving):
        if status == S.SHIPPED and now >= created + table.courier + table.in_delivery:
            steps.append(
                partial(lamoda_orders.world_move, db, seller_id, order_nr, item_id, S.IN_DELIVERY, None)
            )
        elif status == S.IN_DELIVERY and now >= created + table.courier + table.delivered:
            steps.append(
                partial(lamoda_orders.world_move, db, seller_id, order_nr, item_id, S.DELIVERED, None)
            )
    waiting = [s.value for s in SUPPLY_CHAIN[:-1]]
    for code, status, created in await store.supplies_in(conn, seller_id, waiting):
        position = SUPPLY_CHAIN.index(SupplyStatus(status))
        if now >= created + table.supply_step * (position + 1):
            next_status = SUPPLY_CHAIN[position + 1].value
            steps.append(partial(lamoda_supplies.world_move, db, seller_id, code, next_status, None, None))
    return steps


async def run_until(db: Database, stop: asyncio.Event, interval: float = 1.0) -> None:
    """`serve`'s loop: every `interval`, progress every tenant that is not manual."""
    while not stop.is_set():
        try:
            async with db.read() as conn:
                tenants = await store.automatic_tenants(conn)
            for seller_id in tenants:
                await progress(db, seller_id)
        except Exception:  # the database went away, say: keep the loop alive
            log.exception("automatic progression failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
