"""What automatic progression looks for: the tenants that use it, and each chain's next due step."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.lamoda_shipments import ShipmentStatus
from marketbox.domain.logistic_orders import LogisticStatus
from marketbox.domain.progression import Progression
from marketbox.store.tables import (
    lamoda_order_items,
    lamoda_orders,
    lamoda_shipments,
    lamoda_supplies,
    logistic_orders,
    sellers,
)

LO = logistic_orders.c
SH = lamoda_shipments.c
IT = lamoda_order_items.c
OR = lamoda_orders.c
SU = lamoda_supplies.c


async def mode_of(conn: AsyncConnection, seller_id: int) -> Progression | None:
    found = (await conn.execute(select(sellers.c.progression).where(sellers.c.id == seller_id))).scalar()
    return Progression(found) if found is not None else None


async def set_mode(conn: AsyncConnection, seller_id: int, mode: Progression) -> None:
    await conn.execute(update(sellers).where(sellers.c.id == seller_id).values(progression=mode.value))


async def automatic_tenants(conn: AsyncConnection) -> list[int]:
    query = select(sellers.c.id).where(sellers.c.progression != Progression.MANUAL.value)
    return list((await conn.execute(query)).scalars().all())


async def parcels_on_the_way(
    conn: AsyncConnection, seller_id: int, statuses: Sequence[LogisticStatus]
) -> list[tuple[int, str, datetime]]:
    """(id, status, created) of the tenant's live parcels in `statuses` with no problem reported."""
    query = select(LO.id, LO.status, LO.gmt_create).where(
        LO.seller_id == seller_id,
        LO.status.in_([s.value for s in statuses]),
        LO.problem_state.is_(None),
        LO.deleted_at.is_(None),
    )
    return [(i, s, c) for i, s, c in (await conn.execute(query.order_by(LO.id))).all()]


async def shipments_created(conn: AsyncConnection, seller_id: int) -> list[tuple[int, datetime]]:
    query = select(SH.id, SH.created_at).where(
        SH.seller_id == seller_id, SH.status == ShipmentStatus.CREATED.value
    )
    return [(i, c) for i, c in (await conn.execute(query.order_by(SH.id))).all()]


async def shipped_items(
    conn: AsyncConnection, seller_id: int, statuses: Sequence[str]
) -> list[tuple[str, int, str, datetime]]:
    """(order number, item id, status, its shipment's creation) of FBS items on their way."""
    query = (
        select(OR.order_nr, IT.id, IT.status, SH.created_at)
        .join(lamoda_orders, OR.id == IT.order_id)
        .join(lamoda_shipments, SH.id == IT.shipment_id)
        .where(IT.seller_id == seller_id, IT.status.in_(statuses))
    )
    return [(n, i, s, c) for n, i, s, c in (await conn.execute(query.order_by(IT.id))).all()]


async def supplies_in(
    conn: AsyncConnection, seller_id: int, statuses: Sequence[str]
) -> list[tuple[str, str, datetime]]:
    query = select(SU.code, SU.status, SU.created_at).where(
        SU.seller_id == seller_id, SU.status.in_(statuses)
    )
    return [(c, s, t) for c, s, t in (await conn.execute(query.order_by(SU.id))).all()]
