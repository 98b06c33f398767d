"""What the sandbox's Lamoda world events write beyond orders and returns: shipment status, unit codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.lamoda_shipments import Shipment
from marketbox.domain.lamoda_supplies import SupplyStatus
from marketbox.store.tables import lamoda_marking_codes, lamoda_shipments, lamoda_supplies

SH = lamoda_shipments.c
SU = lamoda_supplies.c
MC = lamoda_marking_codes.c


async def save_shipment_status(conn: AsyncConnection, shipment: Shipment) -> None:
    await conn.execute(
        update(lamoda_shipments)
        .where(SH.id == shipment.id)
        .values(status=shipment.status.value, updated_at=shipment.updated_at)
    )


@dataclass(frozen=True)
class KnownCode:
    code: str
    sku: str
    order_item_id: int | None
    supply_id: int | None


async def known_codes(conn: AsyncConnection, seller_id: int, codes: Sequence[str]) -> dict[str, KnownCode]:
    """The seller's codes among these, with the unit (order item) or supply each was sent for."""
    if not codes:
        return {}
    rows = await conn.execute(
        select(MC.code, MC.sku, MC.order_item_id, MC.supply_id).where(
            MC.seller_id == seller_id, MC.code.in_(list(codes))
        )
    )
    return {r.code: KnownCode(r.code, r.sku, r.order_item_id, r.supply_id) for r in rows}


async def free_supply_codes(conn: AsyncConnection, seller_id: int, sku: str, limit: int) -> list[str]:
    """Codes the seller sent with accepted supplies of this SKU that no order item has taken yet."""
    rows = await conn.execute(
        select(MC.code)
        .join(lamoda_supplies, SU.id == MC.supply_id)
        .where(
            MC.seller_id == seller_id,
            MC.sku == sku,
            MC.order_item_id.is_(None),
            SU.status == SupplyStatus.ACCEPTED.value,
        )
        .order_by(MC.created_at, MC.code)
        .limit(limit)
    )
    return [str(code) for code in rows.scalars()]


async def attach_code(conn: AsyncConnection, seller_id: int, code: str, order_item_id: int) -> None:
    await conn.execute(
        update(lamoda_marking_codes)
        .where(MC.seller_id == seller_id, MC.code == code)
        .values(order_item_id=order_item_id)
    )
