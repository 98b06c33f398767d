"""Wire schemas of the sandbox API (shapes fixed by the issue tracker; extend, don't change)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

Id = Annotated[int, Meta(ge=1, le=2**63 - 1)]


class TenantCreate(Struct):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    # ISO 8601 moment the tenant's clock starts at (default: now), e.g. to replay dated rules.
    now: Annotated[str, Meta(max_length=40)] | None = None


class AliExpressCredentials(Struct):
    token: str


class LamodaCredentials(Struct):
    client_id: str
    client_secret: str


class TenantOut(Struct):
    seller_id: int
    name: str
    aliexpress: AliExpressCredentials
    lamoda: LamodaCredentials
    created_at: str
    now: str


class TenantList(Struct):
    tenants: list[TenantOut]


class AddressIn(Struct):
    zip_code: str = ""
    country_code: str = "RU"
    country: str = "Россия"
    province: str = ""
    city: str = ""
    street: str = ""
    detail_address: str = ""


class AeOrderLineIn(Struct):
    sku_id: Id
    quantity: Annotated[int, Meta(ge=1, le=1000)]
    name: Annotated[str, Meta(min_length=1, max_length=500)] | None = None
    item_price: Annotated[int, Meta(ge=0, le=10**12)] | None = None
    marking_required: bool | None = None
    jewelry: bool | None = None


class AeOrderIn(Struct):
    lines: Annotated[list[AeOrderLineIn], Meta(min_length=1, max_length=100)]
    receiver_address: AddressIn | None = None
    buyer_name: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    buyer_phone: Annotated[str, Meta(min_length=1, max_length=40)] | None = None
    trade_order_id: Id | None = None


class AeOrderLineOut(Struct):
    id: int
    sku_id: int
    item_id: int
    name: str
    item_price: int
    quantity: int
    marking_required: bool
    jewelry: bool


class AeOrderOut(Struct):
    trade_order_id: int
    seller_id: int
    status: str
    payment_status: str
    created_at: str
    cut_off_date: str
    shipping_deadline: str
    buyer_name: str
    receiver_address: dict[str, Any]
    total_amount: int
    lines: list[AeOrderLineOut]


class ClockAdvance(Struct):
    seconds: Annotated[float, Meta(ge=0, le=10 * 365 * 86400)]


class ProgressionIn(Struct, forbid_unknown_fields=True):
    mode: Annotated[str, Meta(max_length=20)]  # manual, immediate or timed


class ProgressionOut(Struct):
    mode: str


class MarkingIn(Struct, forbid_unknown_fields=True):
    # lenient: a marked item may ship without its `datamatrix` (the default, as on Lamoda); strict: not.
    mode: Annotated[str, Meta(max_length=20)]


class MarkingOut(Struct):
    mode: str


class ClockSet(Struct):
    # ISO 8601 moment to jump to; not earlier than the clock shows.
    now: Annotated[str, Meta(max_length=40)]


class ClockOut(Struct):
    now: str
    frozen: bool = False


class SandboxError(Struct):
    code: str
    message: str
    details: dict[str, Any] | None = None


class SandboxErrorBody(Struct):
    error: SandboxError


class LamodaOrderItemIn(Struct):
    sku: Annotated[str, Meta(min_length=1, max_length=100)]
    quantity: Annotated[int, Meta(ge=1, le=100)] = 1
    price: Annotated[int, Meta(ge=0, le=10**12)] | None = None  # kopecks
    marking_required: bool | None = None


class LamodaOrderIn(Struct):
    items: Annotated[list[LamodaOrderItemIn], Meta(min_length=1, max_length=100)]
    fulfillment_type: Literal["FBS", "FBO"] = "FBS"
    # ISO 8601; null: no cut-off (ship in the nearest scheduled shipment); absent: the next 13:00 MSK.
    cut_off: Annotated[str, Meta(max_length=40)] | UnsetType | None = UNSET


class LamodaOrderItemOut(Struct):
    id: int
    sku: str
    lamoda_sku: str
    name: str
    price: int
    marking_required: bool
    status: str
    status_reason: str | None


class LamodaOrderOut(Struct):
    order_nr: str
    id: str
    seller_id: int
    fulfillment_type: str
    status: str
    created_at: str
    cut_off: str | None
    items: list[LamodaOrderItemOut]


class LamodaItemStatusIn(Struct):
    status: Annotated[str, Meta(min_length=1, max_length=60)]
    reason: Annotated[str, Meta(min_length=1, max_length=200)] | None = None


class LamodaSupplyCountIn(Struct):
    sku: Annotated[str, Meta(min_length=1, max_length=100)]
    receipt: Annotated[int, Meta(ge=0, le=10**6)]
    damaged: Annotated[int, Meta(ge=0, le=10**6)] = 0
    accepted: Annotated[int, Meta(ge=0, le=10**6)] | None = None


class LamodaSupplyStatusIn(Struct):
    status: Annotated[str, Meta(min_length=1, max_length=60)]
    reason: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    items: Annotated[list[LamodaSupplyCountIn], Meta(max_length=1000)] | None = None


class LamodaSupplyItemOut(Struct):
    sku: str
    ean: str
    quantity: int
    receipt: int
    accepted: int
    surplus: int
    missing: int
    damaged: int


class LamodaSupplyOut(Struct):
    code: str
    id: int
    status: str
    reject_reason: str | None
    items: list[LamodaSupplyItemOut]


class WebhookIn(Struct):
    url: Annotated[str, Meta(min_length=1, max_length=2000)]
    types: Annotated[list[Annotated[str, Meta(max_length=60)]], Meta(max_length=10)] | None = None


class WebhookFaults(Struct, forbid_unknown_fields=True):
    """Faults of a webhook URL's deliveries (all off by default)."""

    duplicate: Annotated[float, Meta(ge=0, le=1)] = 0.0  # chance a delivery is POSTed twice
    reorder: bool = False  # an order's notifications go without waiting for each other, newest first
    delay_ms: Annotated[int, Meta(ge=0, le=60_000)] = 0
    stale_timestamp_seconds: Annotated[int, Meta(ge=0, le=7 * 86400)] = 0


class WebhookOut(Struct):
    id: str
    url: str
    secret: str
    types: list[str] | None
    state: str
    created_at: str
    previous_secret_valid_until: str | None = None
    faults: WebhookFaults | None = None


class WebhookList(Struct):
    webhooks: list[WebhookOut]


class AttemptOut(Struct):
    at: str
    url: str
    status_code: int | None
    latency_ms: float
    response_excerpt: str | None
    error: str | None


class MessageOut(Struct):
    id: int
    event_id: str
    endpoint_id: str
    url: str
    type: str
    tracking_id: str | None
    sequence_number: int
    status: str
    attempts: list[AttemptOut]
    next_attempt_at: str | None
    created_at: str
    payload: dict[str, Any]


class MessageList(Struct):
    messages: list[MessageOut]


class ResendIn(Struct):
    message_ids: Annotated[list[Annotated[int, Meta(ge=1, le=2**63 - 1)]], Meta(max_length=1000)] | None = (
        None
    )
    tracking_id: Annotated[str, Meta(min_length=1, max_length=40)] | None = None
    since: Annotated[str, Meta(max_length=40)] | None = None
    until: Annotated[str, Meta(max_length=40)] | None = None
    only_failed: bool = False
    url: Annotated[str, Meta(min_length=1, max_length=2000)] | None = None


class ResendOut(Struct):
    message_ids: list[int]
