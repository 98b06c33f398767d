"""FBS shipments, FBO supplies and the marking codes sent with them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.lamoda_shipments import Shipment, ShipmentPack, ShipmentPallet, ShipmentStatus
from marketbox.domain.lamoda_supplies import Supply, SupplyItem, SupplyStatus
from marketbox.store.tables import lamoda_marking_codes, lamoda_shipments, lamoda_supplies

SH = lamoda_shipments.c
SU = lamoda_supplies.c
MC = lamoda_marking_codes.c


def _pallets_out(pallets: Sequence[ShipmentPallet]) -> list[dict[str, Any]]:
    return [
        {
            "barcode": p.barcode,
            "packs": [
                {
                    "barcode": k.barcode,
                    "order_id": k.order_id,
                    "item_ids": list(k.item_ids),
                    "without_code": list(k.without_code),
                }
                for k in p.packs
            ],
        }
        for p in pallets
    ]


def _shipment(row: RowMapping) -> Shipment:
    return Shipment(
        id=row["id"],
        seller_id=row["seller_id"],
        status=ShipmentStatus(row["status"]),
        external_id=row["external_id"],
        source=row["source"],
        destination=row["destination"],
        ship_at=row["ship_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        pallets=tuple(
            ShipmentPallet(
                p["barcode"],
                tuple(
                    ShipmentPack(
                        k["barcode"], k["order_id"], tuple(k["item_ids"]), tuple(k.get("without_code", ()))
                    )
                    for k in p["packs"]
                ),
            )
            for p in row["pallets"]
        ),
    )


async def insert_shipment(
    conn: AsyncConnection,
    seller_id: int,
    now: datetime,
    pallets: Sequence[ShipmentPallet],
    *,
    external_id: str | None,
    source: str | None,
    destination: str | None,
    ship_at: datetime | None,
) -> int:
    shipment_id: int = (
        await conn.execute(
            insert(lamoda_shipments)
            .values(
                seller_id=seller_id,
                status=ShipmentStatus.CREATED.value,
                external_id=external_id,
                source=source,
                destination=destination,
                ship_at=ship_at,
                created_at=now,
                updated_at=now,
                pallets=_pallets_out(pallets),
            )
            .returning(SH.id)
        )
    ).scalar_one()
    return shipment_id


async def get_shipment(conn: AsyncConnection, seller_id: int, shipment_id: int) -> Shipment | None:
    row = (
        (await conn.execute(select(lamoda_shipments).where(SH.id == shipment_id, SH.seller_id == seller_id)))
        .mappings()
        .first()
    )
    return _shipment(row) if row else None


async def shipment_page(
    conn: AsyncConnection, seller_id: int, page: int, limit: int
) -> tuple[list[Shipment], int]:
    total = (
        await conn.execute(
            select(func.count()).select_from(lamoda_shipments).where(SH.seller_id == seller_id)
        )
    ).scalar_one()
    rows = await conn.execute(
        select(lamoda_shipments)
        .where(SH.seller_id == seller_id)
        .order_by(SH.id.desc())
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return [_shipment(r) for r in rows.mappings()], int(total)


def _supply_items_out(items: Sequence[SupplyItem]) -> list[dict[str, Any]]:
    return [{name: getattr(item, name) for name in SupplyItem.__dataclass_fields__} for item in items]


def _supply(row: RowMapping) -> Supply:
    return Supply(
        id=row["id"],
        seller_id=row["seller_id"],
        code=row["code"],
        status=SupplyStatus(row["status"]),
        supply_date=row["supply_date"],
        document_number=row["document_number"],
        pallets=tuple(row["pallets"]),
        items=tuple(SupplyItem(**item) for item in row["items"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        reject_reason=row["reject_reason"],
        history=tuple((datetime.fromisoformat(at), status) for at, status in row["history"]),
    )


async def insert_supply(
    conn: AsyncConnection,
    seller_id: int,
    code: str | None,
    supply_date: date,
    document_number: str | None,
    pallets: Sequence[str],
    items: Sequence[SupplyItem],
    now: datetime,
) -> int:
    supply_id: int = (
        await conn.execute(
            insert(lamoda_supplies)
            .values(
                seller_id=seller_id,
                code=code or f"pending-{now.timestamp()}",
                status=SupplyStatus.VALIDATION.value,
                supply_date=supply_date,
                document_number=document_number,
                pallets=list(pallets),
                items=_supply_items_out(items),
                reject_reason=None,
                history=[[now.isoformat(), SupplyStatus.VALIDATION.value]],
                created_at=now,
                updated_at=now,
            )
            .returning(SU.id)
        )
    ).scalar_one()
    if code is None:
        await conn.execute(update(lamoda_supplies).where(SU.id == supply_id).values(code=f"FBO-{supply_id}"))
    return supply_id


async def save_supply(conn: AsyncConnection, supply: Supply) -> None:
    await conn.execute(
        update(lamoda_supplies)
        .where(SU.id == supply.id)
        .values(
            status=supply.status.value,
            items=_supply_items_out(supply.items),
            reject_reason=supply.reject_reason,
            history=[[at.isoformat(), status] for at, status in supply.history],
            updated_at=supply.updated_at,
        )
    )


async def get_supply(conn: AsyncConnection, seller_id: int, code: str) -> Supply | None:
    row = (
        (await conn.execute(select(lamoda_supplies).where(SU.seller_id == seller_id, SU.code == code)))
        .mappings()
        .first()
    )
    return _supply(row) if row else None


async def get_supply_by_id(conn: AsyncConnection, seller_id: int, supply_id: int) -> Supply | None:
    row = (
        (await conn.execute(select(lamoda_supplies).where(SU.seller_id == seller_id, SU.id == supply_id)))
        .mappings()
        .first()
    )
    return _supply(row) if row else None


async def supply_page(
    conn: AsyncConnection,
    seller_id: int,
    page: int,
    limit: int,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[Supply], int]:
    where = [SU.seller_id == seller_id]
    if date_from is not None:
        where.append(SU.supply_date >= date_from)
    if date_to is not None:
        where.append(SU.supply_date <= date_to)
    total = (await conn.execute(select(func.count()).select_from(lamoda_supplies).where(*where))).scalar_one()
    rows = await conn.execute(
        select(lamoda_supplies).where(*where).order_by(SU.id.desc()).offset((page - 1) * limit).limit(limit)
    )
    return [_supply(r) for r in rows.mappings()], int(total)


async def used_codes(conn: AsyncConnection, seller_id: int, codes: Sequence[str]) -> set[str]:
    if not codes:
        return set()
    query = select(MC.code).where(MC.seller_id == seller_id, MC.code.in_(list(codes)))
    return set((await conn.execute(query)).scalars().all())


async def insert_codes(
    conn: AsyncConnection,
    seller_id: int,
    codes: Sequence[tuple[str, str]],  # (code, sku)
    now: datetime,
    *,
    order_item_ids: Sequence[int] | None = None,
    supply_id: int | None = None,
) -> None:
    if not codes:
        return
    await conn.execute(
        insert(lamoda_marking_codes),
        [
            {
                "code": code,
                "seller_id": seller_id,
                "order_item_id": order_item_ids[i] if order_item_ids else None,
                "supply_id": supply_id,
                "sku": sku,
                "created_at": now,
            }
            for i, (code, sku) in enumerate(codes)
        ],
    )


async def codes_of_items(conn: AsyncConnection, seller_id: int, item_ids: Sequence[int]) -> dict[int, str]:
    """The marking code sent for each of these order items (items without one are left out)."""
    if not item_ids:
        return {}
    rows = await conn.execute(
        select(MC.order_item_id, MC.code).where(
            MC.seller_id == seller_id, MC.order_item_id.in_(list(item_ids))
        )
    )
    return {int(item_id): str(code) for item_id, code in rows.all()}
