"""Trade orders and their lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.trade_orders import (
    AntifraudStatus,
    DeliveryStatus,
    DisplayStatus,
    PaymentStatus,
    ReceiverAddress,
    SortOrder,
    TradeOrder,
    TradeOrderLine,
    TradeOrderQuery,
    TradeOrderStatus,
)
from marketbox.store.tables import logistic_orders, trade_order_lines, trade_orders


def _line(row: RowMapping) -> TradeOrderLine:
    return TradeOrderLine(
        id=row["id"],
        sku_id=row["sku_id"],
        item_id=row["item_id"],
        name=row["name"],
        item_price=row["item_price"],
        currency=row["currency"],
        quantity=row["quantity"],
        img_url=row["img_url"],
        properties=tuple(row["properties"]),
        marking_required=row["marking_required"],
        jewelry=row["jewelry"],
        product_source_id=row["product_source_id"],
        sku_code=row["sku_code"],
        buyer_comment=row["buyer_comment"],
    )


def _order(row: RowMapping, lines: Sequence[TradeOrderLine]) -> TradeOrder:
    return TradeOrder(
        id=row["id"],
        seller_id=row["seller_id"],
        status=TradeOrderStatus(row["status"]),
        payment_status=PaymentStatus(row["payment_status"]),
        delivery_status=DeliveryStatus(row["delivery_status"]),
        antifraud_status=AntifraudStatus(row["antifraud_status"]),
        display_status=DisplayStatus(row["display_status"]),
        buyer_name=row["buyer_name"],
        buyer_phone=row["buyer_phone"],
        buyer_country_code=row["buyer_country_code"],
        receiver_address=ReceiverAddress(**row["receiver_address"]),
        created_at=row["created_at"],
        paid_at=row["paid_at"],
        updated_at=row["updated_at"],
        cut_off_date=row["cut_off_date"],
        shipping_deadline=row["shipping_deadline"],
        lines=tuple(lines),
        trade_order_source=row["trade_order_source"],
        finish_reason=row["finish_reason"],
    )


def order_row(order: TradeOrder) -> dict[str, Any]:
    return {
        "seller_id": order.seller_id,
        "status": order.status.value,
        "payment_status": order.payment_status.value,
        "delivery_status": order.delivery_status.value,
        "antifraud_status": order.antifraud_status.value,
        "display_status": order.display_status.value,
        "buyer_name": order.buyer_name,
        "buyer_phone": order.buyer_phone,
        "buyer_country_code": order.buyer_country_code,
        "receiver_address": asdict(order.receiver_address),
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "updated_at": order.updated_at,
        "cut_off_date": order.cut_off_date,
        "shipping_deadline": order.shipping_deadline,
        "total_amount": order.total_amount,
        "trade_order_source": order.trade_order_source,
        "finish_reason": order.finish_reason,
    }


def line_row(order_id: int, line: TradeOrderLine) -> dict[str, Any]:
    return {
        "trade_order_id": order_id,
        "sku_id": line.sku_id,
        "product_source_id": line.product_source_id,
        "item_id": line.item_id,
        "name": line.name,
        "item_price": line.item_price,
        "currency": line.currency,
        "quantity": line.quantity,
        "img_url": line.img_url,
        "properties": list(line.properties),
        "marking_required": line.marking_required,
        "jewelry": line.jewelry,
        "sku_code": line.sku_code,
        "buyer_comment": line.buyer_comment,
    }


async def insert_trade_order(conn: AsyncConnection, order: TradeOrder, *, explicit_id: bool = False) -> int:
    values = order_row(order)
    if explicit_id:
        values["id"] = order.id
    order_id: int = (
        await conn.execute(insert(trade_orders).values(values).returning(trade_orders.c.id))
    ).scalar_one()
    await conn.execute(insert(trade_order_lines), [line_row(order_id, line) for line in order.lines])
    return order_id


async def _lines_by_order(conn: AsyncConnection, order_ids: Sequence[int]) -> dict[int, list[TradeOrderLine]]:
    rows = (
        await conn.execute(
            select(trade_order_lines)
            .where(trade_order_lines.c.trade_order_id.in_(order_ids))
            .order_by(trade_order_lines.c.id)
        )
    ).mappings()
    grouped: dict[int, list[TradeOrderLine]] = {oid: [] for oid in order_ids}
    for row in rows:
        grouped[row["trade_order_id"]].append(_line(row))
    return grouped


async def get_trade_orders(
    conn: AsyncConnection, seller_id: int, order_ids: Sequence[int], *, for_update: bool = False
) -> dict[int, TradeOrder]:
    """The seller's orders among `order_ids`; with `for_update` the rows stay locked until commit."""
    if not order_ids:
        return {}
    query = (
        select(trade_orders)
        .where(trade_orders.c.seller_id == seller_id, trade_orders.c.id.in_(list(order_ids)))
        .order_by(trade_orders.c.id)
    )
    if for_update:
        query = query.with_for_update()
    rows = (await conn.execute(query)).mappings().all()
    lines = await _lines_by_order(conn, [row["id"] for row in rows])
    return {row["id"]: _order(row, lines[row["id"]]) for row in rows}


async def trade_order_exists(conn: AsyncConnection, order_id: int) -> bool:
    """Whether any seller has this id (ids are global, as on the marketplace)."""
    return (
        await conn.execute(select(trade_orders.c.id).where(trade_orders.c.id == order_id))
    ).first() is not None


async def touch_all(conn: AsyncConnection, order_ids: Iterable[int], now: datetime) -> None:
    """Mark trade orders changed (their logistic orders moved), for `update_at_from` pollers."""
    ids = sorted(set(order_ids))
    if ids:
        await conn.execute(update(trade_orders).where(trade_orders.c.id.in_(ids)).values(updated_at=now))


async def touch(conn: AsyncConnection, order_id: int, values: dict[str, Any]) -> None:
    await conn.execute(update(trade_orders).where(trade_orders.c.id == order_id).values(values))


def _conditions(seller_id: int, q: TradeOrderQuery) -> list[ColumnElement[bool]]:
    t = trade_orders.c
    cond: list[ColumnElement[bool]] = [t.seller_id == seller_id]
    for column, low, high in (
        (t.created_at, q.created_from, q.created_to),
        (t.updated_at, q.updated_from, q.updated_to),
        (t.cut_off_date, q.shipping_day_from, q.shipping_day_to),
    ):
        if low is not None:
            cond.append(column >= low)
        if high is not None:
            cond.append(column <= high)
    for column, values in (
        (t.id, q.order_ids),
        (t.status, q.statuses),
        (t.payment_status, q.payment_statuses),
        (t.delivery_status, q.delivery_statuses),
        (t.antifraud_status, q.antifraud_statuses),
    ):
        if values:
            cond.append(column.in_(list(values)))
    if q.tracking_numbers:
        lo = logistic_orders.c
        cond.append(
            t.id.in_(
                select(lo.trade_order_id).where(
                    and_(
                        lo.seller_id == seller_id,
                        lo.tracking_code.in_(list(q.tracking_numbers)),
                        lo.deleted_at.is_(None),
                    )
                )
            )
        )
    return cond


async def list_trade_orders(
    conn: AsyncConnection, seller_id: int, q: TradeOrderQuery
) -> tuple[list[TradeOrder], int]:
    cond = _conditions(seller_id, q)
    total = (await conn.execute(select(func.count()).select_from(trade_orders).where(*cond))).scalar_one()
    column = trade_orders.c[q.sort_field]
    ordering = (
        (column.asc(), trade_orders.c.id.asc())
        if q.sort_order is SortOrder.ASC
        else (column.desc(), trade_orders.c.id.desc())
    )
    rows = (
        (
            await conn.execute(
                select(trade_orders)
                .where(*cond)
                .order_by(*ordering)
                .limit(q.page_size)
                .offset((q.page - 1) * q.page_size)
            )
        )
        .mappings()
        .all()
    )
    lines = await _lines_by_order(conn, [row["id"] for row in rows])
    return [_order(row, lines[row["id"]]) for row in rows], total
