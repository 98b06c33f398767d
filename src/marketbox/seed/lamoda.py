"""One seller's Lamoda history: a nomenclature, FBS and FBO orders (one item per unit), pack numbers,
the cut-off day's FBS shipment with a marking code per marked item, returns in return boxes.

Each order's life is planned as the steps the seller API, the courier, the buyer and the return desk
would make; the steps up to the window's end are replayed through the domain (`OrderChange`,
`check_world_move`, `order_events`), which refuses any move Lamoda would never make and gives the
order's status, its B2B v1 status, its history and its notification sequence number. A replay is
cached by the shape of the steps, so a million orders cost a few thousand replays.

FBS: New ─▶ Confirmed ─▶ assembled (Ready for shipment) and packed ─▶ in the cut-off day's shipment
(11:00 Moscow) ─▶ Shipped when the courier takes it (13:15) ─▶ Arrived to LME ─▶ Left LME ─▶ Given to
delivery ─▶ (Postponed ─▶) In delivery ─▶ Delivered | Not bought | Rejected | Not delivered ─▶ items
that come back are Sent back to partner in the return desk's daily box; some delivered items come back
later (Claimed ok ─▶ Sent back to partner ─▶ Ready to refund ─▶ Refunded). Some orders are cancelled
by the seller before shipping.
FBO: Confirmed ─▶ Shipped from Lamoda's warehouse ─▶ the same last mile; returns stay with Lamoda.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table

from marketbox.domain.lamoda_orders import (
    COMES_BACK,
    NON_PURCHASE_REASONS,
    RETURNS_MOVED_TO_V2,
    FulfillmentType,
    ItemStatus,
    Order,
    OrderChange,
    OrderItem,
    StatusEvent,
    check_world_move,
    order_nr_for,
    status_without_returns,
    world_moves_of,
)
from marketbox.domain.lamoda_returns import RETURN_TYPE_BY_STATUS, BoxStatus, ReturnStatus
from marketbox.domain.lamoda_shipments import ShipmentStatus
from marketbox.domain.lamoda_world import SERIAL_CHARS
from marketbox.domain.marking_codes import check_code
from marketbox.domain.notifications import order_events
from marketbox.domain.shipping_dates import MOSCOW, calculated_cut_off
from marketbox.seed.common import Buyers, Window, hours
from marketbox.services import fake_data
from marketbox.services.lamoda_catalog import lamoda_sku
from marketbox.store.bulk import Chunk, IdBlocks, Load, Row, encode_json
from marketbox.store.tables import (
    LAMODA_ORDER_ID_START,
    lamoda_containers,
    lamoda_marking_codes,
    lamoda_nomenclatures,
    lamoda_order_items,
    lamoda_orders,
    lamoda_return_boxes,
    lamoda_return_items,
    lamoda_shipments,
)

S = ItemStatus
FBS, FBO = FulfillmentType.FBS, FulfillmentType.FBO

FBO_SHARE = 0.3
SELLER_CANCELS = 0.03  # FBS, before shipping
BUYER_CANCELS_FBO = 0.02
CONFIRMED_FIRST = 0.85  # the rest are assembled straight from New (which confirms them)
ONE_PACK = 0.75  # of orders with several items; the others get a pack per item
POSTPONED = 0.05
NOT_DELIVERED = 0.02  # of orders, at the door
REJECTED = 0.01  # of orders, at the door
NOT_BOUGHT = 0.08  # of items at the door
RETURNED_LATER = 0.03  # of delivered items: the buyer brings them back (Claimed ok)
PALLET_PACKS = 30
MAX_ITEMS = 3
# What services/lamoda_orders.cancel records as the reason of a seller's cancellation.
SELLER_CANCEL_REASON = "Отменён продавцом"

NOMENCLATURE_COLUMNS = (
    "seller_id", "external_sku", "sku", "parent_sku", "name", "brand", "color", "size", "barcode",
    "category", "price", "marking_required", "fbo_stock", "created_at", "updated_at",
)  # fmt: skip
ORDER_COLUMNS = (
    "id", "seller_id", "order_nr", "fulfillment_type", "status", "v1_status", "created_at", "updated_at",
    "cut_off", "details", "history", "pack_numbers", "sequence_number",
)  # fmt: skip
ITEM_COLUMNS = (
    "id", "order_id", "seller_id", "sku", "external_sku", "name", "brand", "size", "color", "price",
    "paid_price", "status", "status_reason", "marking_required", "pack_index", "shipment_id", "updated_at",
)  # fmt: skip
CONTAINER_COLUMNS = ("seller_id", "barcode", "kind", "order_id", "shipment_id", "created_at")
CODE_COLUMNS = ("seller_id", "code", "order_item_id", "supply_id", "sku", "created_at")
BOX_COLUMNS = ("id", "seller_id", "barcode", "status", "created_at", "updated_at")
RETURN_COLUMNS = (
    "id", "seller_id", "order_id", "order_item_id", "box_id", "return_type", "status", "reason",
    "return_date", "history", "created_at", "updated_at",
)  # fmt: skip
SHIPMENT_COLUMNS = (
    "id", "seller_id", "status", "external_id", "source", "destination", "ship_at", "created_at",
    "updated_at", "pallets",
)  # fmt: skip


def id_needs(orders: int) -> dict[Table, int]:
    """The most ids a batch of `orders` orders can take from each table."""
    return {lamoda_orders: orders, lamoda_order_items: MAX_ITEMS * orders,
            lamoda_return_items: MAX_ITEMS * orders, lamoda_return_boxes: 2 * orders,
            lamoda_shipments: orders}  # fmt: skip


# ---- plans and their replay through the domain -----------------------------------------------------

Move = tuple[int, str, str | None]  # item index, new status, reason
# (kind, moves, numbers): "confirm" | "assemble" (numbers: pack of each item) | "packs" (numbers:
# (count,)) | "shipment" | "cancel" (the seller's) | "world" (courier, buyer, return desk).
Step = tuple[str, tuple[Move, ...], tuple[int, ...]]
HistoryLine = tuple[int, str, int | None, str | None]  # step (-1: placed), status, item index, reason


@dataclass(frozen=True)
class Replay:
    status: str
    v1_status: str
    sequence_number: int
    history: tuple[HistoryLine, ...]
    items: tuple[tuple[str, int | None, int], ...]  # status, pack index, last step that changed it
    came_back: bool  # some item came back (FBS: a return item was opened)


_BEFORE_V2_RETURNS = RETURNS_MOVED_TO_V2 - timedelta(days=30)


PlanStep = tuple[datetime, Step, Step]  # when, the step, the step as its replay sees it


def _planned(at: datetime, step: Step) -> PlanStep:
    """The step with its replay's form: reasons only given or not (nothing else about them matters)."""
    kind, moves, numbers = step
    if any(r for _, _, r in moves):
        return (
            at,
            step,
            (kind, tuple((k, s, NON_PURCHASE_REASONS[0] if r else None) for k, s, r in moves), numbers),
        )
    return at, step, step


@functools.cache
def replay(fulfillment: FulfillmentType, n_items: int, steps: tuple[Step, ...], cutover: int) -> Replay:
    """Apply the steps as the services would; steps from `cutover` on happen after 2026-03-03, which
    changes which notifications return statuses make."""

    def at(s: int) -> datetime:
        return (RETURNS_MOVED_TO_V2 if s >= cutover else _BEFORE_V2_RETURNS) + timedelta(seconds=s + 1)

    placed = _BEFORE_V2_RETURNS
    initial = S.NEW if fulfillment == FBS else S.CONFIRMED
    items = tuple(
        OrderItem(k + 1, 1, "", "", "", "", "", "", 0, 0, initial, None, False, None, None, placed)
        for k in range(n_items)
    )
    order = Order(
        id=1,
        seller_id=0,
        order_nr="RU000000-000001",
        fulfillment_type=fulfillment,
        status=initial.value,
        created_at=placed,
        updated_at=placed,
        cut_off=None,
        details={},
        history=(StatusEvent(placed, initial.value),),
        items=items,
        sequence_number=1,  # the new order's notification
    )
    last = [-1] * n_items
    for s, (kind, moves, numbers) in enumerate(steps):
        now = at(s)
        if kind == "packs":  # services/lamoda_orders.generate_packs counts one more notification
            numbers_of_packs = tuple(str(i) for i in range(numbers[0]))
            order = replace(
                order,
                pack_numbers=numbers_of_packs,
                updated_at=now,
                sequence_number=order.sequence_number + 1,
            )
            continue
        if kind == "shipment":  # services/lamoda_shipping.create_shipment
            shipped = tuple(
                replace(i, shipment_id=1, updated_at=now) if i.status == S.READY_FOR_SHIPMENT else i
                for i in order.items
            )
            for k, item in enumerate(shipped):
                if item.shipment_id is not None:
                    last[k] = s
            order = replace(order, items=shipped, updated_at=now)
            continue
        change = OrderChange(order, now)
        if kind == "confirm":
            for item in order.items:
                if item.status == S.NEW:
                    change.move(item, S.CONFIRMED)
        elif kind == "assemble":
            for item in order.active_items:
                packed = replace(item, pack_index=numbers[item.id - 1])
                if item.status == S.NEW:  # assembling a new order confirms it
                    change.move(packed, S.CONFIRMED)
                change.move(packed, S.READY_FOR_SHIPMENT)
        elif kind == "cancel":
            for k, status, reason in moves:
                change.move(order.items[k], ItemStatus(status), reason)
        else:
            for k, status, reason in moves:
                item = order.items[k]
                target = ItemStatus(status)
                kept = check_world_move(item, target, reason, world_moves_of(item, fulfillment))
                change.move(item, target, kept)
        after = change.result()
        order = replace(after, sequence_number=order.sequence_number + len(order_events(order, after, now)))
        for item_id in change.changed:
            last[item_id - 1] = s
    step_of = {at(s): s for s in range(len(steps))}
    step_of[placed] = -1
    history = tuple(
        (step_of[e.at], e.status, None if e.item_id is None else e.item_id - 1, e.reason)
        for e in order.history
    )
    return Replay(
        status=order.status,
        v1_status=status_without_returns(order),
        sequence_number=order.sequence_number,
        history=history,
        items=tuple((i.status.value, i.pack_index, last[k]) for k, i in enumerate(order.items)),
        came_back=any(ItemStatus(line[1]) in COMES_BACK for line in history if line[2] is not None),
    )


# ---- the generator ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Goods:
    external_sku: str
    sku: str
    name: str
    brand: str
    size: str
    color: str
    price: int
    marking_required: bool
    gtin: str
    category: str


@dataclass
class _Shipment:
    id: int
    cut_off: datetime
    created: datetime
    received: datetime
    pallets: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Return:
    id: int
    item: int
    kind: str
    reason: str | None
    opened: datetime
    status: ReturnStatus = ReturnStatus.CREATED
    box_id: int | None = None
    history: list[tuple[datetime, ReturnStatus]] = field(default_factory=list)


@dataclass
class _Out:
    orders: Chunk = field(default_factory=lambda: Chunk(lamoda_orders, ORDER_COLUMNS))
    items: Chunk = field(default_factory=lambda: Chunk(lamoda_order_items, ITEM_COLUMNS))
    containers: Chunk = field(default_factory=lambda: Chunk(lamoda_containers, CONTAINER_COLUMNS))
    codes: Chunk = field(default_factory=lambda: Chunk(lamoda_marking_codes, CODE_COLUMNS))
    boxes: Chunk = field(default_factory=lambda: Chunk(lamoda_return_boxes, BOX_COLUMNS))
    returns: Chunk = field(default_factory=lambda: Chunk(lamoda_return_items, RETURN_COLUMNS))
    shipments: Chunk = field(default_factory=lambda: Chunk(lamoda_shipments, SHIPMENT_COLUMNS))

    def load(self) -> Load:
        return Load(
            [self.orders, self.items, self.containers, self.codes, self.boxes, self.returns, self.shipments]
        )


_SERIAL = SERIAL_CHARS  # the characters Lamoda's warehouse uses


class LamodaSeeder:
    """Generates one seller's Lamoda rows, batch after batch; the same seed gives the same rows."""

    def __init__(
        self, seller_id: int, orders: int, goods_count: int, window: Window, rng: random.Random
    ) -> None:
        self.seller_id = seller_id
        self.orders = orders
        self.window = window
        self.rng = rng
        self.goods = [self._goods(n) for n in range(goods_count)]
        buyers = Buyers.make(rng)
        # The details services/lamoda_orders.place_order gives a buyer's order.
        self.details = [
            encode_json(
                {
                    "customer": buyers.names[n % len(buyers.names)],
                    "city": buyers.addresses[n].city.removeprefix("г. "),
                    "shippingMethodCode": "lamoda",
                    "shippingMethodName": "Курьерская доставка Lamoda Express",
                    "paymentMethod": rng.choice(["COD", "prepayment"]),
                    "deliveryPrice": 0,
                    "hasIntervals": True,
                }
            )
            for n in range(len(buyers.addresses))
        ]
        self.desk_minutes = rng.randrange(120)
        self._codes = 0
        self._shipments: dict[datetime, _Shipment] = {}
        self._boxes: dict[date, tuple[int, datetime]] = {}
        self._ids: IdBlocks | None = None
        self._out = _Out()

    def _goods(self, n: int) -> _Goods:
        details = fake_data.lamoda_goods(self.rng)
        external = f"SKU-{n + 1:05d}-{details['size']}"
        barcode = str(details["barcode"])
        return _Goods(
            external_sku=external,
            sku=lamoda_sku(self.seller_id, external),
            name=str(details["name"]),
            brand=str(details["brand"]),
            size=str(details["size"]),
            color=str(details["color"]),
            price=int(str(details["price"])),
            marking_required=bool(details["marking_required"]),
            gtin=_checked_gtin("0" + barcode),
            category=str(details["category"]),
        )

    def nomenclature(self) -> Load:
        listed = self.window.begin - timedelta(days=30)
        rows: list[Row] = [
            (self.seller_id, g.external_sku, g.sku, g.sku[:12], g.name, g.brand, g.color, g.size, g.gtin[1:],
             g.category, g.price, g.marking_required, 0, listed, listed)
            for g in self.goods
        ]  # fmt: skip
        return Load([Chunk(lamoda_nomenclatures, NOMENCLATURE_COLUMNS, rows)])

    def batch(self, ids: IdBlocks, start: int, count: int) -> Load:
        self._ids, self._out = ids, _Out()
        for i in range(start, start + count):
            self._order(i)
        oldest = self.window.created_at(start + count, self.orders, 0.0).astimezone(MOSCOW).date()
        for day in [d for d in self._boxes if d < oldest]:  # later returns go to later boxes
            del self._boxes[day]
        return self._out.load()

    def finish(self) -> Load:
        self._out = _Out()
        for cut_off in list(self._shipments):
            self._close_shipment(cut_off)
        return self._out.load()

    def _take(self, table: Table) -> int:
        assert self._ids is not None
        return self._ids.take(table)

    # ---- plans -----------------------------------------------------------------------------------

    def _last_mile(self, at: datetime, n: int, steps: list[PlanStep]) -> datetime:
        """From Shipped to the door: LME scans, the courier; returns when the buyer decides."""
        rng = self.rng
        everyone = range(n)

        def world(status: ItemStatus, when: datetime) -> None:
            steps.append(_planned(when, ("world", tuple((k, status.value, None) for k in everyone), ())))

        for status, low, high in (
            (S.ARRIVED_TO_LME, 8, 30),
            (S.LEFT_LME, 2, 10),
            (S.GIVEN_TO_DELIVERY, 4, 24),
        ):
            at += hours(low, high, rng)
            world(status, at)
        if rng.random() < POSTPONED:
            at += hours(1, 4, rng)
            world(S.POSTPONED, at)
            at += hours(20, 30, rng)
        else:
            at += hours(1, 5, rng)
        world(S.IN_DELIVERY, at)
        return at + hours(0.5, 6, rng)

    def _door(self, n: int) -> tuple[Move, ...]:
        r = self.rng.random
        outcome = r()
        reasons = NON_PURCHASE_REASONS
        if outcome < NOT_DELIVERED:
            return tuple((k, S.NOT_DELIVERED.value, None) for k in range(n))
        if outcome < NOT_DELIVERED + REJECTED:
            reason = self.rng.choice(reasons) if r() < 0.5 else None
            return tuple((k, S.REJECTED.value, reason) for k in range(n))
        return tuple(
            (k, S.NOT_BOUGHT.value, self.rng.choice(reasons))
            if r() < NOT_BOUGHT
            else (k, S.DELIVERED.value, None)
            for k in range(n)
        )

    def _desk(self, earliest: datetime) -> datetime:
        """When the return desk sends the seller's box of the day: once a day, at a time of its own."""
        day = earliest.astimezone(MOSCOW).date()
        at = self._desk_at(day)
        return at if at >= earliest else self._desk_at(day + timedelta(days=1))

    def _desk_at(self, day: date) -> datetime:
        minutes = (day.toordinal() * 37 + self.desk_minutes) % 120
        return (datetime.combine(day, time(11, 0), MOSCOW) + timedelta(minutes=minutes)).astimezone(UTC)

    def _afterwards(
        self,
        fulfillment: FulfillmentType,
        door: datetime,
        moves: tuple[Move, ...],
        steps: list[PlanStep],
    ) -> None:
        """What follows the door: goods that came back go to the seller (FBS), some bought goods come
        back later and are refunded."""
        rng = self.rng
        back = tuple(k for k, status, _ in moves if status != S.DELIVERED.value)
        if back and fulfillment == FBS:
            sent = self._desk(door + hours(24, 96, rng))
            steps.append(
                _planned(sent, ("world", tuple((k, S.SENT_BACK_TO_PARTNER.value, None) for k in back), ()))
            )
        claimed = tuple(
            k for k, status, _ in moves if status == S.DELIVERED.value and rng.random() < RETURNED_LATER
        )
        if not claimed:
            return
        at = door + hours(48, 14 * 24, rng)
        reason = rng.choice(NON_PURCHASE_REASONS)
        steps.append(_planned(at, ("world", tuple((k, S.CLAIMED_OK.value, reason) for k in claimed), ())))
        if fulfillment == FBS:
            at = self._desk(at + hours(24, 72, rng))
            steps.append(
                _planned(at, ("world", tuple((k, S.SENT_BACK_TO_PARTNER.value, None) for k in claimed), ()))
            )
        for status, low, high in ((S.READY_TO_REFUND, 24, 72), (S.REFUNDED, 24, 120)):
            at += hours(low, high, rng)
            steps.append(_planned(at, ("world", tuple((k, status.value, None) for k in claimed), ())))

    def _fbs_plan(self, created: datetime, cut_off: datetime, n: int) -> list[PlanStep]:
        rng = self.rng
        r = rng.random
        steps: list[PlanStep] = []
        confirmed = created
        if r() < SELLER_CANCELS:
            if r() < 0.5:
                confirmed = created + hours(0.1, 4, rng)
                steps.append(_planned(confirmed, ("confirm", (), ())))
            cancel = tuple((k, S.CANCELED.value, SELLER_CANCEL_REASON) for k in range(n))
            steps.append(_planned(confirmed + hours(0.5, 10, rng), ("cancel", cancel, ())))
            return steps
        if r() < CONFIRMED_FIRST:
            confirmed = created + hours(0.1, 5, rng)
            steps.append(_planned(confirmed, ("confirm", (), ())))
        assembled = min(confirmed + hours(0.2, 8, rng), cut_off - timedelta(hours=3, minutes=15))
        layout = tuple([1] * n) if n == 1 or r() < ONE_PACK else tuple(range(1, n + 1))
        steps.append(_planned(assembled, ("assemble", (), layout)))
        steps.append(
            _planned(assembled + timedelta(minutes=rng.uniform(1, 10)), ("packs", (), (max(layout),)))
        )
        shipment = self._shipment_times(cut_off)
        steps.append(_planned(shipment[0], ("shipment", (), ())))
        steps.append(
            _planned(shipment[1], ("world", tuple((k, S.SHIPPED.value, None) for k in range(n)), ()))
        )
        door = self._last_mile(shipment[1], n, steps)
        moves = self._door(n)
        steps.append(_planned(door, ("world", moves, ())))
        self._afterwards(FBS, door, moves, steps)
        steps.sort(key=lambda s: s[0])
        return steps

    def _fbo_plan(self, created: datetime, n: int) -> list[PlanStep]:
        rng = self.rng
        everyone = range(n)
        steps: list[PlanStep] = []
        if rng.random() < BUYER_CANCELS_FBO:
            cancel = ("world", tuple((k, S.CANCELED.value, None) for k in everyone), ())
            steps.append(_planned(created + hours(0.5, 8, rng), cancel))
            return steps
        shipped = created + hours(3, 20, rng)
        steps.append(_planned(shipped, ("world", tuple((k, S.SHIPPED.value, None) for k in everyone), ())))
        door = self._last_mile(shipped, n, steps)
        moves = self._door(n)
        steps.append(_planned(door, ("world", moves, ())))
        self._afterwards(FBO, door, moves, steps)
        steps.sort(key=lambda s: s[0])
        return steps

    # ---- one order -------------------------------------------------------------------------------

    def _order(self, i: int) -> None:
        rng = self.rng
        r = rng.random
        end = self.window.end
        out = self._out
        created = self.window.created_at(i, self.orders, r())
        for day in [c for c in self._shipments if c < created]:  # no later order can join it
            self._close_shipment(day)
        cut_off = calculated_cut_off(created)
        n = 1 if r() < 0.65 else (2 if r() < 0.7 else 3)
        first = rng.choice(self.goods)  # a second unit of the same SKU now and then
        goods = [first, *(first if r() < 0.3 else rng.choice(self.goods) for _ in range(n - 1))]
        details = self.details[int(r() * len(self.details))]
        fulfillment = FBO if r() < FBO_SHARE else FBS
        plan = self._fbs_plan(created, cut_off, n) if fulfillment == FBS else self._fbo_plan(created, n)
        reached = [(at, step) for at, step, _ in plan if at <= end]
        cutover = next((s for s, (at, _) in enumerate(reached) if at >= RETURNS_MOVED_TO_V2), len(reached))
        result = replay(fulfillment, n, tuple(seen for _, _, seen in plan[: len(reached)]), cutover)

        order_id = self._take(lamoda_orders)
        order_nr = order_nr_for(order_id, created, LAMODA_ORDER_ID_START)
        item_ids = [self._take(lamoda_order_items) for _ in range(n)]
        times = [at for at, _ in reached]
        reasons = {(s, k): reason for s, (_, step) in enumerate(reached) for k, _, reason in step[1]}
        iso = [at.isoformat() for at in times]
        created_iso = created.isoformat()
        history = encode_json(
            [
                {
                    "at": created_iso if s < 0 else iso[s],
                    "status": status,
                    "item_id": None if k is None else item_ids[k],
                    "reason": None if k is None else reasons.get((s, k)),
                }
                for s, status, k, _ in result.history
            ]
        )
        kinds = [step[0] for _, step in reached]
        pack_count = next((step[2][0] for _, step in reached if step[0] == "packs"), 0)
        pack_numbers = [f"{order_nr}-{p}" for p in range(1, pack_count + 1)]
        shipment_id: int | None = None
        if "shipment" in kinds:
            shipment_id = self._ship(cut_off, order_id, pack_numbers, item_ids, result)
        if pack_count:
            packed_at = times[kinds.index("packs")]
            for number in pack_numbers:
                out.containers.rows.append((self.seller_id, number, "pack", order_id, shipment_id, packed_at))
        out.orders.rows.append(
            (order_id, self.seller_id, order_nr, fulfillment.value, result.status, result.v1_status, created,
             times[-1] if times else created, cut_off, details, history, encode_json(pack_numbers),
             result.sequence_number)
        )  # fmt: skip
        for k, (g, item_id) in enumerate(zip(goods, item_ids, strict=True)):
            status, pack_index, changed = result.items[k]
            in_shipment = shipment_id if pack_index is not None and "shipment" in kinds else None
            out.items.rows.append(
                (item_id, order_id, self.seller_id, g.sku, g.external_sku, g.name, g.brand, g.size, g.color,
                 g.price, g.price, status, reasons.get((changed, k)), g.marking_required, pack_index,
                 in_shipment,
                 created if changed < 0 else times[changed])
            )  # fmt: skip
            if in_shipment is not None and g.marking_required:
                out.codes.rows.append(
                    (self.seller_id, self._marking_code(g), item_id, None, g.external_sku,
                     times[kinds.index("shipment")])
                )  # fmt: skip
        if fulfillment == FBS and result.came_back:
            self._returns(order_id, item_ids, reached)

    def _returns(self, order_id: int, item_ids: list[int], reached: list[tuple[datetime, Step]]) -> None:
        """Return items as services/lamoda_returns keeps them: opened when an item comes back, boxed
        when it is sent back to the seller, accepted when the seller confirms the box."""
        opened: dict[int, _Return] = {}
        end = self.window.end
        for at, (kind, moves, _) in reached:
            if kind != "world":
                continue
            for k, status, reason in moves:
                target = ItemStatus(status)
                if target in COMES_BACK:
                    ret = _Return(
                        self._take(lamoda_return_items), k, RETURN_TYPE_BY_STATUS[target], reason, at
                    )
                    ret.history.append((at, ReturnStatus.CREATED))
                    opened[k] = ret
                elif target == S.SENT_BACK_TO_PARTNER and k in opened:
                    ret = opened[k]
                    ret.box_id, confirmed = self._box(at)
                    ret.status = ReturnStatus.SENT_TO_SELLER
                    ret.history.append((at, ret.status))
                    if confirmed <= end:
                        ret.status = ReturnStatus.ACCEPTED_BY_SELLER
                        ret.history.append((confirmed, ret.status))
        for ret in sorted(opened.values(), key=lambda x: x.id):
            self._out.returns.rows.append(
                (ret.id, self.seller_id, order_id, item_ids[ret.item], ret.box_id, ret.kind, ret.status.value,
                 ret.reason, ret.opened, encode_json([[t.isoformat(), s.value] for t, s in ret.history]),
                 ret.opened, ret.history[-1][0])
            )  # fmt: skip

    def _box(self, at: datetime) -> tuple[int, datetime]:
        """The return box of the desk's day (made by its first item), and when the seller confirms it."""
        day = at.astimezone(MOSCOW).date()
        box = self._boxes.get(day)
        if box is None:
            box_id = self._take(lamoda_return_boxes)
            confirmed = at + hours(20, 72, self.rng)
            box = self._boxes[day] = (box_id, confirmed)
            accepted = confirmed <= self.window.end
            self._out.boxes.rows.append(
                (box_id, self.seller_id, f"RB{box_id:010d}",
                 (BoxStatus.ACCEPTED_BY_SELLER if accepted else BoxStatus.SENT_TO_SELLER).value, at,
                 confirmed if accepted else at)
            )  # fmt: skip
        return box

    # ---- shipments -------------------------------------------------------------------------------

    @staticmethod
    def _shipment_times(cut_off: datetime) -> tuple[datetime, datetime]:
        """The seller announces the day's shipment two hours before the cut-off; the courier takes it
        a quarter of an hour after."""
        return cut_off - timedelta(hours=2), cut_off + timedelta(minutes=15)

    def _ship(
        self, cut_off: datetime, order_id: int, packs: list[str], item_ids: list[int], result: Replay
    ) -> int:
        shipment = self._shipments.get(cut_off)
        if shipment is None:
            created, received = self._shipment_times(cut_off)
            shipment = self._shipments[cut_off] = _Shipment(
                self._take(lamoda_shipments), cut_off, created, received
            )
        for p, number in enumerate(packs, start=1):
            inside = [item_ids[k] for k, (_, pack, _) in enumerate(result.items) if pack == p]
            if not shipment.pallets or len(shipment.pallets[-1]["packs"]) >= PALLET_PACKS:
                barcode = f"PL{(shipment.id * 100 + len(shipment.pallets)) % 10**10:010d}"
                shipment.pallets.append({"barcode": barcode, "packs": []})
            shipment.pallets[-1]["packs"].append(
                {"barcode": number, "order_id": order_id, "item_ids": inside}
            )
        return shipment.id

    def _close_shipment(self, cut_off: datetime) -> None:
        shipment = self._shipments.pop(cut_off)
        received = shipment.received <= self.window.end
        status = ShipmentStatus.RECEIVED if received else ShipmentStatus.CREATED
        self._out.shipments.rows.append(
            (shipment.id, self.seller_id, status.value, None, None, None, None, shipment.created,
             shipment.received if received else shipment.created, encode_json(shipment.pallets))
        )  # fmt: skip
        for pallet in shipment.pallets:
            self._out.containers.rows.append(
                (self.seller_id, pallet["barcode"], "pallet", None, shipment.id, shipment.created)
            )

    def _marking_code(self, goods: _Goods) -> str:
        """A code unique within the seller: its serial is a bijection of a running number."""
        self._codes += 1
        x = (self._codes * 0x9E3779B97F4A7C15 + self.seller_id) % 2**64
        serial = ""
        for _ in range(13):
            x, digit = divmod(x, len(_SERIAL))
            serial += _SERIAL[digit]
        code = f"01{goods.gtin}21{serial}"
        return code


def _checked_gtin(gtin: str) -> str:
    """A GTIN whose marking codes the domain accepts (checked once per product, not per code)."""
    check_code(f"01{gtin}21A", "datamatrix")
    return gtin
