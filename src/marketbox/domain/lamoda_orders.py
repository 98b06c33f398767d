"""Lamoda orders: items move through Lamoda's item-status vocabulary; the order's status follows its items.

A Lamoda order holds one item per unit. The seller confirms or cancels (v1 events), assembles items
into packs and ships the packs; the world (courier, buyer, pickup point, return desk) moves items
further through the sandbox. Which moves are allowed, and who may make them, lives here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from marketbox.domain.errors import Conflict, InvalidInput
from marketbox.domain.shipping_dates import MOSCOW


class ItemStatus(StrEnum):
    NEW = "New"
    CONFIRMED = "Confirmed"
    CANCELED = "Canceled"
    READY_FOR_SHIPMENT = "Ready for shipment"
    SHIPPED = "Shipped"
    ARRIVED_TO_LME = "Arrived to LME"
    LEFT_LME = "Left LME"
    GIVEN_TO_DELIVERY = "Given to delivery"
    POSTPONED = "Postponed"
    DELIVERY_INCIDENCE = "Delivery incidence"
    IN_DELIVERY = "In delivery"
    ON_SHELF = "On shelf"
    DELIVERED = "Delivered"
    NOT_DELIVERED = "Not delivered"
    NOT_BOUGHT = "Not bought"
    REJECTED = "Rejected"
    CLAIMED_OK = "Claimed ok"
    SENT_BACK_TO_PARTNER = "Sent back to partner"
    READY_TO_REFUND = "Ready to refund"
    REFUNDED = "Refunded"
    REFUND_BY_PARTNER = "Refund by partner"


S = ItemStatus


class FulfillmentType(StrEnum):
    FBS = "FBS"
    FBO = "FBO"


# Lamoda's reasons for a non-purchase (`not_delivered` in its reference), as the seed lists them;
# the seed's fourth entry is cut off after "следы", completed here as "следы носки".
NON_PURCHASE_REASONS: tuple[str, ...] = (
    "Размер не подошёл",
    "Не соответствует описанию/фото",
    "Низкое качество изготовления, материала",
    "Брак, некомплект, следы носки",
)

# From this day (on the seller's clock) return statuses are reported only by the v2 return methods.
RETURNS_MOVED_TO_V2 = datetime(2026, 3, 3, tzinfo=MOSCOW)

RETURN_STATUSES = frozenset(
    {S.CLAIMED_OK, S.SENT_BACK_TO_PARTNER, S.READY_TO_REFUND, S.REFUNDED, S.REFUND_BY_PARTNER}
)
# Statuses after which the buyer kept the goods (a partial buyout still makes the order "Delivered").
_BOUGHT = frozenset({S.DELIVERED, S.CLAIMED_OK, S.READY_TO_REFUND, S.REFUNDED, S.REFUND_BY_PARTNER})
# Outcomes at the door or the pickup point that send the goods back to the seller (FBS).
COMES_BACK = frozenset({S.NOT_BOUGHT, S.REJECTED, S.NOT_DELIVERED, S.CLAIMED_OK})
_FINAL_AT_DOOR = frozenset({S.DELIVERED, S.NOT_DELIVERED, S.NOT_BOUGHT, S.REJECTED})
_TRANSIT = (S.SHIPPED, S.ARRIVED_TO_LME, S.LEFT_LME, S.GIVEN_TO_DELIVERY)
_LAST_MILE = frozenset({S.GIVEN_TO_DELIVERY, S.IN_DELIVERY, S.ON_SHELF, S.POSTPONED, S.DELIVERY_INCIDENCE})

# Progress of each status; an order in progress shows its least advanced item.
_RANK = {
    S.NEW: 0,
    S.CONFIRMED: 1,
    S.READY_FOR_SHIPMENT: 2,
    S.SHIPPED: 3,
    S.ARRIVED_TO_LME: 4,
    S.LEFT_LME: 5,
    S.GIVEN_TO_DELIVERY: 6,
    S.POSTPONED: 7,
    S.DELIVERY_INCIDENCE: 7,
    S.IN_DELIVERY: 8,
    S.ON_SHELF: 8,
}


def _world_moves() -> dict[ItemStatus, frozenset[ItemStatus]]:
    """What couriers, buyers, pickup points and return desks can do to an item."""
    moves: dict[ItemStatus, set[ItemStatus]] = {status: set() for status in S}
    for status in (S.NEW, S.CONFIRMED, S.READY_FOR_SHIPMENT):
        moves[status].add(S.CANCELED)  # the buyer cancels before the parcel leaves
    moves[S.READY_FOR_SHIPMENT].add(S.SHIPPED)
    for i, status in enumerate(_TRANSIT):
        moves[status].update(_TRANSIT[i + 1 :])  # scans may be skipped, never undone
        moves[status].update({S.IN_DELIVERY, S.ON_SHELF})
    for status in _LAST_MILE:
        moves[status].update(_LAST_MILE - {status, S.GIVEN_TO_DELIVERY})
        moves[status].update(_FINAL_AT_DOOR)
    moves[S.DELIVERED].add(S.CLAIMED_OK)
    for status in (S.NOT_BOUGHT, S.REJECTED, S.NOT_DELIVERED, S.CLAIMED_OK):
        moves[status].add(S.SENT_BACK_TO_PARTNER)
    moves[S.CLAIMED_OK].update({S.READY_TO_REFUND, S.REFUND_BY_PARTNER})
    moves[S.SENT_BACK_TO_PARTNER].update({S.READY_TO_REFUND, S.REFUND_BY_PARTNER})
    moves[S.READY_TO_REFUND].update({S.REFUNDED, S.REFUND_BY_PARTNER})
    return {status: frozenset(targets) for status, targets in moves.items()}


WORLD_MOVES = _world_moves()

# v2 speaks UPPER_SNAKE; an assembled order is "awaiting shipment" there, as Lamoda's v2 clients see it.
_V2_NAMES = {
    S.READY_FOR_SHIPMENT: "AWAITING_SHIPMENT",
    S.ARRIVED_TO_LME: "ARRIVED_TO_LME",
    S.LEFT_LME: "LEFT_LME",
}


def v2_status(status: str) -> str:
    known = _V2_NAMES.get(ItemStatus(status)) if status in S._value2member_map_ else None
    return known or status.upper().replace(" ", "_")


@dataclass(frozen=True)
class StatusEvent:
    """One line of an order's history: the order's own status (item_id None) or one item's."""

    at: datetime
    status: str
    item_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class OrderItem:
    id: int
    order_id: int
    sku: str  # Lamoda's SKU of the nomenclature
    external_sku: str  # the seller's SKU
    name: str
    brand: str
    size: str
    color: str
    price: int  # kopecks
    paid_price: int
    status: ItemStatus
    status_reason: str | None
    marking_required: bool
    pack_index: int | None  # 1-based pack of the assembly
    shipment_id: int | None
    updated_at: datetime

    def with_status(self, status: ItemStatus, reason: str | None, now: datetime) -> OrderItem:
        return replace(self, status=status, status_reason=reason, updated_at=now)


@dataclass(frozen=True)
class Order:
    id: int
    seller_id: int
    order_nr: str
    fulfillment_type: FulfillmentType
    status: str
    created_at: datetime
    updated_at: datetime
    cut_off: datetime | None
    details: dict[str, object]  # customer, shipping method, payment method, delivery price, interval
    history: tuple[StatusEvent, ...]
    items: tuple[OrderItem, ...] = ()
    pack_numbers: tuple[str, ...] = ()
    sequence_number: int = 0

    @property
    def tracking_id(self) -> str:
        """The order number without its country prefix, as Lamoda's notifications carry it."""
        return tracking_id_of(self.order_nr)

    @property
    def active_items(self) -> tuple[OrderItem, ...]:
        return tuple(i for i in self.items if i.status != S.CANCELED)

    @property
    def is_confirmed(self) -> bool:
        return any(e.status == S.CONFIRMED for e in self.history)

    @property
    def pack_count(self) -> int:
        """Packs of the assembly (0 before assembly)."""
        return max((i.pack_index or 0 for i in self.items), default=0)

    def item(self, item_id: int) -> OrderItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def pack_number_of(self, item: OrderItem) -> str | None:
        if item.pack_index is None or item.pack_index > len(self.pack_numbers):
            return None
        return self.pack_numbers[item.pack_index - 1]

    def first_time(self, status: ItemStatus) -> datetime | None:
        return next((e.at for e in self.history if e.status == status), None)


def tracking_id_of(order_nr: str) -> str:
    return order_nr[2:] if order_nr[:2].isalpha() else order_nr


def order_nr_for(order_id: int, created_at: datetime, first_id: int) -> str:
    """`RU261123-000042`: country, order day (Moscow) and a running number, as Lamoda numbers orders."""
    return f"RU{created_at.astimezone(MOSCOW):%y%m%d}-{order_id - first_id + 1:06d}"


def order_status(statuses: Iterable[str]) -> str:
    """The order's status from its items' (partial buyout: "Delivered" while some are "Not bought")."""
    listed = [ItemStatus(s) for s in statuses]
    active = [s for s in listed if s != S.CANCELED]
    if not active:
        return S.CANCELED
    if len(set(active)) == 1:
        return active[0]
    in_progress = [s for s in active if s in _RANK]
    if in_progress:
        return min(in_progress, key=lambda s: _RANK[s])
    if any(s in _BOUGHT for s in active):
        return S.DELIVERED
    if S.NOT_DELIVERED in active:
        return S.NOT_DELIVERED
    return S.REJECTED


def v1_visible_status(item: OrderItem, history: Sequence[StatusEvent], now: datetime) -> str:
    """What B2B v1 shows for an item: return statuses disappear from it from 2026-03-03 on."""
    if now < RETURNS_MOVED_TO_V2 or item.status not in RETURN_STATUSES:
        return item.status
    earlier = [
        e.status for e in history if e.item_id == item.id and ItemStatus(e.status) not in RETURN_STATUSES
    ]
    return earlier[-1] if earlier else S.DELIVERED


def status_without_returns(order: Order) -> str:
    """The order's status as B2B v1 shows it from 2026-03-03 on (return statuses hidden)."""
    return order_status(v1_visible_status(i, order.history, RETURNS_MOVED_TO_V2) for i in order.items)


def world_moves_of(item: OrderItem, fulfillment_type: FulfillmentType) -> frozenset[ItemStatus]:
    """Where the world may take the item; Lamoda's own warehouse assembles and ships FBO orders."""
    moves = WORLD_MOVES[item.status]
    if fulfillment_type == FulfillmentType.FBO and item.status == S.CONFIRMED:
        moves = moves | {S.READY_FOR_SHIPMENT, S.SHIPPED}
    return moves


def check_world_move(
    item: OrderItem, target: ItemStatus, reason: str | None, allowed_moves: frozenset[ItemStatus]
) -> str | None:
    """Refuse a move the marketplace would never make; return the reason to store."""
    if target not in allowed_moves:
        allowed = sorted(allowed_moves)
        raise Conflict(
            "transition_not_allowed",
            f"item {item.id} is {item.status.value!r}: it cannot become {target.value!r}"
            + (f" (allowed: {', '.join(allowed)})" if allowed else " (no further status is possible)"),
            {"field": "status", "current": item.status.value, "allowed": allowed},
        )
    if target == S.NOT_BOUGHT and reason is None:
        raise InvalidInput(
            "reason_required",
            "a 'Not bought' item needs a non-purchase reason, one of: " + "; ".join(NON_PURCHASE_REASONS),
            {"field": "reason", "allowed": list(NON_PURCHASE_REASONS)},
        )
    if reason is not None and target in (S.NOT_BOUGHT, S.REJECTED) and reason not in NON_PURCHASE_REASONS:
        raise InvalidInput(
            "unknown_reason",
            f"unknown non-purchase reason {reason!r}; one of: " + "; ".join(NON_PURCHASE_REASONS),
            {"field": "reason", "allowed": list(NON_PURCHASE_REASONS)},
        )
    return reason


@dataclass
class OrderChange:
    """Item moves applied to an order, with the history lines they add."""

    order: Order
    now: datetime
    events: list[StatusEvent] = field(default_factory=list)
    changed: dict[int, OrderItem] = field(default_factory=dict)

    def move(self, item: OrderItem, status: ItemStatus, reason: str | None = None) -> None:
        moved = item.with_status(status, reason, self.now)
        self.changed[item.id] = moved
        self.events.append(StatusEvent(self.now, status.value, item.id, reason))

    def result(self) -> Order:
        items = tuple(self.changed.get(i.id, i) for i in self.order.items)
        status = order_status(i.status for i in items)
        events = list(self.events)
        if status != self.order.status:
            events.append(StatusEvent(self.now, status, None, None))
        return replace(
            self.order,
            items=items,
            status=status,
            updated_at=self.now,
            history=self.order.history + tuple(events),
        )
