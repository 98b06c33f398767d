"""Lamoda orders, their items and pack numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.lamoda_orders import (
    FulfillmentType,
    ItemStatus,
    Order,
    OrderItem,
    StatusEvent,
    order_nr_for,
    status_without_returns,
)
from marketbox.store.tables import (
    LAMODA_ORDER_ID_START,
    lamoda_containers,
    lamoda_order_items,
    lamoda_orders,
)

OC = lamoda_orders.c
IC = lamoda_order_items.c


def _event_out(e: StatusEvent) -> dict[str, Any]:
    return {"at": e.at.isoformat(), "status": e.status, "item_id": e.item_id, "reason": e.reason}


def _event_in(raw: dict[str, Any]) -> StatusEvent:
    return StatusEvent(datetime.fromisoformat(raw["at"]), raw["status"], raw["item_id"], raw["reason"])


def _item(row: RowMapping) -> OrderItem:
    return OrderItem(
        id=row["id"],
        order_id=row["order_id"],
        sku=row["sku"],
        external_sku=row["external_sku"],
        name=row["name"],
        brand=row["brand"],
        size=row["size"],
        color=row["color"],
        price=row["price"],
        paid_price=row["paid_price"],
        status=ItemStatus(row["status"]),
        status_reason=row["status_reason"],
        marking_required=row["marking_required"],
        pack_index=row["pack_index"],
        shipment_id=row["shipment_id"],
        updated_at=row["updated_at"],
    )


def _order(row: RowMapping, items: Sequence[OrderItem]) -> Order:
    return Order(
        id=row["id"],
        seller_id=row["seller_id"],
        order_nr=row["order_nr"],
        fulfillment_type=FulfillmentType(row["fulfillment_type"]),
        status=row["status"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        cut_off=row["cut_off"],
        details=dict(row["details"]),
        history=tuple(_event_in(e) for e in row["history"]),
        items=tuple(items),
        pack_numbers=tuple(row["pack_numbers"]),
        sequence_number=row["sequence_number"],
    )


@dataclass(frozen=True)
class NewItem:
    sku: str
    external_sku: str
    name: str
    brand: str
    size: str
    color: str
    price: int
    paid_price: int
    marking_required: bool


async def insert_order(
    conn: AsyncConnection,
    seller_id: int,
    fulfillment_type: FulfillmentType,
    status: ItemStatus,
    now: datetime,
    cut_off: datetime | None,
    details: dict[str, Any],
    items: Sequence[NewItem],
    *,
    order_nr: str | None = None,
) -> int:
    """A new order and its items; numbered from its id unless the seller gave the number."""
    history = [_event_out(StatusEvent(now, status.value))]
    order_id: int = (
        await conn.execute(
            insert(lamoda_orders)
            .values(
                seller_id=seller_id,
                order_nr=order_nr or f"pending-{now.timestamp()}-{seller_id}",
                fulfillment_type=fulfillment_type.value,
                status=status.value,
                v1_status=status.value,
                created_at=now,
                updated_at=now,
                cut_off=cut_off,
                details=details,
                history=history,
                pack_numbers=[],
                sequence_number=1,
            )
            .returning(OC.id)
        )
    ).scalar_one()
    if order_nr is None:
        await conn.execute(
            update(lamoda_orders)
            .where(OC.id == order_id)
            .values(order_nr=order_nr_for(order_id, now, LAMODA_ORDER_ID_START))
        )
    await insert_items(conn, seller_id, order_id, status, now, items)
    return order_id


async def insert_items(
    conn: AsyncConnection,
    seller_id: int,
    order_id: int,
    status: ItemStatus,
    now: datetime,
    items: Sequence[NewItem],
) -> None:
    await conn.execute(
        insert(lamoda_order_items),
        [
            {
                "order_id": order_id,
                "seller_id": seller_id,
                "sku": it.sku,
                "external_sku": it.external_sku,
                "name": it.name,
                "brand": it.brand,
                "size": it.size,
                "color": it.color,
                "price": it.price,
                "paid_price": it.paid_price,
                "status": status.value,
                "status_reason": None,
                "marking_required": it.marking_required,
                "pack_index": None,
                "shipment_id": None,
                "updated_at": now,
            }
            for it in items
        ],
    )


async def order_nr_taken(conn: AsyncConnection, order_nr: str) -> bool:
    """Whether any seller's order has this number (numbers are unique everywhere: public tracking)."""
    found = await conn.execute(select(OC.id).where(OC.order_nr == order_nr).limit(1))
    return found.first() is not None


async def save_details(conn: AsyncConnection, order_id: int, details: dict[str, Any], now: datetime) -> None:
    """The order's customer, delivery and payment details changed (no status moved)."""
    await conn.execute(update(lamoda_orders).where(OC.id == order_id).values(details=details, updated_at=now))


async def _with_items(conn: AsyncConnection, rows: Sequence[RowMapping]) -> list[Order]:
    if not rows:
        return []
    by_order: dict[int, list[OrderItem]] = {row["id"]: [] for row in rows}
    item_rows = await conn.execute(
        select(lamoda_order_items).where(IC.order_id.in_(list(by_order))).order_by(IC.id)
    )
    for item_row in item_rows.mappings():
        by_order[item_row["order_id"]].append(_item(item_row))
    return [_order(row, by_order[row["id"]]) for row in rows]


async def get_order(conn: AsyncConnection, seller_id: int, key: str | int) -> Order | None:
    """An order of the seller by its id or its number (`RU…`); None for anyone else's."""
    query = select(lamoda_orders).where(OC.seller_id == seller_id)
    query = query.where(OC.id == key) if isinstance(key, int) else query.where(OC.order_nr == key)
    rows = (await conn.execute(query)).mappings().all()
    orders = await _with_items(conn, rows)
    return orders[0] if orders else None


async def get_orders(conn: AsyncConnection, seller_id: int, order_ids: Iterable[int]) -> list[Order]:
    ids = list(set(order_ids))
    if not ids:
        return []
    query = select(lamoda_orders).where(OC.seller_id == seller_id, OC.id.in_(ids))
    return await _with_items(conn, (await conn.execute(query)).mappings().all())


async def get_order_any_seller(conn: AsyncConnection, order_nr: str) -> Order | None:
    rows = (await conn.execute(select(lamoda_orders).where(OC.order_nr == order_nr))).mappings().all()
    orders = await _with_items(conn, rows)
    return orders[0] if orders else None


async def orders_of_items(conn: AsyncConnection, seller_id: int, item_ids: Iterable[int]) -> dict[int, Order]:
    """The seller's orders holding these items, by item id (items of other sellers are left out)."""
    ids = list(set(item_ids))
    if not ids:
        return {}
    order_ids = (
        (await conn.execute(select(IC.order_id).where(IC.id.in_(ids), IC.seller_id == seller_id).distinct()))
        .scalars()
        .all()
    )
    rows = (await conn.execute(select(lamoda_orders).where(OC.id.in_(order_ids)))).mappings().all()
    result: dict[int, Order] = {}
    for order in await _with_items(conn, rows):
        for item in order.items:
            if item.id in ids:
                result[item.id] = order
    return result


@dataclass(frozen=True)
class OrderQuery:
    seller_id: int
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    statuses: tuple[str, ...] = ()
    returns_hidden: bool = False  # filter statuses as v1 shows them from 2026-03-03 on
    fulfillment_type: FulfillmentType | None = None
    sort: str = "id"  # id | createdAt | updatedAt, "-" prefix for descending
    page: int = 1
    limit: int = 20


def _filtered(query: OrderQuery, base: Select[Any]) -> Select[Any]:
    q = base.where(OC.seller_id == query.seller_id)
    if query.created_from is not None:
        q = q.where(OC.created_at >= query.created_from)
    if query.created_to is not None:
        q = q.where(OC.created_at <= query.created_to)
    if query.updated_from is not None:
        q = q.where(OC.updated_at >= query.updated_from)
    if query.updated_to is not None:
        q = q.where(OC.updated_at <= query.updated_to)
    if query.statuses:
        column = OC.v1_status if query.returns_hidden else OC.status
        q = q.where(column.in_(query.statuses))
    if query.fulfillment_type is not None:
        q = q.where(OC.fulfillment_type == query.fulfillment_type.value)
    return q


_SORT_COLUMNS = {"id": OC.id, "createdAt": OC.created_at, "updatedAt": OC.updated_at}


async def list_orders(conn: AsyncConnection, query: OrderQuery) -> tuple[list[Order], int]:
    total = (
        await conn.execute(_filtered(query, select(func.count()).select_from(lamoda_orders)))
    ).scalar_one()
    column = _SORT_COLUMNS[query.sort.lstrip("-")]
    descending = query.sort.startswith("-")
    order_by = [column.desc(), OC.id.desc()] if descending else [column.asc(), OC.id.asc()]
    rows = (
        (
            await conn.execute(
                _filtered(query, select(lamoda_orders))
                .order_by(*order_by)
                .offset((query.page - 1) * query.limit)
                .limit(query.limit)
            )
        )
        .mappings()
        .all()
    )
    return await _with_items(conn, rows), int(total)


async def save_order(conn: AsyncConnection, before: Order, after: Order) -> None:
    """Write an order's new status, history and items that changed."""
    await conn.execute(
        update(lamoda_orders)
        .where(OC.id == after.id)
        .values(
            status=after.status,
            v1_status=status_without_returns(after),
            updated_at=after.updated_at,
            history=[_event_out(e) for e in after.history],
            pack_numbers=list(after.pack_numbers),
            sequence_number=after.sequence_number,
        )
    )
    old = {i.id: i for i in before.items}
    for item in after.items:
        if old.get(item.id) == item:
            continue
        await conn.execute(
            update(lamoda_order_items)
            .where(IC.id == item.id)
            .values(
                status=item.status.value,
                status_reason=item.status_reason,
                pack_index=item.pack_index,
                shipment_id=item.shipment_id,
                updated_at=item.updated_at,
            )
        )


async def insert_containers(
    conn: AsyncConnection,
    seller_id: int,
    kind: str,
    barcodes: Sequence[str],
    now: datetime,
    *,
    order_id: int | None = None,
    shipment_id: int | None = None,
) -> None:
    if barcodes:
        await conn.execute(
            insert(lamoda_containers),
            [
                {
                    "barcode": b,
                    "seller_id": seller_id,
                    "kind": kind,
                    "order_id": order_id,
                    "shipment_id": shipment_id,
                    "created_at": now,
                }
                for b in barcodes
            ],
        )


@dataclass(frozen=True)
class Container:
    barcode: str
    seller_id: int
    kind: str
    order_id: int | None
    shipment_id: int | None


async def get_containers(
    conn: AsyncConnection, seller_id: int, barcodes: Iterable[str]
) -> dict[str, Container]:
    """The seller's packs and pallets by barcode."""
    wanted = list(set(barcodes))
    if not wanted:
        return {}
    c = lamoda_containers.c
    query = select(lamoda_containers).where(c.seller_id == seller_id, c.barcode.in_(wanted))
    rows = (await conn.execute(query)).mappings()
    return {
        r["barcode"]: Container(r["barcode"], r["seller_id"], r["kind"], r["order_id"], r["shipment_id"])
        for r in rows
    }


async def get_pack(conn: AsyncConnection, barcode: str) -> Container | None:
    """A pack of any seller (pack numbers are unique everywhere): for public tracking."""
    c = lamoda_containers.c
    row = (
        (await conn.execute(select(lamoda_containers).where(c.barcode == barcode, c.kind == "pack")))
        .mappings()
        .first()
    )
    if row is None:
        return None
    return Container(row["barcode"], row["seller_id"], row["kind"], row["order_id"], row["shipment_id"])


async def set_container_shipment(
    conn: AsyncConnection, seller_id: int, barcodes: Sequence[str], shipment_id: int
) -> None:
    c = lamoda_containers.c
    await conn.execute(
        update(lamoda_containers)
        .where(c.seller_id == seller_id, c.barcode.in_(barcodes))
        .values(shipment_id=shipment_id)
    )
