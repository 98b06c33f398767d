"""Handover lists: group today's parcels, edit the list, then hand it to the carrier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketbox.domain.handover_lists import HandoverList, HandoverListQuery, HandoverStatus, ShipmentType
from marketbox.domain.logistic_moves import problem_after
from marketbox.domain.logistic_orders import LogisticOrder, LogisticStatus, shipment_progress
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import same_shipping_day
from marketbox.services.logistic_orders import owned_logistic_order
from marketbox.store import handover_lists as hl_store
from marketbox.store import logistic_orders as lo_store
from marketbox.store import trade_orders as to_store
from marketbox.store.database import Database


async def owned_list(conn: AsyncConnection, seller: Seller, list_id: int, *, editable: bool) -> HandoverList:
    handover = await hl_store.get_any(conn, list_id, for_update=editable)
    if handover is None:
        raise NotFound(
            "ErrorCode.HandoverListNotFound",
            f"handover list {list_id} not found",
            {"handover_list_id": list_id},
        )
    if handover.seller_id != seller.id:
        raise Forbidden(
            "ErrorCode.SellerMismatch",
            f"handover list {list_id} doesn't belong to seller {seller.id}",
            {"handover_list_id": list_id},
        )
    if editable and not handover.editable:
        raise Conflict(
            "ErrorCode.WrongHandoverListStatusError",
            f"handover list {list_id} is {handover.status.value}: it can no longer be changed",
            {"handover_list_id": list_id, "status": handover.status.value},
        )
    return handover


async def _joinable(conn: AsyncConnection, seller: Seller, ids: Sequence[int]) -> list[LogisticOrder]:
    if not ids:
        raise InvalidInput(
            "ErrorCode.ValidationError",
            "at least one logistic order id is required",
            {"field": "logistic_order_ids"},
        )
    orders = [await owned_logistic_order(conn, seller, lo_id) for lo_id in dict.fromkeys(ids)]
    for order in orders:
        if order.status is not LogisticStatus.AWAITING_HANDOVER_LIST or order.handover_list_id is not None:
            raise Conflict(
                "ErrorCode.WrongLogisticOrderStatus",
                f"logistic order {order.id} cannot join a handover list in status {order.status.value}"
                + (f" (it is in handover list {order.handover_list_id})" if order.handover_list_id else ""),
                {"logistic_order_id": order.id},
            )
    return orders


def _check_same_day(orders: Sequence[LogisticOrder]) -> None:
    first = orders[0]
    for order in orders[1:]:
        if not same_shipping_day(order.cut_off_date, first.cut_off_date):
            raise Conflict(
                "ErrorCode.DifferentCutOffDates",
                "a handover list may only hold logistic orders with the same shipping date: "
                f"{first.id} ships {first.cut_off_date:%Y-%m-%d}, "
                f"{order.id} ships {order.cut_off_date:%Y-%m-%d}",
            )


async def _attach(
    conn: AsyncConnection, orders: Sequence[LogisticOrder], list_id: int, now: datetime
) -> None:
    for order in orders:
        await lo_store.update_logistic_order(
            conn, order, now, handover_list_id=list_id, status=LogisticStatus.AWAITING_DISPATCH
        )
    await to_store.touch_all(conn, (o.trade_order_id for o in orders), now)


async def create_handover_list(
    db: Database, seller: Seller, lo_ids: Sequence[int], arrival_date: datetime | None
) -> int:
    now = seller.clock.now()
    async with db.tenant_write(seller.id) as conn:
        orders = await _joinable(conn, seller, lo_ids)
        _check_same_day(orders)
        list_id = await hl_store.insert_handover_list(
            conn, seller.id, ShipmentType.DROPOFF, arrival_date, now
        )
        await _attach(conn, orders, list_id, now)
    return list_id


async def add_logistic_orders(
    db: Database, seller: Seller, list_id: int, lo_ids: Sequence[int]
) -> HandoverList:
    now = seller.clock.now()
    async with db.tenant_write(seller.id) as conn:
        handover = await owned_list(conn, seller, list_id, editable=True)
        orders = await _joinable(conn, seller, lo_ids)
        members = await lo_store.in_handover_lists(conn, [list_id])
        _check_same_day([*members, *orders])
        await _attach(conn, orders, list_id, now)
        return await _reload(conn, handover.id)


async def remove_logistic_orders(
    db: Database, seller: Seller, list_id: int, lo_ids: Sequence[int]
) -> HandoverList:
    now = seller.clock.now()
    async with db.tenant_write(seller.id) as conn:
        await owned_list(conn, seller, list_id, editable=True)
        if not lo_ids:
            raise InvalidInput(
                "ErrorCode.ValidationError",
                "at least one logistic order id is required",
                {"field": "order_ids"},
            )
        touched = []
        for lo_id in dict.fromkeys(lo_ids):
            order = await owned_logistic_order(conn, seller, lo_id)
            touched.append(order.trade_order_id)
            if order.handover_list_id != list_id:
                raise Conflict(
                    "ErrorCode.OrderNotInHandoverList",
                    f"logistic order {lo_id} is not in handover list {list_id}",
                    {"logistic_order_id": lo_id},
                )
            await lo_store.update_logistic_order(
                conn, order, now, handover_list_id=None, status=LogisticStatus.AWAITING_HANDOVER_LIST
            )
        await to_store.touch_all(conn, touched, now)
        return await _reload(conn, list_id)


async def transfer_handover_list(db: Database, seller: Seller, list_id: int) -> HandoverList:
    """Close the list: the parcels are handed to the carrier and can no longer be changed or deleted."""
    now = seller.clock.now()
    async with db.tenant_write(seller.id) as conn:
        await owned_list(conn, seller, list_id, editable=True)
        members = await lo_store.in_handover_lists(conn, [list_id])
        if not members:
            raise Conflict("ErrorCode.EmptyHandoverList", f"handover list {list_id} has no logistic orders")
        handed = LogisticStatus.ORDER_RECEIVED_FROM_SELLER
        for order in members:
            await lo_store.update_logistic_order(
                conn, order, now, status=handed, problem_state=problem_after(order.problem_state, handed)
            )
        await hl_store.set_status(conn, list_id, HandoverStatus.TRANSFERRED, now)
        await _update_delivery_status(conn, seller, sorted({o.trade_order_id for o in members}), now)
        return await _reload(conn, list_id)


async def _update_delivery_status(
    conn: AsyncConnection, seller: Seller, trade_order_ids: list[int], now: datetime
) -> None:
    trade = await to_store.get_trade_orders(conn, seller.id, trade_order_ids, for_update=True)
    logistics = await lo_store.for_trade_orders(conn, seller.id, trade_order_ids)
    for order in trade.values():
        delivery, display = shipment_progress(
            order, [lo for lo in logistics if lo.trade_order_id == order.id]
        )
        values = {"delivery_status": delivery.value, "display_status": display.value, "updated_at": now}
        await to_store.touch(conn, order.id, values)


async def _reload(conn: AsyncConnection, list_id: int) -> HandoverList:
    handover = await hl_store.get_any(conn, list_id)
    assert handover is not None
    return handover


async def find_handover_lists(
    db: Database, seller: Seller, query: HandoverListQuery
) -> tuple[list[HandoverList], int]:
    async with db.read() as conn:
        return await hl_store.list_page(conn, seller.id, query)
