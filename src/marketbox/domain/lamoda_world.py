"""World events on Lamoda objects beyond one item's move: the buyer cancels an order or takes part of it
at the door, Lamoda's warehouse reports the marking codes of the units it picked for an FBO order, the
return desk sends return boxes to the seller, the courier takes over an FBS shipment.

Each check refuses what the marketplace would never do, naming the current state and what is possible.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from marketbox.domain.errors import Conflict, InvalidInput
from marketbox.domain.lamoda_orders import (
    COMES_BACK,
    NON_PURCHASE_REASONS,
    FulfillmentType,
    ItemStatus,
    Order,
    OrderItem,
    world_moves_of,
)
from marketbox.domain.lamoda_shipments import Shipment, ShipmentStatus
from marketbox.domain.marking_codes import gtin_check_digit, gtin_check_digit_ok

S = ItemStatus

CANCEL_REASON = "Отменён покупателем"
# Where goods must be for the return desk to box them for the seller: bought and brought back
# (Delivered, becoming Claimed ok on the way), or already back from the door or the pickup point.
RETURNABLE = frozenset({S.DELIVERED, *COMES_BACK})
SERIAL_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def item_conflict(order: Order, item: OrderItem, what: str) -> Conflict:
    """409 for an item whose status forbids the event, with the moves the world could make instead."""
    allowed = sorted(world_moves_of(item, order.fulfillment_type))
    return Conflict(
        "transition_not_allowed",
        f"item {item.id} of order {order.order_nr} is {item.status.value!r}: {what}"
        + (f" (its allowed moves: {', '.join(allowed)})" if allowed else " (no further status is possible)"),
        {"item_id": item.id, "current": item.status.value, "allowed": allowed},
    )


def cancellable_items(order: Order) -> tuple[OrderItem, ...]:
    """The items a buyer's cancellation cancels: all live ones, as long as none has left yet."""
    active = order.active_items
    if not active:
        raise Conflict(
            "transition_not_allowed",
            f"order {order.order_nr} is already 'Canceled'",
            {"current": S.CANCELED.value, "allowed": []},
        )
    for item in active:
        if S.CANCELED not in world_moves_of(item, order.fulfillment_type):
            raise item_conflict(
                order,
                item,
                "the buyer can cancel an order only before it is shipped "
                "(New, Confirmed or Ready for shipment)",
            )
    return active


def at_the_door(order: Order, item: OrderItem) -> bool:
    return S.DELIVERED in world_moves_of(item, order.fulfillment_type)


def check_reason(reason: str | None, field: str) -> str:
    """A non-purchase reason: required, and one of Lamoda's list."""
    if reason is None:
        raise InvalidInput(
            "reason_required",
            "a 'Not bought' item needs a non-purchase reason, one of: " + "; ".join(NON_PURCHASE_REASONS),
            {"field": field, "allowed": list(NON_PURCHASE_REASONS)},
        )
    if reason not in NON_PURCHASE_REASONS:
        raise InvalidInput(
            "unknown_reason",
            f"unknown non-purchase reason {reason!r}; one of: " + "; ".join(NON_PURCHASE_REASONS),
            {"field": field, "allowed": list(NON_PURCHASE_REASONS)},
        )
    return reason


def buyout_items(
    order: Order, not_bought: Mapping[int, str]
) -> list[tuple[OrderItem, ItemStatus, str | None]]:
    """The buyer's decision at the door: the listed items are not bought (for the reason given), every
    other item with the buyer is bought. Items still on their way are left as they are."""
    for item_id in not_bought:
        item = order.item(item_id)
        assert item is not None  # the service resolved the ids
        if not at_the_door(order, item):
            raise item_conflict(order, item, "only an item with the buyer can be not bought")
    decided: list[tuple[OrderItem, ItemStatus, str | None]] = [
        (item, S.NOT_BOUGHT, not_bought[item.id]) if item.id in not_bought else (item, S.DELIVERED, None)
        for item in order.active_items
        if at_the_door(order, item)
    ]
    if not decided:
        first = order.active_items[0] if order.active_items else order.items[0]
        raise item_conflict(
            order,
            first,
            "no item of the order is with the buyer "
            "(Given to delivery, In delivery, On shelf, Postponed or Delivery incidence)",
        )
    return decided


def check_returnable(order: Order, item: OrderItem, reason: str | None) -> None:
    """An item the return desk can send back to the seller in a return box."""
    if order.fulfillment_type != FulfillmentType.FBS:
        raise Conflict(
            "not_fbs",
            f"item {item.id} belongs to FBO order {order.order_nr}: FBO returns stay at Lamoda's warehouse",
            {"item_id": item.id},
        )
    if item.status not in RETURNABLE:
        raise item_conflict(
            order,
            item,
            "a return box holds only items that are Delivered, Claimed ok, Not bought, Rejected or "
            "Not delivered",
        )
    if reason is not None and item.status != S.DELIVERED:
        raise InvalidInput(
            "reason_not_applicable",
            f"item {item.id} came back as {item.status.value!r}: its return already has its reason; "
            "give a reason only for a Delivered item the buyer returns",
            {"item_id": item.id},
        )


def require_fbo_for_marking(order: Order) -> None:
    if order.fulfillment_type != FulfillmentType.FBO:
        raise Conflict(
            "seller_marks",
            f"order {order.order_nr} is FBS: the seller sends the marking codes of its units "
            "(`datamatrix` in the FBS shipment)",
            {"fulfillment_type": order.fulfillment_type.value},
        )


def check_markable(order: Order, item: OrderItem, has_code: bool) -> None:
    """Lamoda's warehouse reports one code for a live, marked unit of an FBO order."""
    require_fbo_for_marking(order)
    if item.status == S.CANCELED:
        raise item_conflict(order, item, "a cancelled item gets no marking code")
    if not item.marking_required:
        raise Conflict(
            "marking_not_required",
            f"item {item.id} ({item.external_sku}) is not marked goods: it has no marking code",
            {"item_id": item.id},
        )
    if has_code:
        raise Conflict(
            "already_marked",
            f"item {item.id} already has its marking code: a unit has one code",
            {"item_id": item.id},
        )


def new_code(sku: str, barcode: str, taken: Iterable[str], rng: random.Random) -> str:
    """A fresh Честный ЗНАК code for a unit: the product's GTIN (its EAN-13, zero-padded) when valid."""
    gtin = "0" + barcode
    if not (len(barcode) == 13 and barcode.isdigit() and gtin_check_digit_ok(gtin)):
        body = "0460" + str(int.from_bytes(hashlib.sha256(sku.encode()).digest()[:8], "big"))[-9:].zfill(9)
        gtin = body + gtin_check_digit(body)
    used = set(taken)
    while True:
        code = f"01{gtin}21" + "".join(rng.choice(SERIAL_CHARS) for _ in range(13))
        if code not in used:
            return code


def receive(shipment: Shipment, now: datetime) -> Shipment:
    """The courier takes over the shipment's pallets (once)."""
    if shipment.status != ShipmentStatus.CREATED:
        raise Conflict(
            "transition_not_allowed",
            f"shipment {shipment.id} is {shipment.status.value!r}: the courier already received it "
            "(no further status is possible)",
            {"current": shipment.status.value, "allowed": []},
        )
    return replace(shipment, status=ShipmentStatus.RECEIVED, updated_at=now)
