"""Logistic orders: create (split shipments), read, delete and move to the spare day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import Forbidden, NotFound
from marketbox.domain.handover_lists import HandoverStatus
from marketbox.domain.logistic_moves import Situation, shift_cut_off
from marketbox.domain.logistic_orders import (
    NOT_HANDED_OVER,
    RELEASES_QUANTITY,
    CreationProblems,
    LogisticOrder,
    LogisticOrderDetails,
    LogisticOrderLine,
    LogisticOrderQuery,
    LogisticStatus,
    NewLogisticOrder,
    check_new_logistic_orders,
)
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import spare_day
from marketbox.domain.trade_orders import TradeOrder, TradeOrderStatus
from marketbox.store import handover_lists as hl_store
from marketbox.store import logistic_orders as lo_store
from marketbox.store import trade_orders as to_store
from marketbox.store.database import Database


@dataclass
class CreationResult:
    created: dict[int, list[LogisticOrder]] = field(default_factory=dict)
    problems: CreationProblems = field(default_factory=CreationProblems)


def _new_order(seller: Seller, order: TradeOrder, request: NewLogisticOrder, now: datetime) -> LogisticOrder:
    lines = []
    for item in request.items:
        line = order.line_for_sku(item.sku_id, item.product_source_id)
        assert line is not None  # checked by check_new_logistic_orders
        lines.append(
            LogisticOrderLine(
                sku_id=line.sku_id,
                quantity=item.quantity,
                product_source_id=line.product_source_id,
                item_id=line.item_id,
                name=line.name,
                item_price=line.item_price,
                currency=line.currency,
                img_url=line.img_url,
                properties=line.properties,
                marking_required=line.marking_required,
                jewelry=line.jewelry,
                jewelry_codes=item.jewelry_codes,
            )
        )
    return LogisticOrder(
        id=0,
        seller_id=seller.id,
        trade_order_id=order.id,
        status=LogisticStatus.AWAITING_HANDOVER_LIST,
        tracking_code="",
        handover_list_id=None,
        cut_off_date=order.cut_off_date,
        cut_off_shifts=0,
        gmt_create=now,
        total_length=request.total_length,
        total_width=request.total_width,
        total_height=request.total_height,
        total_weight=request.total_weight,
        lines=tuple(lines),
    )


async def create_logistic_orders(
    db: Database, seller: Seller, requests: Sequence[NewLogisticOrder], *, ids: Sequence[int] = ()
) -> CreationResult:
    """All or nothing: when any order breaks a rule nothing is created and every problem is reported.

    `ids` pins the ids of the new logistic orders (fixtures that replay documented examples).
    """
    result = CreationResult()
    now = seller.clock.now()
    wanted = list(dict.fromkeys(r.trade_order_id for r in requests))
    async with db.tenant_write(seller.id) as conn:
        # Locking the trade orders (in id order, to avoid deadlocks) serializes concurrent creates
        # on the same order, so the quantities read below cannot be over-allocated by a racing writer.
        orders = await to_store.get_trade_orders(conn, seller.id, sorted(wanted), for_update=True)
        for order_id in wanted:
            order = orders.get(order_id)
            if order is None:
                result.problems.common.append(("NoTradeOrderFound", "Заказ не найден"))
            elif not order.accepts_logistic_orders:
                result.problems.common.append(
                    (
                        "TradeOrderClosed",
                        f"Заказ {order_id} в статусе {order.status.value}: отправление не создать",
                    )
                )
        existing = await lo_store.for_trade_orders(conn, seller.id, list(orders))
        for order in orders.values():
            check_new_logistic_orders(
                order,
                [r for r in requests if r.trade_order_id == order.id],
                [lo for lo in existing if lo.trade_order_id == order.id],
                result.problems,
            )
        if result.problems:
            return result
        for n, request in enumerate(requests):
            order = orders[request.trade_order_id]
            draft = _new_order(seller, order, request, now)
            if n < len(ids):
                draft = replace(draft, id=ids[n])
            new_id = await lo_store.insert_logistic_order(conn, draft, explicit_id=n < len(ids))
            created = (await lo_store.get_any(conn, [new_id]))[new_id]
            result.created.setdefault(order.id, []).append(created)
        for order in orders.values():
            values: dict[str, object] = {"updated_at": now}
            if order.status is TradeOrderStatus.CREATED:
                values["status"] = TradeOrderStatus.IN_PROGRESS.value
            await to_store.touch(conn, order.id, values)
    return result


async def find_logistic_orders(
    db: Database, seller: Seller, query: LogisticOrderQuery
) -> tuple[list[LogisticOrderDetails], int]:
    async with db.autocommit() as conn:
        return await lo_store.page(conn, seller.id, query)


@dataclass(frozen=True)
class DeletionOutcome:
    deleted_at: datetime | None
    error_message: str | None


async def delete_logistic_orders(
    db: Database, seller: Seller, ids: Sequence[int]
) -> dict[int, DeletionOutcome]:
    now = seller.clock.now()
    outcomes: dict[int, DeletionOutcome] = {}
    async with db.tenant_write(seller.id) as conn:
        found = await lo_store.get_any(conn, list(dict.fromkeys(ids)))
        touched: set[int] = set()
        for lo_id in dict.fromkeys(ids):
            order = found.get(lo_id)
            prefix = f"Failed to delete logistic order {lo_id}"
            if order is None:
                outcomes[lo_id] = DeletionOutcome(None, f"{prefix}: logistic order not found")
            elif order.seller_id != seller.id:
                outcomes[lo_id] = DeletionOutcome(None, f"{prefix}: it doesn't belong to seller {seller.id}")
            elif order.deleted_at is not None:
                outcomes[lo_id] = DeletionOutcome(order.deleted_at, None)
            elif order.status in RELEASES_QUANTITY:
                outcomes[lo_id] = DeletionOutcome(None, f"{prefix}: it is {order.status.value}")
            elif order.status not in NOT_HANDED_OVER:
                outcomes[lo_id] = DeletionOutcome(
                    None,
                    f"{prefix}: it has already been handed over to the carrier (status {order.status.value})",
                )
            else:
                await lo_store.update_logistic_order(conn, order, now, deleted_at=now, handover_list_id=None)
                outcomes[lo_id] = DeletionOutcome(now, None)
                touched.add(order.trade_order_id)
        await to_store.touch_all(conn, touched, now)
    return outcomes


async def owned_logistic_order(conn: AsyncConnection, seller: Seller, lo_id: int) -> LogisticOrder:
    order = (await lo_store.get_any(conn, [lo_id])).get(lo_id)
    if order is None or order.deleted_at is not None:
        raise NotFound(
            "ErrorCode.OrderNotFound", f"logistic order {lo_id} not found", {"logistic_order_id": lo_id}
        )
    if order.seller_id != seller.id:
        raise Forbidden(
            "ErrorCode.SellerMismatch",
            f"logistic order {lo_id} doesn't belong to seller {seller.id}",
            {"logistic_order_id": lo_id},
        )
    return order


async def pass_today(db: Database, seller: Seller, lo_id: int) -> LogisticOrder:
    """Move the shipping date to the spare working day; this takes the order out of its handover list."""
    now = seller.clock.now()
    async with db.tenant_write(seller.id) as conn:
        order = await owned_logistic_order(conn, seller, lo_id)
        at = Situation(now, await list_status_of(conn, order))
        moved = shift_cut_off(order, spare_day(order.cut_off_date), at)
        await save_logistic_order(conn, order, moved, now)
        await to_store.touch_all(conn, [order.trade_order_id], now)
        return (await lo_store.get_any(conn, [lo_id]))[lo_id]


async def list_status_of(conn: AsyncConnection, order: LogisticOrder) -> HandoverStatus | None:
    """The status of the handover list the logistic order is in, locked until commit."""
    if order.handover_list_id is None:
        return None
    handover = await hl_store.get_any(conn, order.handover_list_id, for_update=True)
    return handover.status if handover is not None else None


_MOVABLE = ("status", "problem_state", "creation_error", "handover_list_id", "cut_off_date", "cut_off_shifts")


async def save_logistic_order(
    conn: AsyncConnection, before: LogisticOrder, after: LogisticOrder, now: datetime
) -> None:
    """Store what a move changed in a logistic order."""
    changes = {f: getattr(after, f) for f in _MOVABLE if getattr(after, f) != getattr(before, f)}
    await lo_store.update_logistic_order(conn, before, now, **changes)
