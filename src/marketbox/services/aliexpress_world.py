"""The AliExpress world through the sandbox: buyers cancel, carriers move parcels and accept handover
lists, the marketplace moves shipping dates. Each event is one transaction on the tenant's clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import InvalidInput, NotFound
from marketbox.domain.handover_lists import HandoverList
from marketbox.domain.logistic_moves import (
    IN_TRANSIT,
    BuyerCancelReason,
    CarrierEvent,
    CarrierMove,
    Situation,
    accept_handover_list,
    buyer_cancel,
    carrier_move,
    shift_cut_off,
    trade_progress,
)
from marketbox.domain.logistic_orders import LogisticOrder, ProblemState
from marketbox.domain.shipping_dates import MOSCOW, spare_day
from marketbox.domain.trade_orders import TradeOrder
from marketbox.services.logistic_orders import list_status_of, save_logistic_order
from marketbox.services.tenants import tenant_seller
from marketbox.store import handover_lists as hl_store
from marketbox.store import logistic_orders as lo_store
from marketbox.store import trade_orders as to_store
from marketbox.store.database import Database


@dataclass(frozen=True)
class OrderState:
    """A trade order and its live logistic orders, as they are after an event."""

    order: TradeOrder
    logistics: list[LogisticOrder]


def check_carrier_move(move: CarrierMove) -> None:
    """Refuse fields that do not belong to the event (the sandbox's 400, before anything is read)."""
    if move.event is CarrierEvent.PROBLEM and move.problem_state is None:
        raise InvalidInput(
            "ValidationError",
            "problem_state is required for the event 'problem'; one of: "
            + ", ".join(p.value for p in ProblemState),
            {"field": "problem_state"},
        )
    if move.event is not CarrierEvent.PROBLEM and move.problem_state is not None:
        raise InvalidInput(
            "ValidationError",
            "problem_state is given only with the event 'problem'",
            {"field": "problem_state"},
        )
    if move.status is not None and move.event is not CarrierEvent.IN_TRANSIT:
        raise InvalidInput(
            "ValidationError", "status is given only with the event 'in_transit'", {"field": "status"}
        )
    if move.status is not None and move.status not in IN_TRANSIT[1:]:
        raise InvalidInput(
            "ValidationError",
            f"status {move.status.value!r} is not a carrier's scan on the way; one of: "
            + ", ".join(s.value for s in IN_TRANSIT[1:]),
            {"field": "status"},
        )
    if move.creation_error is not None and move.problem_state is not ProblemState.CREATION_ERROR:
        raise InvalidInput(
            "ValidationError",
            "creation_error is given only with the problem CREATION_ERROR",
            {"field": "creation_error"},
        )


async def _trade_order(conn: AsyncConnection, seller_id: int, trade_order_id: int) -> TradeOrder:
    order = (await to_store.get_trade_orders(conn, seller_id, [trade_order_id], for_update=True)).get(
        trade_order_id
    )
    if order is None:
        raise NotFound(
            "OrderNotFound", f"trade order {trade_order_id} not found", {"trade_order_id": trade_order_id}
        )
    return order


async def _logistic_order(conn: AsyncConnection, seller_id: int, lo_id: int) -> LogisticOrder:
    # Another tenant's logistic order is simply not found: tenants never learn of each other.
    order = (await lo_store.get_any(conn, [lo_id])).get(lo_id)
    if order is None or order.seller_id != seller_id or order.deleted_at is not None:
        raise NotFound(
            "LogisticOrderNotFound", f"logistic order {lo_id} not found", {"logistic_order_id": lo_id}
        )
    return order


async def _refresh(
    conn: AsyncConnection, seller_id: int, trade_order_ids: Iterable[int], now: datetime
) -> None:
    """Bring trade orders in step with their logistic orders, and mark them changed at `now`."""
    ids = sorted(set(trade_order_ids))
    orders = await to_store.get_trade_orders(conn, seller_id, ids, for_update=True)
    logistics = await lo_store.for_trade_orders(conn, seller_id, ids)
    for order in orders.values():
        after = trade_progress(order, [lo for lo in logistics if lo.trade_order_id == order.id])
        await to_store.touch(
            conn,
            order.id,
            {
                "status": after.status.value,
                "delivery_status": after.delivery_status.value,
                "display_status": after.display_status.value,
                "finish_reason": after.finish_reason,
                "updated_at": now,
            },
        )


async def _state(conn: AsyncConnection, seller_id: int, trade_order_id: int) -> OrderState:
    order = (await to_store.get_trade_orders(conn, seller_id, [trade_order_id]))[trade_order_id]
    return OrderState(order, await lo_store.for_trade_orders(conn, seller_id, [trade_order_id]))


async def cancel_order(
    db: Database, seller_id: int, trade_order_id: int, reason: BuyerCancelReason
) -> OrderState:
    """The buyer cancels: the order and its logistic orders (none handed over yet) become Cancelled."""
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        order = await _trade_order(conn, seller_id, trade_order_id)
        logistics = await lo_store.for_trade_orders(conn, seller_id, [trade_order_id])
        cancelled, changed = buyer_cancel(order, logistics, reason, now)
        before = {lo.id: lo for lo in logistics}
        for lo in changed:
            await save_logistic_order(conn, before[lo.id], lo, now)
        await to_store.touch(
            conn,
            order.id,
            {
                "status": cancelled.status.value,
                "payment_status": cancelled.payment_status.value,
                "delivery_status": cancelled.delivery_status.value,
                "display_status": cancelled.display_status.value,
                "finish_reason": cancelled.finish_reason,
                "updated_at": now,
            },
        )
        return await _state(conn, seller_id, trade_order_id)


async def carrier_event(db: Database, seller_id: int, lo_id: int, move: CarrierMove) -> OrderState:
    """The carrier accepts, carries or delivers a parcel, or reports (or clears) a problem with it."""
    check_carrier_move(move)
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        order = await _logistic_order(conn, seller_id, lo_id)
        moved = carrier_move(order, move, Situation(now, await list_status_of(conn, order)))
        await save_logistic_order(conn, order, moved, now)
        await _refresh(conn, seller_id, [order.trade_order_id], now)
        return await _state(conn, seller_id, order.trade_order_id)


async def move_cut_off(db: Database, seller_id: int, lo_id: int, to: datetime | None) -> OrderState:
    """The marketplace moves a shipping date: to `to`, or else to the spare working day."""
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        order = await _logistic_order(conn, seller_id, lo_id)
        if to is not None and to.astimezone(MOSCOW).date() <= order.cut_off_date.astimezone(MOSCOW).date():
            raise InvalidInput(
                "ValidationError",
                f"cut_off_date must fall on a later day (Moscow time) than the current shipping date "
                f"{order.cut_off_date.isoformat()}",
                {"field": "cut_off_date"},
            )
        target = to if to is not None else spare_day(order.cut_off_date)
        moved = shift_cut_off(order, target, Situation(now, await list_status_of(conn, order)))
        await save_logistic_order(conn, order, moved, now)
        await to_store.touch_all(conn, [order.trade_order_id], now)
        return await _state(conn, seller_id, order.trade_order_id)


async def accept_list(
    db: Database, seller_id: int, list_id: int, rejected_ids: Sequence[int]
) -> tuple[HandoverList, list[int]]:
    """The carrier's warehouse accepts a transferred list, refusing the parcels in `rejected_ids`."""
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        handover = await hl_store.get_any(conn, list_id, for_update=True)
        if handover is None or handover.seller_id != seller_id:
            raise NotFound(
                "HandoverListNotFound", f"handover list {list_id} not found", {"handover_list_id": list_id}
            )
        members = await lo_store.in_handover_lists(conn, [list_id])
        status, rejected = accept_handover_list(handover, members, rejected_ids)
        before = {lo.id: lo for lo in members}
        for lo in rejected:
            await save_logistic_order(conn, before[lo.id], lo, now)
        await hl_store.set_status(conn, list_id, status, now)
        if rejected:
            await _refresh(conn, seller_id, [lo.trade_order_id for lo in rejected], now)
        after = await hl_store.get_any(conn, list_id)
        assert after is not None
        return after, [lo.id for lo in rejected]
