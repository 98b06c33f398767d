"""Logistic orders (FBS shipments): statuses, the groups the API filters by, and the creation rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import msgspec

from marketbox.domain.trade_orders import DeliveryStatus, DisplayStatus, ReceiverAddress, TradeOrder


class LogisticStatus(StrEnum):
    NEW = "New"
    AWAITING_CREATE_ORDER = "AwaitingCreateOrder"
    ORDER_CREATION_PROBLEMS = "OrderCreationProblems"
    AWAITING_HANDOVER_LIST = "AwaitingHandoverList"
    ADDING_TO_HANDOVER_PROBLEMS = "AddingToHandoverProblems"
    AWAITING_CONFIRMATION = "AwaitingConfirmation"
    AWAITING_DISPATCH = "AwaitingDispatch"
    ORDER_RECEIVED_FROM_SELLER = "OrderReceivedFromSeller"
    CROSS_DOC_SORTING = "CrossDocSorting"
    CROSS_DOC_SENT = "CrossDocSent"
    PROVIDER_POSTING_RECEIVE = "ProviderPostingReceive"
    PROVIDER_POSTING_LEFT_THE_RECEPTION = "ProviderPostingLeftTheReception"
    PROVIDER_POSTING_ARRIVED_AT_SORTING = "ProviderPostingArrivedAtSorting"
    PROVIDER_POSTING_SORTING = "ProviderPostingSorting"
    PROVIDER_POSTING_LEFT_THE_SORTING = "ProviderPostingLeftTheSorting"
    PROVIDER_POSTING_ARRIVED = "ProviderPostingArrived"
    PROVIDER_POSTING_DELIVERED = "ProviderPostingDelivered"
    PROVIDER_POSTING_UNSUCCESSFUL_ATTEMPT_OF_DELIVERY = "ProviderPostingUnsuccessfulAttemptOfDelivery"
    PROVIDER_POSTING_IN_RETURN = "ProviderPostingInReturn"
    PROVIDER_POSTING_TEMPORARY_STORAGE = "ProviderPostingTemporaryStorage"
    PROVIDER_POSTING_RETURNED = "ProviderPostingReturned"
    REJECTED = "Rejected"
    CANCELLED = "Cancelled"


class StatusGroup(StrEnum):
    """The coarse status `logistic-order/get` reports in `status` and filters by (`filter_status`)."""

    NEW = "NEW"
    AWAITING_ADDING_TO_HANDOVER = "AWAITING_ADDING_TO_HANDOVER"
    AWAITING_REPORT_AS_SHIP = "AWAITING_REPORT_AS_SHIP"
    DELIVERING = "DELIVERING"
    DELIVERED = "DELIVERED"
    RETURNING_TO_SENDER = "RETURNING_TO_SENDER"
    RETURNED_TO_SENDER = "RETURNED_TO_SENDER"
    CANCELLED = "CANCELLED"
    WITH_ERRORS = "WITH_ERRORS"


S = LogisticStatus
G = StatusGroup

GROUP_OF: dict[LogisticStatus, StatusGroup] = {
    S.NEW: G.NEW,
    S.AWAITING_CREATE_ORDER: G.NEW,
    S.ORDER_CREATION_PROBLEMS: G.WITH_ERRORS,
    S.AWAITING_HANDOVER_LIST: G.AWAITING_ADDING_TO_HANDOVER,
    S.ADDING_TO_HANDOVER_PROBLEMS: G.WITH_ERRORS,
    S.AWAITING_CONFIRMATION: G.AWAITING_REPORT_AS_SHIP,
    S.AWAITING_DISPATCH: G.AWAITING_REPORT_AS_SHIP,
    S.ORDER_RECEIVED_FROM_SELLER: G.DELIVERING,
    S.CROSS_DOC_SORTING: G.DELIVERING,
    S.CROSS_DOC_SENT: G.DELIVERING,
    S.PROVIDER_POSTING_RECEIVE: G.DELIVERING,
    S.PROVIDER_POSTING_LEFT_THE_RECEPTION: G.DELIVERING,
    S.PROVIDER_POSTING_ARRIVED_AT_SORTING: G.DELIVERING,
    S.PROVIDER_POSTING_SORTING: G.DELIVERING,
    S.PROVIDER_POSTING_LEFT_THE_SORTING: G.DELIVERING,
    S.PROVIDER_POSTING_ARRIVED: G.DELIVERING,
    S.PROVIDER_POSTING_DELIVERED: G.DELIVERED,
    S.PROVIDER_POSTING_UNSUCCESSFUL_ATTEMPT_OF_DELIVERY: G.DELIVERING,
    S.PROVIDER_POSTING_IN_RETURN: G.RETURNING_TO_SENDER,
    S.PROVIDER_POSTING_TEMPORARY_STORAGE: G.DELIVERING,
    S.PROVIDER_POSTING_RETURNED: G.RETURNED_TO_SENDER,
    S.REJECTED: G.CANCELLED,
    S.CANCELLED: G.CANCELLED,
}

STATUS_NAMES: dict[LogisticStatus, str] = {
    S.NEW: "New",
    S.AWAITING_CREATE_ORDER: "Awaiting order creation",
    S.ORDER_CREATION_PROBLEMS: "Order creation problems",
    S.AWAITING_HANDOVER_LIST: "Awaiting handover list",
    S.ADDING_TO_HANDOVER_PROBLEMS: "Adding to handover list problems",
    S.AWAITING_CONFIRMATION: "Awaiting confirmation",
    S.AWAITING_DISPATCH: "Awaiting dispatch",
    S.ORDER_RECEIVED_FROM_SELLER: "Order accepted by carrier",
    S.CROSS_DOC_SORTING: "Cross-dock sorting",
    S.CROSS_DOC_SENT: "Sent from cross-dock",
    S.PROVIDER_POSTING_RECEIVE: "Received by delivery service",
    S.PROVIDER_POSTING_LEFT_THE_RECEPTION: "Left the reception point",
    S.PROVIDER_POSTING_ARRIVED_AT_SORTING: "Arrived at sorting center",
    S.PROVIDER_POSTING_SORTING: "Sorting",
    S.PROVIDER_POSTING_LEFT_THE_SORTING: "Left the sorting center",
    S.PROVIDER_POSTING_ARRIVED: "Arrived at pickup point",
    S.PROVIDER_POSTING_DELIVERED: "Delivered",
    S.PROVIDER_POSTING_UNSUCCESSFUL_ATTEMPT_OF_DELIVERY: "Unsuccessful delivery attempt",
    S.PROVIDER_POSTING_IN_RETURN: "Returning to sender",
    S.PROVIDER_POSTING_TEMPORARY_STORAGE: "In temporary storage",
    S.PROVIDER_POSTING_RETURNED: "Returned to sender",
    S.REJECTED: "Rejected by carrier",
    S.CANCELLED: "Cancelled",
}

# Before the parcel reaches the carrier the seller may still delete (or re-plan) a logistic order.
NOT_HANDED_OVER: frozenset[LogisticStatus] = frozenset(
    {
        S.NEW,
        S.AWAITING_CREATE_ORDER,
        S.ORDER_CREATION_PROBLEMS,
        S.AWAITING_HANDOVER_LIST,
        S.ADDING_TO_HANDOVER_PROBLEMS,
        S.AWAITING_CONFIRMATION,
        S.AWAITING_DISPATCH,
    }
)

# Logistic orders in these statuses no longer hold any of the trade order's quantity.
RELEASES_QUANTITY: frozenset[LogisticStatus] = frozenset({S.REJECTED, S.CANCELLED})


class ProblemState(StrEnum):
    """Values of `problem_state_filter` (not published by AliExpress; our vocabulary)."""

    CREATION_ERROR = "CREATION_ERROR"
    HANDOVER_ERROR = "HANDOVER_ERROR"
    CUT_OFF_OVERDUE = "CUT_OFF_OVERDUE"
    DELIVERY_PROBLEM = "DELIVERY_PROBLEM"


ANY_PROBLEM = "ANY_PROBLEM"
NO_PROBLEM = "NO_PROBLEM"
PROBLEM_FILTERS: tuple[str, ...] = (*(p.value for p in ProblemState), ANY_PROBLEM, NO_PROBLEM)


class JewelryCodes(msgspec.Struct, frozen=True):
    sku_index: int
    codes: tuple[str, ...]


# A Struct rather than a dataclass: lines are stored as one JSON document per logistic order and
# decoded straight into these objects, which costs a fraction of building them field by field.
class LogisticOrderLine(msgspec.Struct, frozen=True, omit_defaults=True):
    """A snapshot of the trade order line, fixed when the logistic order is created."""

    sku_id: int
    quantity: int
    product_source_id: int
    item_id: int
    name: str
    item_price: int
    currency: str
    img_url: str
    properties: tuple[str, ...]
    marking_required: bool
    jewelry: bool
    jewelry_codes: tuple[JewelryCodes, ...] = ()

    @property
    def total_amount(self) -> int:
        return self.item_price * self.quantity


@dataclass(frozen=True)
class LogisticOrder:
    id: int
    seller_id: int
    trade_order_id: int
    status: LogisticStatus
    tracking_code: str
    handover_list_id: int | None
    cut_off_date: datetime
    cut_off_shifts: int
    gmt_create: datetime
    total_length: int
    total_width: int
    total_height: int
    total_weight: float
    lines: tuple[LogisticOrderLine, ...]
    problem_state: ProblemState | None = None
    creation_error: str | None = None
    deleted_at: datetime | None = None

    @property
    def group(self) -> StatusGroup:
        return GROUP_OF[self.status]

    @property
    def items_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total_amount(self) -> int:
        return sum(line.total_amount for line in self.lines)


@dataclass(frozen=True)
class NewLine:
    sku_id: int
    quantity: int
    product_source_id: int = 0
    jewelry_codes: tuple[JewelryCodes, ...] = ()


@dataclass(frozen=True)
class NewLogisticOrder:
    trade_order_id: int
    total_length: int
    total_width: int
    total_height: int
    total_weight: float
    items: tuple[NewLine, ...]


@dataclass(frozen=True)
class ItemError:
    trade_order_id: int
    sku_id: int
    code: str
    message: str


@dataclass
class CreationProblems:
    common: list[tuple[str, str]] = field(default_factory=list)
    items: list[ItemError] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.common or self.items)


def allocated_quantities(existing: Iterable[LogisticOrder]) -> dict[tuple[int, int], int]:
    """Units of each (sku_id, product_source_id) already held by live logistic orders."""
    held: dict[tuple[int, int], int] = {}
    for lo in existing:
        if lo.deleted_at is not None or lo.status in RELEASES_QUANTITY:
            continue
        for line in lo.lines:
            key = (line.sku_id, line.product_source_id)
            held[key] = held.get(key, 0) + line.quantity
    return held


def fully_allocated(order: TradeOrder, logistics: Iterable[LogisticOrder]) -> bool:
    """Whether live logistic orders hold every unit the buyer ordered."""
    held = allocated_quantities(logistics)
    return all(held.get((line.sku_id, line.product_source_id), 0) >= line.quantity for line in order.lines)


def shipment_progress(
    order: TradeOrder, logistics: Iterable[LogisticOrder]
) -> tuple[DeliveryStatus, DisplayStatus]:
    """The trade order's delivery status once some of its logistic orders reached the carrier."""
    shipped = allocated_quantities(lo for lo in logistics if lo.status not in NOT_HANDED_OVER)
    if not shipped:
        return DeliveryStatus.INIT, DisplayStatus.WAIT_SEND_GOODS
    if all(shipped.get((line.sku_id, line.product_source_id), 0) >= line.quantity for line in order.lines):
        return DeliveryStatus.SHIPPED, DisplayStatus.WAIT_ACCEPT_GOODS
    return DeliveryStatus.PARTIAL_SHIPPED, DisplayStatus.PARTIAL_SEND_GOODS


def check_new_logistic_orders(
    order: TradeOrder,
    requests: Sequence[NewLogisticOrder],
    existing: Iterable[LogisticOrder],
    problems: CreationProblems,
) -> None:
    """Record every item-level rule broken by `requests` (all for the same trade order)."""
    held = allocated_quantities(existing)
    for request in requests:
        seen: set[tuple[int, int]] = set()
        for item in request.items:
            failure = _item_failure(order, item, held, seen)
            if failure is not None:
                problems.items.append(ItemError(order.id, item.sku_id, *failure))


def _item_failure(
    order: TradeOrder, item: NewLine, held: dict[tuple[int, int], int], seen: set[tuple[int, int]]
) -> tuple[str, str] | None:
    key = (item.sku_id, item.product_source_id)
    line = order.line_for_sku(item.sku_id, item.product_source_id)
    if line is None:
        return "SkuNotInOrder", f"Товар {item.sku_id} не входит в заказ {order.id}"
    if key in seen:
        return "DuplicateSku", f"Товар {item.sku_id} указан в отправлении несколько раз"
    seen.add(key)
    available = line.quantity - held.get(key, 0)
    if item.quantity > available:
        return (
            "QuantityExceeded",
            f"Количество товара {item.sku_id} превышает доступное в заказе {order.id}: "
            f"запрошено {item.quantity}, доступно {max(available, 0)}",
        )
    held[key] = held.get(key, 0) + item.quantity
    return _jewelry_codes_failure(item, required=line.jewelry and line.marking_required)


def _jewelry_codes_failure(item: NewLine, *, required: bool) -> tuple[str, str] | None:
    if not required:
        if item.jewelry_codes:
            return "JewelryCodesNotAllowed", f"Товар {item.sku_id} не требует кодов маркировки"
        return None
    indexes = sorted(jc.sku_index for jc in item.jewelry_codes)
    if indexes != list(range(item.quantity)):
        return (
            "JewelryCodesRequired",
            f"Для товара {item.sku_id} нужен список кодов маркировки на каждую единицу: "
            f"sku_index от 0 до {item.quantity - 1}",
        )
    codes = [code for jc in item.jewelry_codes for code in jc.codes]
    if any(not jc.codes for jc in item.jewelry_codes):
        return "JewelryCodesRequired", f"Для товара {item.sku_id} у каждой единицы должен быть код"
    if any(not code.isalnum() or len(code) > 64 for code in codes):
        return (
            "InvalidJewelryCode",
            f"Коды маркировки товара {item.sku_id}: только буквы и цифры, до 64 знаков",
        )
    if len(set(codes)) != len(codes):
        return "DuplicateJewelryCode", f"Коды маркировки товара {item.sku_id} повторяются"
    return None


def tracking_code_for(logistic_order_id: int) -> str:
    """A 14-digit platform tracking code, unique per logistic order, ending in a Luhn check digit."""
    body = f"8{logistic_order_id:012d}"
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


class LogisticSortField(StrEnum):
    GMT_CREATE = "GMT_CREATE"
    CUT_OFF_DATE = "CUT_OFF_DATE"
    LOGISTIC_ORDER_ID = "LOGISTIC_ORDER_ID"


@dataclass(frozen=True)
class LogisticOrderQuery:
    page: int
    page_size: int
    ids: tuple[int, ...] = ()
    tracking_numbers: tuple[str, ...] = ()
    trade_order_ids: tuple[int, ...] = ()
    group: StatusGroup | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    cut_off_from: datetime | None = None
    cut_off_to: datetime | None = None
    problem: str | None = None
    sort_field: LogisticSortField = LogisticSortField.GMT_CREATE
    descending: bool = True


@dataclass(frozen=True)
class LogisticOrderDetails:
    """A logistic order with the trade-order facts the API shows beside it."""

    order: LogisticOrder
    buyer_name: str
    buyer_country_code: str
    receiver_address: ReceiverAddress
    trade_order_source: str
    trade_order_total: int
