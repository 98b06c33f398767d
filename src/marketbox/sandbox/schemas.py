"""Wire schemas of the sandbox API (shapes fixed by the issue tracker; extend, don't change)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from marketbox.domain.lamoda_orders import NON_PURCHASE_REASONS, ItemStatus
from marketbox.domain.lamoda_supplies import SupplyStatus
from marketbox.domain.marking_codes import MarkingPolicy
from marketbox.domain.notifications import MessageStatus, NotificationType
from marketbox.domain.progression import Progression
from marketbox.store.tables import TRADE_ORDER_ID_START

Id = Annotated[int, Meta(ge=1, le=2**63 - 1)]

# The years a tenant's clock may show (services.tenants: from EARLIEST_YEAR to before LATEST_YEAR, in
# UTC), one year in from each end so that no offset carries a moment across: 2001 to 8998.
CLOCK_YEARS = "(?:200[1-9]|20[1-9][0-9]|2[1-9][0-9]{2}|[3-7][0-9]{3}|8[0-8][0-9]{2}|89[0-8][0-9])"
# RFC 3339 date-time, as the sandbox reads it (routes._moment): `T` and `Z` in either case, any number
# of fraction digits (microseconds kept), a leap second `:60`, `Z` or a numeric offset.
DATE_TIME_PATTERN = (
    f"^{CLOCK_YEARS}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:"
    "(?:[0-5][0-9]|60)(?:[.][0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
DateTime = Annotated[
    str,
    Meta(
        max_length=40,
        extra_json_schema={"format": "date-time", "pattern": DATE_TIME_PATTERN},
        description="RFC 3339 date-time, e.g. 2026-03-02T10:00:00+03:00 (years 2001 to 8998)",
    ),
]


def one_of(values: Iterable[str]) -> dict[str, Any]:
    """The JSON Schema of a string the server checks against a vocabulary (with its own error)."""
    return {"enum": [str(v) for v in values]}


# Not only whitespace (what str.strip() removes): the server keeps names without their surrounding
# whitespace, and refuses one that is empty then.
NOT_BLANK = {
    "pattern": "[^\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
}
Name = Annotated[str, Meta(min_length=1, max_length=200, extra_json_schema=NOT_BLANK)]


class TenantCreate(Struct):
    name: Name
    # The moment the tenant's clock starts at (default: now), e.g. to replay dated rules.
    now: DateTime | None = None


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
    # Generated ids start at TRADE_ORDER_ID_START; a pinned one stays below them.
    trade_order_id: Annotated[int, Meta(ge=1, le=TRADE_ORDER_ID_START - 1)] | None = None


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
    mode: Annotated[str, Meta(max_length=20, extra_json_schema=one_of(Progression))]


class ProgressionOut(Struct):
    mode: str


class MarkingIn(Struct, forbid_unknown_fields=True):
    # lenient: a marked item may ship without its `datamatrix` (the default, as on Lamoda); strict: not.
    mode: Annotated[str, Meta(max_length=20, extra_json_schema=one_of(MarkingPolicy))]


class MarkingOut(Struct):
    mode: str


class ClockSet(Struct):
    # The moment to jump to; not earlier than the clock shows (409 otherwise).
    now: DateTime


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
    sku: Annotated[str, Meta(min_length=1, max_length=100, extra_json_schema=NOT_BLANK)]
    quantity: Annotated[int, Meta(ge=1, le=100)] = 1
    price: Annotated[int, Meta(ge=0, le=10**12)] | None = None  # kopecks
    marking_required: bool | None = None


class LamodaOrderIn(Struct):
    items: Annotated[list[LamodaOrderItemIn], Meta(min_length=1, max_length=100)]
    fulfillment_type: Literal["FBS", "FBO"] = "FBS"
    # null: no cut-off (ship in the nearest scheduled shipment); absent: the next 13:00 MSK.
    cut_off: DateTime | UnsetType | None = UNSET


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
    status: Annotated[str, Meta(min_length=1, max_length=60, extra_json_schema=one_of(ItemStatus))]
    reason: Annotated[str, Meta(min_length=1, max_length=200)] | None = None


class LamodaSupplyCountIn(Struct):
    sku: Annotated[str, Meta(min_length=1, max_length=100)]
    receipt: Annotated[int, Meta(ge=0, le=10**6)]
    damaged: Annotated[int, Meta(ge=0, le=10**6)] = 0
    accepted: Annotated[int, Meta(ge=0, le=10**6)] | None = None


class LamodaSupplyStatusIn(Struct):
    status: Annotated[str, Meta(min_length=1, max_length=60, extra_json_schema=one_of(SupplyStatus))]
    reason: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    items: Annotated[list[LamodaSupplyCountIn], Meta(max_length=1000)] | None = None


def only_if(field: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    """`then` holds unless `field` is `value`: a field given only with one value of another."""
    return {"if": {"properties": {field: {"const": value}}, "required": [field]}, "else": then}


NULL = {"type": "null"}
# Counts are given only when the supply is accepted (lamoda_supplies.world_move).
SupplyStatusBody = Annotated[
    LamodaSupplyStatusIn,
    Meta(extra_json_schema=only_if("status", SupplyStatus.ACCEPTED, {"properties": {"items": NULL}})),
]
# A Not bought item needs one of Lamoda's non-purchase reasons; a Rejected one may give one of them
# (check_world_move); other moves keep any reason.
ItemStatusBody = Annotated[
    LamodaItemStatusIn,
    Meta(
        extra_json_schema={
            "allOf": [
                {
                    "if": {"properties": {"status": {"const": ItemStatus.NOT_BOUGHT}}},
                    "then": {"required": ["reason"], "properties": {"reason": one_of(NON_PURCHASE_REASONS)}},
                },
                {
                    "if": {"properties": {"status": {"const": ItemStatus.REJECTED}}},
                    "then": {"properties": {"reason": {"anyOf": [one_of(NON_PURCHASE_REASONS), NULL]}}},
                },
            ]
        }
    ),
]


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


# An absolute http(s) URL without credentials (domain.webhook_destinations; the server also takes
# surrounding whitespace and any host urlsplit reads; this is the plain form).
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._~!$&'()*+,;=%-]+(?::[0-9]{0,4})?(?:[/?#][!-~]*)?$"
Url = Annotated[str, Meta(min_length=1, max_length=2000, extra_json_schema={"pattern": URL_PATTERN})]


class WebhookIn(Struct):
    url: Url
    types: (
        Annotated[
            list[Annotated[str, Meta(max_length=60, extra_json_schema=one_of(NotificationType))]],
            Meta(max_length=10),
        ]
        | None
    ) = None


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


MESSAGE_STATUSES = one_of(MessageStatus)


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
    since: DateTime | None = None
    until: DateTime | None = None
    only_failed: bool = False
    url: Url | None = None


class ResendOut(Struct):
    message_ids: list[int]
