"""One seller's AliExpress history: a catalogue, paid trade orders, their logistic orders and the
handover lists of each shipping day, every order at the point of its life it has reached by the end of
the window.

An order's life is planned as the events the seller API, the carrier and the buyer would make:

    paid ─▶ logistic order (AwaitingHandoverList; the trade order InProgress)
         ─▶ joins its shipping day's handover list, open from 13:00 Moscow the day before (AwaitingDispatch)
         ─▶ the list is transferred at 12:40 on the day (OrderReceivedFromSeller; Shipped / WaitAcceptGoods)
            and accepted by the carrier's warehouse at 18:00
         ─▶ the carrier's scans ─▶ ProviderPostingDelivered (Finished / Delivered / Finish)

On the way: some buyers cancel before the hand-over; some parcels are never handed over (the carrier
reports CUT_OFF_OVERDUE and the buyer cancels after the deadline); the carrier reports and clears
creation, handover-list and delivery problems; sellers split an order into two parcels, delete a
parcel and make it again, or move its date to the spare day (pass-today).

The events up to the window's end are replayed through the domain (`carrier_move`, `buyer_cancel`,
`shift_cut_off`, `trade_progress`, `shipment_progress`), which refuses any move the marketplace would
not make and gives every status; a replay is cached by the shape of the events.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table

from marketbox.domain.handover_lists import HandoverStatus, ShipmentType
from marketbox.domain.logistic_moves import (
    IN_TRANSIT,
    BuyerCancelReason,
    CarrierEvent,
    CarrierMove,
    Situation,
    buyer_cancel,
    carrier_move,
    shift_cut_off,
    trade_progress,
)
from marketbox.domain.logistic_orders import (
    GROUP_OF,
    JewelryCodes,
    LogisticOrder,
    LogisticOrderLine,
    LogisticStatus,
    ProblemState,
    shipment_progress,
    tracking_code_for,
)
from marketbox.domain.sellers import Product
from marketbox.domain.shipping_dates import MOSCOW, calculated_cut_off, shipping_deadline, spare_day
from marketbox.domain.trade_orders import (
    AntifraudStatus,
    DeliveryStatus,
    DisplayStatus,
    PaymentStatus,
    ReceiverAddress,
    TradeOrder,
    TradeOrderLine,
    TradeOrderStatus,
)
from marketbox.seed.common import Buyers, Window, hours
from marketbox.services import fake_data
from marketbox.store.bulk import Chunk, IdBlocks, Load, Row, encode_json
from marketbox.store.logistic_orders import line_document
from marketbox.store.tables import handover_lists, logistic_orders, products, trade_order_lines, trade_orders

S = LogisticStatus
P = ProblemState

# Fates, as shares of all orders (the rest is handed over and delivered).
BUYER_CANCELS = 0.03
NEVER_HANDED_OVER = 0.01
CREATION_PROBLEM = 0.01
HANDOVER_PROBLEM = 0.005
# What happens on the way to some of the others.
DELIVERY_PROBLEM = 0.03  # of parcels with the carrier
SPLIT = 0.15  # of orders with several lines: one parcel per group of lines
RECREATED = 0.02  # the seller deletes the parcel and makes it again
PASS_TODAY = 0.03  # the shipping date moves to the spare day once
JEWELRY = 0.03  # of the catalogue; such lines need a marking code per unit
LIST_CAPACITY = 250  # parcels per handover list; a busy day gets several

FIRST_SKU = 12000030000000000
# Hours from the previous scan to each of the carrier's scans (IN_TRANSIT after acceptance).
SCAN_HOURS: dict[LogisticStatus, tuple[float, float]] = {
    S.CROSS_DOC_SORTING: (3, 10),
    S.CROSS_DOC_SENT: (2, 8),
    S.PROVIDER_POSTING_RECEIVE: (6, 20),
    S.PROVIDER_POSTING_LEFT_THE_RECEPTION: (1, 6),
    S.PROVIDER_POSTING_ARRIVED_AT_SORTING: (6, 30),
    S.PROVIDER_POSTING_SORTING: (1, 4),
    S.PROVIDER_POSTING_LEFT_THE_SORTING: (1, 8),
    S.PROVIDER_POSTING_ARRIVED: (12, 72),
}
CROSS_DOCK = (S.CROSS_DOC_SORTING, S.CROSS_DOC_SENT)

PRODUCT_COLUMNS = (
    "seller_id", "sku_id", "item_id", "name", "item_price", "currency", "img_url", "properties",
    "marking_required", "jewelry",
)  # fmt: skip
TRADE_ORDER_COLUMNS = (
    "id", "seller_id", "status", "payment_status", "delivery_status", "antifraud_status",
    "display_status", "buyer_name", "buyer_phone", "buyer_country_code", "receiver_address",
    "created_at", "paid_at", "updated_at", "cut_off_date", "shipping_deadline", "total_amount",
    "trade_order_source", "finish_reason",
)  # fmt: skip
LINE_COLUMNS = (
    "id", "trade_order_id", "sku_id", "product_source_id", "item_id", "name", "item_price",
    "currency", "quantity", "img_url", "properties", "marking_required", "jewelry", "sku_code",
    "buyer_comment",
)  # fmt: skip
LOGISTIC_COLUMNS = (
    "id", "seller_id", "trade_order_id", "status", "status_group", "problem_state", "tracking_code",
    "handover_list_id", "cut_off_date", "cut_off_shifts", "gmt_create", "updated_at", "total_length",
    "total_width", "total_height", "total_weight", "items_count", "total_amount", "lines",
    "creation_error", "deleted_at",
)  # fmt: skip
LIST_COLUMNS = ("id", "seller_id", "status", "shipment_type", "arrival_date", "gmt_create", "updated_at")


def id_needs(orders: int) -> dict[Table, int]:
    """The most ids a batch of `orders` orders can take from each table."""
    return {trade_orders: orders, trade_order_lines: 3 * orders, logistic_orders: 2 * orders,
            handover_lists: orders}  # fmt: skip


# ---- events and their replay through the domain ----------------------------------------------------

# ("create",) the seller's logistic-order/create (one parcel per group of lines); ("delete",) its
# logistic-order/delete; ("pass_today",); ("join",) handover-list/create or add; ("transfer",)
# handover-list/transfer; ("carrier", event, problem or scan); ("cancel", reason) the buyer's.
Event = tuple[str, ...]
# A logistic order's row values: status, problem, creation error, handover list, cut-off date, shifts.
_State = tuple[LogisticStatus, ProblemState | None, str | None, int | None, datetime, int]


@dataclass(frozen=True)
class Replay:
    status: TradeOrderStatus
    payment: PaymentStatus
    delivery: DeliveryStatus
    display: DisplayStatus
    finish_reason: str | None
    parcel: LogisticOrder | None  # the state of every live parcel (they move together); None: none


_EPOCH = datetime(2026, 1, 5, 10, tzinfo=UTC)


@functools.cache
def replay(parcels: int, events: tuple[Event, ...]) -> Replay:
    """Apply the events to an order of `parcels` one-unit lines, as the services and the sandbox's world
    events would; refused moves raise (a generator bug, never bad data)."""
    cut_off = calculated_cut_off(_EPOCH)
    lines = tuple(
        TradeOrderLine(k, k + 1, k + 1, "", 0, "RUB", 1, "", (), False, False) for k in range(parcels)
    )
    order = TradeOrder(
        id=1,
        seller_id=1,
        status=TradeOrderStatus.CREATED,
        payment_status=PaymentStatus.PAID,
        delivery_status=DeliveryStatus.INIT,
        antifraud_status=AntifraudStatus.PASSED,
        display_status=DisplayStatus.WAIT_SEND_GOODS,
        buyer_name="",
        buyer_phone="",
        buyer_country_code="643",
        receiver_address=ReceiverAddress("", "", "", "", "", "", ""),
        created_at=_EPOCH,
        paid_at=_EPOCH,
        updated_at=_EPOCH,
        cut_off_date=cut_off,
        shipping_deadline=shipping_deadline(cut_off),
        lines=lines,
    )
    live: list[LogisticOrder] = []
    list_status: HandoverStatus | None = None
    for n, event in enumerate(events):
        # Every event after the shipping date: only CUT_OFF_OVERDUE asks, and it must find it passed.
        now = cut_off + timedelta(days=3, minutes=n)
        kind = event[0]
        if kind == "create":
            live = [
                LogisticOrder(
                    id=k + 1,
                    seller_id=1,
                    trade_order_id=1,
                    status=S.AWAITING_HANDOVER_LIST,
                    tracking_code="",
                    handover_list_id=None,
                    cut_off_date=cut_off,
                    cut_off_shifts=0,
                    gmt_create=now,
                    total_length=1,
                    total_width=1,
                    total_height=1,
                    total_weight=1.0,
                    lines=(LogisticOrderLine(k + 1, 1, 0, k + 1, "", 0, "RUB", "", (), False, False),),
                )
                for k in range(parcels)
            ]
            order = replace(order, status=TradeOrderStatus.IN_PROGRESS)
        elif kind == "delete":
            live = []
        elif kind == "pass_today":
            situation = Situation(now, list_status if live[0].handover_list_id else None)
            live = [shift_cut_off(lo, spare_day(lo.cut_off_date), situation) for lo in live]
        elif kind == "join":
            assert all(lo.status is S.AWAITING_HANDOVER_LIST and lo.handover_list_id is None for lo in live)
            live = [replace(lo, status=S.AWAITING_DISPATCH, handover_list_id=1) for lo in live]
            list_status = HandoverStatus.CREATED
        elif kind == "transfer":
            live = [replace(lo, status=S.ORDER_RECEIVED_FROM_SELLER) for lo in live]
            list_status = HandoverStatus.TRANSFERRED
            delivery, display = shipment_progress(order, live)
            order = replace(order, delivery_status=delivery, display_status=display)
        elif kind == "carrier":
            move = CarrierMove(
                CarrierEvent(event[1]),
                problem_state=P(event[2]) if event[1] == CarrierEvent.PROBLEM else None,
                status=S(event[2]) if event[1] == CarrierEvent.IN_TRANSIT else None,
            )
            situation = Situation(now, list_status if live[0].handover_list_id else None)
            live = [carrier_move(lo, move, situation) for lo in live]
            order = trade_progress(order, live)
        else:
            order, live = buyer_cancel(order, live, BuyerCancelReason(event[1]), now)
    return Replay(
        order.status,
        order.payment_status,
        order.delivery_status,
        order.display_status,
        order.finish_reason,
        live[0] if live else None,
    )


# ---- the generator ---------------------------------------------------------------------------------


@dataclass
class _List:
    id: int
    created: datetime
    members: int = 0


@dataclass
class _Out:
    """The rows of the batch being made, parents first."""

    lists: Chunk = field(default_factory=lambda: Chunk(handover_lists, LIST_COLUMNS))
    trades: Chunk = field(default_factory=lambda: Chunk(trade_orders, TRADE_ORDER_COLUMNS))
    lines: Chunk = field(default_factory=lambda: Chunk(trade_order_lines, LINE_COLUMNS))
    parcels: Chunk = field(default_factory=lambda: Chunk(logistic_orders, LOGISTIC_COLUMNS))
    counts: dict[tuple[int, str], int] = field(default_factory=dict)

    def load(self) -> Load:
        return Load([self.lists, self.trades, self.lines, self.parcels], self.counts)


class _Plan:
    """An order's events in time order, up to the window's end."""

    def __init__(self, end: datetime) -> None:
        self.end = end
        self.events: list[tuple[datetime, Event]] = []
        self.complete = True  # every planned event happened by the window's end

    def add(self, at: datetime, *event: str) -> bool:
        """Record the event if it happened by the end; False (and nothing more is recorded) if not."""
        if not self.complete or at > self.end:
            self.complete = False
            return False
        self.events.append((at, tuple(event)))
        return True

    @property
    def last(self) -> datetime:
        return self.events[-1][0]


class AliExpressSeeder:
    """Generates one seller's AliExpress rows, batch after batch; the same seed gives the same rows."""

    def __init__(
        self, seller_id: int, orders: int, products_count: int, window: Window, rng: random.Random
    ) -> None:
        self.seller_id = seller_id
        self.orders = orders
        self.window = window
        self.rng = rng
        self.catalogue = [
            fake_data.product(seller_id, FIRST_SKU + n * 7919, rng, jewelry=rng.random() < JEWELRY)
            for n in range(products_count)
        ]
        self.buyers = Buyers.make(rng)
        self._line_json: dict[tuple[int, int], str] = {}
        self._lists: dict[tuple[date, int], _List] = {}  # (shipping day, n-th list of the day)
        self._ids: IdBlocks | None = None
        self._out = _Out()

    def products(self) -> Load:
        rows: list[Row] = [
            (self.seller_id, p.sku_id, p.item_id, p.name, p.item_price, p.currency, p.img_url, "[]",
             p.marking_required, p.jewelry)
            for p in self.catalogue
        ]  # fmt: skip
        return Load([Chunk(products, PRODUCT_COLUMNS, rows)])

    def batch(self, ids: IdBlocks, start: int, count: int) -> Load:
        """Orders number start .. start+count-1 (ids come from `ids`, reserved by the caller)."""
        self._ids, self._out = ids, _Out()
        for i in range(start, start + count):
            self._order(i)
        oldest = self.window.created_at(start + count, self.orders, 0.0).astimezone(MOSCOW).date()
        # Shipping days come a day or more after payment: no later order joins these lists.
        for key in [k for k in self._lists if k[0] < oldest]:
            del self._lists[key]
        return self._out.load()

    def finish(self) -> Load:
        return Load()

    def _take(self, table: Table) -> int:
        assert self._ids is not None
        return self._ids.take(table)

    # ---- one order -----------------------------------------------------------------------------

    def _order(self, i: int) -> None:
        rng = self.rng
        r = rng.random
        out = self._out
        created = self.window.created_at(i, self.orders, r())
        cut_off = calculated_cut_off(created)
        deadline = shipping_deadline(cut_off)
        trade_id = self._take(trade_orders)
        chosen = rng.sample(self.catalogue, 1 if r() < 0.6 else (2 if r() < 0.7 else 3))
        order_lines = [(p, 1 if r() < 0.75 else rng.randint(2, 3)) for p in chosen]
        buyer = int(r() * len(self.buyers.names))
        address = int(r() * len(self.buyers.addresses_json))
        groups = [order_lines]
        if len(order_lines) > 1 and r() < SPLIT:
            cut = rng.randint(1, len(order_lines) - 1)
            groups = [order_lines[:cut], order_lines[cut:]]

        plan = _Plan(self.window.end)
        lo_at = created + hours(0.3, 14, rng)
        if len(groups) == 1 and r() < RECREATED:
            gone = lo_at + timedelta(minutes=rng.uniform(5, 60))
            plan.add(lo_at, "create")
            plan.add(gone, "delete")
            lo_at = gone + timedelta(minutes=rng.uniform(2, 20))
        plan.add(lo_at, "create")
        fate = r()
        list_id: int | None = None
        if fate < BUYER_CANCELS:
            cancel_at = created + hours(0.3, 18, rng)
            reason = rng.choice(list(BuyerCancelReason)).value
            self._ship(plan, -1.0, cut_off, deadline, len(groups), stays=False)
            # The buyer cancels in the middle of it: what would have come after never happens.
            plan.events = [(at, event) for at, event in plan.events if at < cancel_at]
            plan.complete = True
            plan.add(cancel_at, "cancel", reason)
        else:
            list_id = self._ship(plan, fate - BUYER_CANCELS, cut_off, deadline, len(groups), stays=True)
        events = tuple(event for _, event in plan.events)
        outcome = replay(len(groups), events)

        total = 0
        for product, quantity in order_lines:
            total += product.item_price * quantity
            out.lines.rows.append(
                (self._take(trade_order_lines), trade_id, product.sku_id, 0, product.item_id, product.name,
                 product.item_price, product.currency, quantity, product.img_url, "[]",
                 product.marking_required, product.jewelry, f"SKU-{product.sku_id}", "")
            )  # fmt: skip
        made = [at for at, event in plan.events if event[0] == "create"]
        if ("delete",) in events:
            gone = next(at for at, event in plan.events if event[0] == "delete")
            waiting: _State = (S.AWAITING_HANDOVER_LIST, None, None, None, cut_off, 0)
            lo_id = self._take(logistic_orders)
            out.parcels.rows.append(
                self._parcel_row(lo_id, trade_id, order_lines, made[0], gone, waiting, gone)
            )
        if outcome.parcel is not None:
            lo = outcome.parcel
            in_list = list_id if lo.handover_list_id is not None else None
            shifted = spare_day(cut_off) if lo.cut_off_shifts else cut_off
            state: _State = (
                lo.status,
                lo.problem_state,
                lo.creation_error,
                in_list,
                shifted,
                lo.cut_off_shifts,
            )
            for group in groups:
                lo_id = self._take(logistic_orders)
                out.parcels.rows.append(self._parcel_row(lo_id, trade_id, group, made[-1], plan.last, state))
                key = (self.seller_id, GROUP_OF[lo.status].value)
                out.counts[key] = out.counts.get(key, 0) + 1
        out.trades.rows.append(
            (trade_id, self.seller_id, outcome.status.value, outcome.payment.value, outcome.delivery.value,
             AntifraudStatus.PASSED.value, outcome.display.value, self.buyers.names[buyer],
             self.buyers.phones[buyer], "643", self.buyers.addresses_json[address], created, created,
             plan.last if plan.events else created, cut_off, deadline, total, "LocalTrade",
             outcome.finish_reason)
        )  # fmt: skip

    def _ship(
        self, plan: _Plan, fate: float, cut_off: datetime, deadline: datetime, parcels: int, *, stays: bool
    ) -> int | None:
        """Plan the seller's and the carrier's events once the parcels exist; returns the handover list
        they join, if any. A `fate` below 0 is an ordinary life. `stays`: the parcels stay in their list
        up to the hand-over (one that leaves it never opens a list, so that no list is left empty)."""
        if not plan.events:
            return None
        rng = self.rng
        r = rng.random
        made = plan.last
        if 0 <= fate < NEVER_HANDED_OVER:
            plan.add(cut_off + hours(0.5, 3, rng), "carrier", CarrierEvent.PROBLEM, P.CUT_OFF_OVERDUE)
            plan.add(deadline + hours(1, 48, rng), "cancel", rng.choice(list(BuyerCancelReason)))
            return None
        fate -= NEVER_HANDED_OVER
        ready = made
        if 0 <= fate < CREATION_PROBLEM:
            refused = made + hours(0.05, 1, rng)
            ready = refused + hours(1, 4, rng)
            plan.add(refused, "carrier", CarrierEvent.PROBLEM, P.CREATION_ERROR)
            plan.add(ready, "carrier", CarrierEvent.PROBLEM_RESOLVED, "")
        elif r() < PASS_TODAY:
            ready = made + hours(0.5, 6, rng)
            plan.add(ready, "pass_today")
            cut_off = spare_day(cut_off)
        transfer_at = cut_off - timedelta(minutes=20)
        # Ready with time to spare before the hand-over (the day's timings leave room for it).
        ready = min(ready + hours(0.2, 3, rng), transfer_at - timedelta(minutes=30))
        handover_problem = 0 <= fate - CREATION_PROBLEM < HANDOVER_PROBLEM
        joined = self._join_list(plan, cut_off, ready, parcels, leaves=handover_problem or not stays)
        at = transfer_at
        if joined is not None and handover_problem:
            refused = min(joined[0] + hours(0.5, 2, rng), transfer_at - timedelta(minutes=5))
            resolved = transfer_at + hours(1, 12, rng)
            at = resolved + hours(0.5, 4, rng)
            plan.add(refused, "carrier", CarrierEvent.PROBLEM, P.HANDOVER_ERROR)
            plan.add(resolved, "carrier", CarrierEvent.PROBLEM_RESOLVED, "")
            plan.add(at, "carrier", CarrierEvent.ACCEPTED, "")
        elif joined is not None:
            plan.add(transfer_at, "transfer")
        else:
            # No list to join (a parcel that leaves opens none): the carrier takes it at the counter.
            plan.add(transfer_at, "carrier", CarrierEvent.ACCEPTED, "")
        skip_cross_dock = r() < 0.5
        problem_after = rng.randrange(len(IN_TRANSIT) - 1) if r() < DELIVERY_PROBLEM else -1
        for n, status in enumerate(IN_TRANSIT[1:]):
            if skip_cross_dock and status in CROSS_DOCK:
                continue
            at += hours(*SCAN_HOURS[status], rng)
            plan.add(at, "carrier", CarrierEvent.IN_TRANSIT, status)
            if n == problem_after:
                at += hours(1, 6, rng)
                plan.add(at, "carrier", CarrierEvent.PROBLEM, P.DELIVERY_PROBLEM)
                at += hours(12, 72, rng)
                plan.add(at, "carrier", CarrierEvent.PROBLEM_RESOLVED, "")
        plan.add(at + hours(2, 96, rng), "carrier", CarrierEvent.DELIVERED, "")
        return joined[1] if joined is not None else None

    # ---- handover lists --------------------------------------------------------------------------

    def _join_list(
        self, plan: _Plan, cut_off: datetime, ready: datetime, parcels: int, *, leaves: bool
    ) -> tuple[datetime, int] | None:
        """The parcels join their shipping day's handover list once `ready`: (when, the list's id), or
        None if they do not (not by the window's end, or no list to join). The seller opens a day's list after
        the day before's hand-over (13:00 Moscow), with the first parcel ready for it; a full list is
        followed by another. A new list's row goes into the batch, before its parcels; its status is
        where the day's hand-over stands at the window's end."""
        day = cut_off.astimezone(MOSCOW).date()
        n = 0
        while (entry := self._lists.get((day, n))) is not None and entry.members >= LIST_CAPACITY:
            n += 1
        if entry is None and leaves:
            return None
        joined = max(ready, cut_off - timedelta(days=1)) if entry is None else max(ready, entry.created)
        if not plan.add(joined, "join"):
            return None
        end = self.window.end
        if entry is None:
            entry = self._lists[(day, n)] = _List(self._take(handover_lists), joined)
            status, updated = HandoverStatus.CREATED, joined
            transferred, accepted = cut_off - timedelta(minutes=20), cut_off + timedelta(hours=5)
            if transferred <= end:
                status, updated = HandoverStatus.TRANSFERRED, transferred
            if accepted <= end:
                status, updated = HandoverStatus.ACCEPTED, accepted
            self._out.lists.rows.append(
                (entry.id, self.seller_id, status.value, ShipmentType.DROPOFF.value, cut_off, joined, updated)
            )
        if not leaves:
            entry.members += parcels
        return joined, entry.id

    # ---- rows ------------------------------------------------------------------------------------

    def _lines_json(self, lines: list[tuple[Product, int]]) -> str:
        docs = []
        for product, quantity in lines:
            codes: tuple[JewelryCodes, ...] = ()
            if product.jewelry and product.marking_required:
                codes = tuple(
                    JewelryCodes(u, (str(self.rng.randrange(10**15, 10**16)),)) for u in range(quantity)
                )
            key = (product.sku_id, quantity)
            doc = self._line_json.get(key) if not codes else None
            if doc is None:
                line = LogisticOrderLine(
                    sku_id=product.sku_id,
                    quantity=quantity,
                    product_source_id=0,
                    item_id=product.item_id,
                    name=product.name,
                    item_price=product.item_price,
                    currency=product.currency,
                    img_url=product.img_url,
                    properties=product.properties,
                    marking_required=product.marking_required,
                    jewelry=product.jewelry,
                    jewelry_codes=codes,
                )
                doc = encode_json(line_document(line))
                if not codes:
                    self._line_json[key] = doc
            docs.append(doc)
        return "[" + ",".join(docs) + "]"  # what encode_json gives for the list of documents

    def _parcel_row(
        self,
        lo_id: int,
        trade_id: int,
        lines: list[tuple[Product, int]],
        made: datetime,
        updated: datetime,
        state: _State,
        deleted: datetime | None = None,
    ) -> Row:
        status, problem, error, list_id, cut_off, shifts = state
        rng = self.rng
        items = sum(q for _, q in lines)
        amount = sum(product.item_price * q for product, q in lines)
        return (
            lo_id, self.seller_id, trade_id, status.value, GROUP_OF[status].value,
            problem.value if problem else None, tracking_code_for(lo_id), list_id, cut_off, shifts, made,
            updated, rng.randint(10, 60), rng.randint(5, 40), rng.randint(2, 30),
            round(rng.uniform(0.1, 5.0), 2), items, amount, self._lines_json(lines), error, deleted,
        )  # fmt: skip
