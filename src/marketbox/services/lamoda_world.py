"""Lamoda world events (sandbox): the buyer cancels or takes part of an order, the warehouse reports marking
codes, the return desk sends return boxes, the courier receives an FBS shipment. Each is one transaction
that writes its notifications."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import Conflict, InvalidInput, NotFound
from marketbox.domain.lamoda_orders import FulfillmentType, ItemStatus, Order, OrderChange, OrderItem
from marketbox.domain.lamoda_returns import RETURN_TYPE_BY_STATUS, ReturnBox, ReturnItem, ReturnStatus
from marketbox.domain.lamoda_shipments import Shipment
from marketbox.domain.lamoda_world import (
    CANCEL_REASON,
    buyout_items,
    cancellable_items,
    check_markable,
    check_reason,
    check_returnable,
    new_code,
    receive,
    require_fbo_for_marking,
)
from marketbox.domain.marking_codes import already_used, check_codes
from marketbox.domain.notifications import marking_codes_event, shipment_event
from marketbox.services import lamoda_returns, notifications
from marketbox.services.lamoda_orders import apply_change
from marketbox.services.tenants import tenant_seller
from marketbox.store import lamoda_catalog as catalog
from marketbox.store import lamoda_logistics as logistics
from marketbox.store import lamoda_orders as order_store
from marketbox.store import lamoda_returns as returns_store
from marketbox.store import lamoda_world as store
from marketbox.store.database import Database

S = ItemStatus


async def _order(conn: AsyncConnection, seller_id: int, order_nr: str) -> Order:
    order = await order_store.get_order(conn, seller_id, order_nr)
    if order is None:
        raise NotFound("OrderNotFound", f"order {order_nr} not found")
    return order


def _item(order: Order, item_id: int) -> OrderItem:
    item = order.item(item_id)
    if item is None:
        raise NotFound("ItemNotFound", f"item {item_id} is not in order {order.order_nr}")
    return item


def _unique(item_ids: Sequence[tuple[int, str]]) -> None:
    """(item id, field) pairs of a request: an item is named once."""
    seen: set[int] = set()
    for item_id, field in item_ids:
        if item_id in seen:
            raise InvalidInput("duplicate_item", f"item {item_id} is listed twice", {"field": field})
        seen.add(item_id)


# ---- the buyer ------------------------------------------------------------------------------------


async def cancel_order(db: Database, seller_id: int, order_nr: str) -> Order:
    """The buyer cancels the whole order before it leaves: every live item becomes Canceled."""
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        order = await _order(conn, seller_id, order_nr)
        change = OrderChange(order, seller.clock.now())
        for item in cancellable_items(order):
            change.move(item, S.CANCELED, CANCEL_REASON)
        return await apply_change(conn, seller, change)


@dataclass(frozen=True)
class NotBoughtIn:
    item_id: int
    reason: str | None
    field: str  # where the line is in the request


async def buyout(db: Database, seller_id: int, order_nr: str, not_bought: Sequence[NotBoughtIn]) -> Order:
    """The buyer keeps what is with them except the listed items (a partial buyout when any are listed)."""
    _unique([(line.item_id, line.field + ".item_id") for line in not_bought])
    reasons = {line.item_id: check_reason(line.reason, line.field + ".reason") for line in not_bought}
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        order = await _order(conn, seller_id, order_nr)
        for line in not_bought:
            _item(order, line.item_id)
        now = seller.clock.now()
        decided = buyout_items(order, reasons)
        change = OrderChange(order, now)
        for item, status, reason in decided:
            change.move(item, status, reason)
        after = await apply_change(conn, seller, change)
        if order.fulfillment_type == FulfillmentType.FBS:
            for item, status, reason in decided:
                if status == S.NOT_BOUGHT:
                    await lamoda_returns.open_return(conn, after, item.id, status, reason, now)
        return after


# ---- Lamoda's warehouse ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeIn:
    item_id: int
    datamatrix: str | None  # None: the warehouse picks the unit (a supplied code, else a new one)
    field: str


async def assign_codes(
    db: Database,
    seller_id: int,
    order_nr: str,
    wanted: Sequence[CodeIn] | None,
    rng: random.Random | None = None,
) -> tuple[Order, dict[int, str]]:
    """The warehouse reports the marking codes of an FBO order's units (all marked units still without
    one when `wanted` is None); the seller learns them from an `itemStatusChanged` notification."""
    rng = rng or random.Random()
    if wanted is not None:
        _unique([(w.item_id, w.field + ".item_id") for w in wanted])
        check_codes([(w.field + ".datamatrix", w.datamatrix) for w in wanted if w.datamatrix is not None])
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        order = await _order(conn, seller_id, order_nr)
        require_fbo_for_marking(order)
        existing = await logistics.codes_of_items(conn, seller_id, [i.id for i in order.items])
        if wanted is None:
            targets = [
                CodeIn(i.id, None, "items")
                for i in order.active_items
                if i.marking_required and i.id not in existing
            ]
            if not targets:
                raise Conflict(
                    "nothing_to_mark",
                    f"order {order.order_nr} has no live marked item without a marking code",
                    {"current": order.status},
                )
        else:
            targets = list(wanted)
            for w in targets:
                check_markable(order, _item(order, w.item_id), w.item_id in existing)
        now = seller.clock.now()
        codes = await _pick_codes(conn, seller_id, order, targets, rng)
        fresh = [(item_id, code) for item_id, code, supplied in codes if not supplied]
        await logistics.insert_codes(
            conn,
            seller_id,
            [(code, _item(order, item_id).external_sku) for item_id, code in fresh],
            now,
            order_item_ids=[item_id for item_id, _ in fresh],
        )
        for item_id, code, supplied in codes:
            if supplied:
                await store.attach_code(conn, seller_id, code, item_id)
        assigned = {item_id: code for item_id, code, _ in codes}
        event = marking_codes_event(order, assigned, now)
        after = replace(order, sequence_number=event.sequence_number)
        await order_store.save_order(conn, order, after)
        await notifications.emit(conn, seller, [event])
        return after, assigned


async def _pick_codes(
    conn: AsyncConnection, seller_id: int, order: Order, targets: Sequence[CodeIn], rng: random.Random
) -> list[tuple[int, str, bool]]:
    """(item id, code, whether the code is one the seller supplied) for each target."""
    given = [w for w in targets if w.datamatrix is not None]
    known = await store.known_codes(conn, seller_id, [w.datamatrix for w in given if w.datamatrix])
    picked: list[tuple[int, str, bool]] = []
    for w in given:
        assert w.datamatrix is not None
        item, field = _item(order, w.item_id), w.field + ".datamatrix"
        found = known.get(w.datamatrix)
        if found is None:
            picked.append((item.id, w.datamatrix, False))
        elif found.order_item_id is not None or found.supply_id is None:
            raise already_used(w.datamatrix, field)
        elif found.sku != item.external_sku:
            raise InvalidInput(
                "datamatrix_of_another_sku",
                f"{field}: marking code {w.datamatrix!r} came with a supply of SKU {found.sku!r}, "
                f"not {item.external_sku!r}",
                {"field": field},
            )
        else:
            picked.append((item.id, w.datamatrix, True))
    by_sku: dict[str, list[OrderItem]] = {}
    for w in targets:
        if w.datamatrix is None:
            item = _item(order, w.item_id)
            by_sku.setdefault(item.external_sku, []).append(item)
    goods = await catalog.get_many(conn, seller_id, list(by_sku))
    for sku, items in by_sku.items():
        supplied = await store.free_supply_codes(conn, seller_id, sku, len(items))
        picked += [(item.id, code, True) for item, code in zip(items, supplied, strict=False)]
        nomenclature = goods.get(sku)
        taken = {code for _, code, _ in picked}
        for item in items[len(supplied) :]:
            code = new_code(sku, nomenclature.barcode if nomenclature else "", taken, rng)
            while await store.known_codes(conn, seller_id, [code]):
                code = new_code(sku, nomenclature.barcode if nomenclature else "", taken | {code}, rng)
            taken.add(code)
            picked.append((item.id, code, False))
    return picked


# ---- the return desk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnIn:
    item_id: int
    reason: str | None  # why a bought item came back (Delivered items only)
    field: str


@dataclass(frozen=True)
class SentBox:
    box: ReturnBox
    items: tuple[tuple[ReturnItem, Order], ...]


async def send_returns(db: Database, seller_id: int, boxes: Sequence[Sequence[ReturnIn]]) -> list[SentBox]:
    """Lamoda's return desk sends return boxes to the seller. A Delivered item first becomes Claimed ok
    (the buyer brought it back); every item becomes Sent back to partner, its return item SENT_TO_SELLER
    in its box."""
    lines = [line for box in boxes for line in box]
    _unique([(line.item_id, line.field + ".item_id") for line in lines])
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        orders = await order_store.orders_of_items(conn, seller_id, [line.item_id for line in lines])
        by_order: dict[int, list[ReturnIn]] = {}
        came_back_as: dict[int, ItemStatus] = {}
        for line in lines:
            order = orders.get(line.item_id)
            if order is None:
                raise NotFound("ItemNotFound", f"item {line.item_id} not found")
            item = _item(order, line.item_id)
            check_returnable(order, item, line.reason)
            by_order.setdefault(order.id, []).append(line)
            came_back_as[item.id] = S.CLAIMED_OK if item.status == S.DELIVERED else item.status
        current: dict[int, Order] = {}
        for order_id, returned in by_order.items():
            order = orders[returned[0].item_id]
            claimed = [line for line in returned if _item(order, line.item_id).status == S.DELIVERED]
            if claimed:
                change = OrderChange(order, now)
                for line in claimed:
                    change.move(_item(order, line.item_id), S.CLAIMED_OK, line.reason)
                order = await apply_change(conn, seller, change)
                for line in claimed:
                    await lamoda_returns.open_return(
                        conn, order, line.item_id, S.CLAIMED_OK, line.reason, now
                    )
            change = OrderChange(order, now)
            for line in returned:
                change.move(_item(order, line.item_id), S.SENT_BACK_TO_PARTNER)
            current[order_id] = await apply_change(conn, seller, change)
        sent: list[SentBox] = []
        for box_lines in boxes:
            box = await returns_store.insert_box(conn, seller_id, now)
            boxed: list[tuple[ReturnItem, Order]] = []
            for line in box_lines:
                order = current[orders[line.item_id].id]
                opened = await returns_store.open_return_of_item(conn, line.item_id)
                if opened is None:  # came back before its return was recorded (e.g. demo data)
                    status = came_back_as[line.item_id]
                    await returns_store.insert_return(
                        conn, seller_id, order.id, line.item_id, RETURN_TYPE_BY_STATUS[status], None, now
                    )
                    opened = await returns_store.open_return_of_item(conn, line.item_id)
                    assert opened is not None
                await returns_store.set_return_status(conn, opened, ReturnStatus.SENT_TO_SELLER, now, box.id)
                boxed_item = await returns_store.get_return(conn, seller_id, opened.id)
                assert boxed_item is not None
                boxed.append((boxed_item, order))
            sent.append(SentBox(box, tuple(boxed)))
        return sent


# ---- the courier ----------------------------------------------------------------------------------


async def receive_shipment(
    db: Database, seller_id: int, shipment_id: int
) -> tuple[Shipment, dict[int, Order]]:
    """Lamoda's courier takes over an FBS shipment: it becomes RECEIVED, and its items still Ready for
    shipment become Shipped (items the buyer cancelled in the meantime stay Canceled)."""
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        shipment = await logistics.get_shipment(conn, seller_id, shipment_id)
        if shipment is None:
            raise NotFound("ShipmentNotFound", f"shipment {shipment_id} not found")
        now = seller.clock.now()
        received = receive(shipment, now)
        await store.save_shipment_status(conn, received)
        orders = await order_store.orders_of_items(conn, seller_id, shipment.item_ids)
        order_numbers = sorted({o.order_nr for o in orders.values()})
        await notifications.emit(conn, seller, [shipment_event(received, now, order_numbers, 2)])
        in_shipment = set(shipment.item_ids)
        for order in sorted({o.id: o for o in orders.values()}.values(), key=lambda o: o.id):
            change = OrderChange(order, now)
            for item in order.items:
                if item.id in in_shipment and item.status == S.READY_FOR_SHIPMENT:
                    change.move(item, S.SHIPPED)
            if change.changed:
                await apply_change(conn, seller, change)
        return received, await order_store.orders_of_items(conn, seller_id, shipment.item_ids)
