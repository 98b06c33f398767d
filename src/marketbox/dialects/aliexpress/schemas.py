"""Wire schemas of the AliExpress seller logistics API: field names and types exactly as documented."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from marketbox.dialects.formats import RFC3339
from marketbox.domain.handover_lists import HandoverStatus
from marketbox.domain.logistic_orders import PROBLEM_FILTERS, LogisticSortField, StatusGroup
from marketbox.domain.trade_orders import (
    TRADE_ORDER_SORT_FIELDS,
    AntifraudStatus,
    DeliveryStatus,
    PaymentStatus,
    TradeOrderStatus,
)

INT64_MAX = 2**63 - 1
Positive = Annotated[int, Meta(ge=1, le=100_000)]  # quantities, centimetres
PositiveFloat = Annotated[float, Meta(gt=0, le=100_000)]  # kilograms
PageSize = Annotated[int, Meta(ge=1, le=1000)]
PageNumber = Annotated[int, Meta(ge=1, le=1_000_000)]
Id = Annotated[int, Meta(ge=1, le=INT64_MAX)]
IdList = Annotated[list[Id], Meta(max_length=1000)]
# PostgreSQL takes at most 32,767 bound values per statement: every list is bounded well below.
StrList = Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=1000)]

# A request date as msgspec reads it (formats.RFC3339): an offset or none (UTC); the first and last
# years of the calendar are refused (mapping.utc), since some of their moments have no UTC equivalent.
DateTime = Annotated[
    datetime,
    Meta(
        extra_json_schema={"pattern": RFC3339},
        description="RFC 3339, e.g. `2024-09-23T00:00:00Z`; without an offset it is UTC",
    ),
]
# A logistic order id as a string of digits (18 significant digits at most: always a 64-bit id).
DIGITS = r"^0*[1-9][0-9]{0,17}$"

# The vocabularies of the enumerated request fields (mapping.py reads them against these).
LOGISTIC_ORDER_INFO = ("All", "Common")
SORT_DIRECTIONS = ("ASC", "DESC")
TRADE_ORDER_INFO = ("Common", "LogisticInfo")
SORTING_ORDERS = ("ASC", "DESC", "NONE")


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in vocabulary)


def _any_case(option: str) -> str:
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.isalpha() else c if c.isalnum() or c == "_" else "\\" + c
        for c in option
    )


def _choice_schema(options: Iterable[str], *, optional: bool) -> dict[str, Any]:
    """One of `options` in any (ASCII) letter case; an optional field also takes "" (the default)."""
    names = tuple(options)
    alternatives = ([""] if optional else []) + [_any_case(o) for o in names]
    return {
        "pattern": f"^(?:{'|'.join(alternatives)})$",
        "description": f"one of {', '.join(names)} (any letter case)"
        + ("; empty for the default" if optional else ""),
    }


@functools.cache
def Choice(options: tuple[str, ...]) -> Any:
    """An optional enumerated field: the endpoint reads it (mapping._choice) as the pattern says."""
    return Annotated[str, Meta(extra_json_schema=_choice_schema(options, optional=True))]


@functools.cache
def ChoiceList(options: tuple[str, ...]) -> Any:
    item = Annotated[str, Meta(max_length=200, extra_json_schema=_choice_schema(options, optional=False))]
    return Annotated[list[item], Meta(max_length=1000)]


class Request(Struct, forbid_unknown_fields=False):
    pass


# --- logistic-order/create ---------------------------------------------------------------------
class JewelryCodesIn(Struct):
    sku_index: Annotated[int, Meta(ge=0, le=100_000)]
    codes: Annotated[list[Annotated[str, Meta(max_length=1000)]], Meta(max_length=100)]


class CreateItem(Struct):
    quantity: Positive
    sku_id: Id
    product_source_id: Annotated[int, Meta(ge=0, le=INT64_MAX)] = 0
    jewelry_codes: list[JewelryCodesIn] | None = None


class CreateOrder(Struct):
    trade_order_id: Id
    total_length: Positive
    total_width: Positive
    total_height: Positive
    total_weight: PositiveFloat
    items: Annotated[list[CreateItem], Meta(min_length=1, max_length=500)]


class CreateLogisticOrdersRequest(Request):
    orders: Annotated[list[CreateOrder], Meta(min_length=1, max_length=100)]


class CreatedLine(Struct):
    sku_id: int
    product_source_id: int
    quantity: int


class CreatedLogisticOrder(Struct):
    id: int
    lines: list[CreatedLine]
    track_number: str


class CreatedOrder(Struct):
    trade_order_id: int
    logistic_orders: list[CreatedLogisticOrder]


class CommonError(Struct):
    code: str
    message: str


class ItemError(Struct):
    trade_order_id: int
    sku_id: int
    code: str
    message: str


class CreationErrors(Struct):
    common_errors: list[CommonError] | None
    item_errors: list[ItemError] | None


class CreateLogisticOrdersData(Struct, omit_defaults=True):
    orders: list[CreatedOrder]
    errors: CreationErrors | None = None


# --- logistic-order/get ------------------------------------------------------------------------
class SortParams(Struct):
    order_sort_type: Choice(values(LogisticSortField)) | None = None  # type: ignore[valid-type]
    query_sort: Choice(SORT_DIRECTIONS) | None = None  # type: ignore[valid-type]


class GetLogisticOrdersRequest(Request):
    page_size: PageSize
    page: PageNumber
    logistic_order_ids: IdList | None = None
    tracking_numbers: StrList | None = None
    trade_order_ids: IdList | None = None
    filter_status: Choice(values(StatusGroup)) | None = None  # type: ignore[valid-type]
    gmt_create_from: DateTime | None = None
    gmt_create_to: DateTime | None = None
    gmt_cut_off_date_from: DateTime | None = None
    gmt_cut_off_date_to: DateTime | None = None
    problem_state_filter: Choice(PROBLEM_FILTERS) | None = None  # type: ignore[valid-type]
    sort_params: SortParams | None = None
    logistic_order_info: Choice(LOGISTIC_ORDER_INFO) | None = None  # type: ignore[valid-type]


class ReceiverAddressOut(Struct):
    zip_code: str
    country_code: str
    country: str
    province: str
    city: str
    street: str
    detail_address: str


class Addresses(Struct):
    receiver_address: ReceiverAddressOut


class JewelryCodesOut(Struct):
    sku_index: int
    codes: list[str]


class LogisticOrderItem(Struct, omit_defaults=True):
    item_id: int
    sku_id: int
    product_source_id: int
    name: str
    item_price: int
    currency: str
    total_amount: int
    img_url: str
    properties: list[str]
    mobile_url: str
    web_url: str
    quantity: int
    marking_required: bool
    jewelry_codes: list[JewelryCodesOut] | None = None


class LogisticOrderOut(Struct, omit_defaults=True):
    logistic_order_id: int
    trade_order_id: int
    handover_list_id: int
    cut_off_date: str
    status: str
    state_status_name: str
    platform_tracking_code: str
    items_count: int
    gmt_create: str
    trade_order_source: str
    total_amount: int
    buyer_name: str
    buyer_country_code: str
    addresses: Addresses | None = None
    external_provider: int = 0
    last_mile_provider: str = ""
    first_mile_provider: str = ""
    first_mile: str = ""
    danger_type: str = ""
    items: list[LogisticOrderItem] | None = None
    creation_error: str | None = None
    problem_state: str | None = None


class PageInfo(Struct):
    current: int
    page_size: int
    total: int


class LogisticOrdersPage(Struct):
    logistic_orders: list[LogisticOrderOut]
    page_info: PageInfo


# --- labels/orders/get, labels/handover-lists/get ----------------------------------------------
class LabelsRequest(Request):
    logistic_order_ids: Annotated[list[Id], Meta(min_length=1, max_length=100)]


class HandoverLabelRequest(Request):
    handover_list_id: Id


class LabelData(Struct):
    label_url: str


# --- logistic-order/delete ---------------------------------------------------------------------
class DeleteRequest(Request):
    logistic_order_ids: Annotated[list[Id], Meta(min_length=1, max_length=1000)]


class DeletionResult(Struct):
    deleted_at: str | None
    error_message: str | None


class DeleteData(Struct):
    deletion_result_map: dict[str, DeletionResult]


# --- logistic-order/pass-today -----------------------------------------------------------------
class PassTodayRequest(Request):
    order_id: Id


class PassTodayData(Struct):
    logistic_order_id: int
    cut_off_date: str
    handover_list_id: int


# --- handover lists ----------------------------------------------------------------------------
class HandoverCreateRequest(Request):
    logistic_order_ids: Annotated[list[Id], Meta(min_length=1, max_length=1000)]
    arrival_date: DateTime | None = None


class HandoverCreated(Struct):
    handover_list_id: int


class HandoverFilterRequest(Request):
    page_size: PageSize
    page_number: PageNumber
    statuses: ChoiceList(values(HandoverStatus)) | None = None  # type: ignore[valid-type]
    handover_list_ids: IdList | None = None
    logistic_order_ids: IdList | None = None
    gmt_create_from: DateTime | None = None
    gmt_create_to: DateTime | None = None
    arrival_date_sort: Choice(SORT_DIRECTIONS) | None = None  # type: ignore[valid-type]
    gmt_create_sort: Choice(SORT_DIRECTIONS) | None = None  # type: ignore[valid-type]


class HandoverListOut(Struct):
    handover_list_id: int
    arrival_date: str | None
    status: str
    shipment_type: str
    logistic_order_ids: list[int]
    gmt_create: str


class HandoverListsPage(Struct):
    data_source: list[HandoverListOut]
    page_info: PageInfo


# `order_ids` arrive as numbers from some clients and as strings of digits from others.
OrderIdList = Annotated[list[Id | Annotated[str, Meta(pattern=DIGITS)]], Meta(min_length=1, max_length=1000)]


class HandoverEditRequest(Request):
    handover_list_id: Id
    order_ids: OrderIdList


class HandoverTransferRequest(Request):
    handover_list_id: Id


class HandoverListState(Struct):
    handover_list_id: int
    status: str
    logistic_order_ids: list[int]


# --- order/get-order-list ----------------------------------------------------------------------
class OrderListRequest(Request):
    page: PageNumber
    page_size: PageSize
    date_start: DateTime | None = None
    date_end: DateTime | None = None
    order_statuses: ChoiceList(values(TradeOrderStatus)) | None = None  # type: ignore[valid-type]
    payment_statuses: ChoiceList(values(PaymentStatus)) | None = None  # type: ignore[valid-type]
    delivery_statuses: ChoiceList(values(DeliveryStatus)) | None = None  # type: ignore[valid-type]
    antifraud_statuses: ChoiceList(values(AntifraudStatus)) | None = None  # type: ignore[valid-type]
    order_ids: IdList | None = None
    sorting_order: Choice(SORTING_ORDERS) | None = None  # type: ignore[valid-type]
    sorting_field: Choice(TRADE_ORDER_SORT_FIELDS) | None = None  # type: ignore[valid-type]
    tracking_numbers: StrList | None = None
    update_at_from: DateTime | None = None
    update_at_to: DateTime | None = None
    updated_at_to: DateTime | None = None
    shipping_day_from: DateTime | None = None
    shipping_day_to: DateTime | None = None
    trade_order_info: Choice(TRADE_ORDER_INFO) | None = None  # type: ignore[valid-type]


class OrderLineOut(Struct):
    id: int
    item_id: str
    sku_id: str
    sku_code: str
    name: str
    img_url: str
    item_price: int
    quantity: int
    total_amount: int
    properties: list[str]
    buyer_comment: str
    issue_status: str
    product_source_id: int
    currency: str
    marking_required: bool


class CutOffHistory(Struct):
    shift_number: int
    cut_off_date: str


class EmbeddedLine(Struct):
    sku_id: int
    quantity: int


class EmbeddedLogisticOrder(Struct):
    id: int
    trade_order_id: int
    track_number: str
    status: str
    creation_error: Any
    lines: list[EmbeddedLine]
    handover_list_id: int


class OrderOut(Struct, omit_defaults=True):
    id: int
    created_at: str
    paid_at: str | None
    updated_at: str
    status: str
    payment_status: str
    delivery_status: str
    antifraud_status: str
    order_display_status: str
    delivery_address: str
    buyer_country_code: str
    buyer_name: str
    buyer_phone: str
    order_lines: list[OrderLineOut]
    total_amount: int
    seller_comment: str
    fully_prepared: bool
    finish_reason: str | None
    cut_off_date: str
    cut_off_date_histories: list[CutOffHistory]
    shipping_deadline: str
    next_cut_off_date: str
    logistic_orders: list[EmbeddedLogisticOrder] | None = None


class OrderListData(Struct):
    total_count: int
    orders: list[OrderOut]


# --- the envelope ------------------------------------------------------------------------------
class ErrorOut(Struct):
    code: str
    message: str
    details: dict[str, Any] | None = None


class Envelope(Struct):
    data: Any
    error: ErrorOut | None


@functools.cache
def envelope_schema(data_type: Any) -> Any:
    """A response type for OpenAPI: the documented `{data, error}` wrapper around `data_type`."""
    name = getattr(data_type, "__name__", "Data")
    # `error` may be absent: a fully successful logistic-order/create answers `{"data": ...}` alone.
    return msgspec.defstruct(
        f"{name}Response", [("data", data_type | None), ("error", ErrorOut | None, None)], kw_only=True
    )
