"""Tenants (sellers): creation, removal, authentication and their clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.clock import TenantClock, utc_now
from marketbox.domain.errors import InvalidInput, NotFound
from marketbox.domain.marking_codes import MarkingPolicy
from marketbox.domain.sellers import Seller, SellerCredentials
from marketbox.store import sellers as store
from marketbox.store import webhooks as webhook_store
from marketbox.store.database import Database

LATEST_YEAR = 9000  # well inside what dates and the databases can hold
EARLIEST_YEAR = 2000


async def create_tenant(
    db: Database,
    name: str,
    *,
    seller_id: int | None = None,
    credentials: SellerCredentials | None = None,
    start: datetime | None = None,
) -> tuple[Seller, SellerCredentials]:
    """A new seller; `start` sets the moment its clock shows now (earlier or later than real time)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("InvalidName", "name must be 1 to 200 characters", {"field": "name"})
    credentials = credentials or SellerCredentials.generate()
    if start is not None and not EARLIEST_YEAR <= start.year < LATEST_YEAR:
        raise InvalidInput(
            "ClockTooFar", f"the clock must start between {EARLIEST_YEAR} and {LATEST_YEAR}", {"field": "now"}
        )
    async with db.write() as conn:
        real_now = utc_now()
        seller = await store.insert_seller(conn, name, start or real_now, credentials, seller_id)
        if start is not None:
            await store.set_clock(conn, seller.id, TenantClock(start - real_now))
            started = await store.get_seller(conn, seller.id)
            assert started is not None
            seller = started
    return seller, credentials


async def tenant_seller(conn: AsyncConnection, seller_id: int) -> Seller:
    """The seller a sandbox call names, in the caller's transaction; NotFound when there is none."""
    seller = await store.get_seller(conn, seller_id)
    if seller is None:
        raise NotFound("TenantNotFound", f"tenant {seller_id} not found")
    return seller


async def get_tenant(db: Database, seller_id: int) -> tuple[Seller, SellerCredentials]:
    async with db.read() as conn:
        seller = await store.get_seller(conn, seller_id)
        credentials = await store.credentials_of(conn, seller_id)
    if seller is None or credentials is None:
        raise NotFound("TenantNotFound", f"tenant {seller_id} not found")
    return seller, credentials


async def list_tenants(db: Database) -> list[tuple[Seller, SellerCredentials]]:
    async with db.read() as conn:
        return await store.list_sellers(conn)


async def delete_tenant(db: Database, seller_id: int) -> None:
    async with db.tenant_write(seller_id) as conn:
        if not await store.delete_seller(conn, seller_id):
            raise NotFound("TenantNotFound", f"tenant {seller_id} not found")


async def advance_clock(db: Database, seller_id: int, seconds: float) -> TenantClock:
    if seconds < 0:
        raise InvalidInput(
            "ClockGoesForward", "the clock only moves forward: seconds must be >= 0", {"field": "seconds"}
        )
    return await _move_clock(db, seller_id, lambda clock: clock.advanced(seconds), "seconds")


async def set_clock(db: Database, seller_id: int, to: datetime) -> TenantClock:
    """Jump to `to` (forward only: what happened stays in the past)."""

    def jumped(clock: TenantClock) -> TenantClock:
        step = (to - clock.now()).total_seconds()
        if step < 0:
            raise InvalidInput(
                "ClockGoesForward",
                f"the clock only moves forward: it shows {clock.now().isoformat()} already",
                {"field": "now"},
            )
        return clock.advanced(step)

    return await _move_clock(db, seller_id, jumped, "now")


async def freeze_clock(db: Database, seller_id: int) -> TenantClock:
    """Stop the tenant's time: timestamps, token expiry and webhook retries wait until it moves."""
    return await _move_clock(db, seller_id, TenantClock.stopped, "now")


async def resume_clock(db: Database, seller_id: int) -> TenantClock:
    return await _move_clock(db, seller_id, TenantClock.resumed, "now")


async def _move_clock(
    db: Database, seller_id: int, move: Callable[[TenantClock], TenantClock], field: str
) -> TenantClock:
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        clock = move(seller.clock)
        if clock.now().year >= LATEST_YEAR:
            raise InvalidInput(
                "ClockTooFar", f"the clock cannot pass the year {LATEST_YEAR}", {"field": field}
            )
        await store.set_clock(conn, seller_id, clock)
        # Deliveries wait in real time: a running clock's jump brings them forward as much; a stopped
        # clock's jump moves the instant they compare with instead (TenantClock.real_now).
        await webhook_store.shift_due(conn, seller_id, (clock.offset - seller.clock.offset).total_seconds())
    return clock


async def read_clock(db: Database, seller_id: int) -> TenantClock:
    seller, _ = await get_tenant(db, seller_id)
    return seller.clock


async def marking_of(db: Database, seller_id: int) -> MarkingPolicy:
    async with db.read() as conn:
        await tenant_seller(conn, seller_id)
        policy = await store.marking_of(conn, seller_id)
    return policy or MarkingPolicy.LENIENT


async def set_marking(db: Database, seller_id: int, policy: MarkingPolicy) -> MarkingPolicy:
    """Whether the tenant's marked items may ship (FBS) without their DataMatrix code from now on."""
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        await store.set_marking(conn, seller_id, policy)
    return policy
