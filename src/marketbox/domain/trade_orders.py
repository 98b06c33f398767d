"""AliExpress trade orders: what the buyer bought, and which parts are already in logistic orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class TradeOrderStatus(StrEnum):
    CREATED = "Created"
    IN_PROGRESS = "InProgress"
    FINISHED = "Finished"
    CANCELLED = "Cancelled"


class PaymentStatus(StrEnum):
    NOT_PAID = "NotPaid"
    HOLD = "Hold"
    PAID = "Paid"
    CANCELLED = "Cancelled"
    FAILED = "Failed"


class DeliveryStatus(StrEnum):
    INIT = "Init"
    PARTIAL_SHIPPED = "PartialShipped"
    SHIPPED = "Shipped"
    DELIVERED = "Delivered"
    CANCELLED = "Cancelled"


class AntifraudStatus(StrEnum):
    NOT_CHECKED = "NotChecked"
    CHECKING = "Checking"
    BLOCKED = "Blocked"
    PASSED = "Passed"


class DisplayStatus(StrEnum):
    WAIT_SEND_GOODS = "WaitSendGoods"
    PARTIAL_SEND_GOODS = "PartialSendGoods"
    WAIT_ACCEPT_GOODS = "WaitAcceptGoods"
    FINISH = "Finish"
    CLOSE = "Close"


@dataclass(frozen=True)
class ReceiverAddress:
    zip_code: str
    country_code: str
    country: str
    province: str
    city: str
    street: str
    detail_address: str

    def one_line(self) -> str:
        return self.detail_address or ", ".join(
            p for p in (self.zip_code, self.country, self.province, self.city, self.street) if p
        )


@dataclass(frozen=True)
class TradeOrderLine:
    id: int
    sku_id: int
    item_id: int
    name: str
    item_price: int
    currency: str
    quantity: int
    img_url: str
    properties: tuple[str, ...]
    marking_required: bool
    jewelry: bool
    product_source_id: int = 0
    sku_code: str = ""
    buyer_comment: str = ""

    @property
    def total_amount(self) -> int:
        return self.item_price * self.quantity


@dataclass(frozen=True)
class TradeOrder:
    id: int
    seller_id: int
    status: TradeOrderStatus
    payment_status: PaymentStatus
    delivery_status: DeliveryStatus
    antifraud_status: AntifraudStatus
    display_status: DisplayStatus
    buyer_name: str
    buyer_phone: str
    buyer_country_code: str
    receiver_address: ReceiverAddress
    created_at: datetime
    paid_at: datetime | None
    updated_at: datetime
    cut_off_date: datetime
    shipping_deadline: datetime
    lines: tuple[TradeOrderLine, ...] = field(default=())
    trade_order_source: str = "LocalTrade"
    finish_reason: str | None = None

    @property
    def total_amount(self) -> int:
        return sum(line.total_amount for line in self.lines)

    def line_for_sku(self, sku_id: int, product_source_id: int = 0) -> TradeOrderLine | None:
        for line in self.lines:
            if line.sku_id == sku_id and line.product_source_id == product_source_id:
                return line
        return None

    @property
    def accepts_logistic_orders(self) -> bool:
        return self.status in (TradeOrderStatus.CREATED, TradeOrderStatus.IN_PROGRESS)


class SortOrder(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


TRADE_ORDER_SORT_FIELDS = ("created_at", "updated_at", "paid_at", "cut_off_date", "id")


@dataclass(frozen=True)
class TradeOrderQuery:
    page: int
    page_size: int
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    shipping_day_from: datetime | None = None
    shipping_day_to: datetime | None = None
    order_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    payment_statuses: tuple[str, ...] = ()
    delivery_statuses: tuple[str, ...] = ()
    antifraud_statuses: tuple[str, ...] = ()
    tracking_numbers: tuple[str, ...] = ()
    sort_field: str = "created_at"
    sort_order: SortOrder = SortOrder.DESC
