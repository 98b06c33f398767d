"""Domain objects to AliExpress wire objects, and wire queries to domain queries."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from marketbox.dialects.aliexpress import schemas as w
from marketbox.domain.errors import InvalidInput
from marketbox.domain.handover_lists import HandoverList, HandoverListQuery, HandoverStatus
from marketbox.domain.logistic_orders import (
    PROBLEM_FILTERS,
    STATUS_NAMES,
    JewelryCodes,
    LogisticOrder,
    LogisticOrderDetails,
    LogisticOrderQuery,
    LogisticSortField,
    NewLine,
    NewLogisticOrder,
    StatusGroup,
    fully_allocated,
)
from marketbox.domain.shipping_dates import spare_day
from marketbox.domain.trade_orders import (
    TRADE_ORDER_SORT_FIELDS,
    AntifraudStatus,
    DeliveryStatus,
    PaymentStatus,
    SortOrder,
    TradeOrder,
    TradeOrderQuery,
    TradeOrderStatus,
)


def seconds(value: datetime) -> str:
    """`2024-09-25T00:06:16+00:00`, the form of `cut_off_date`."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def micros(value: datetime) -> str:
    """`2024-09-23T00:06:17.312172+00:00`, the form of `gmt_create`."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def utc(value: datetime | None, field: str) -> datetime | None:
    """A request date in UTC; dates without an offset are read as UTC. The first and last years of
    the calendar are refused whole (schemas.DateTime says so): some of their moments have no UTC."""
    if value is None:
        return None
    if value.year in (1, 9999):
        raise invalid(field, "date out of range (years 0002 to 9998)")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise invalid(field, "date out of range") from None


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput("ErrorCode.ValidationError", f"{field}: {message}", {"field": field})


def _choice(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value.isascii():  # letter case aside, as the schema's pattern says
        for option in allowed:
            if option.lower() == value.lower():
                return option
    raise invalid(field, f"unknown value {value!r}; allowed: {', '.join(allowed)}")


def _required_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    chosen = _choice(field, value, allowed)
    if chosen is None:
        raise invalid(field, f"a value is required; allowed: {', '.join(allowed)}")
    return chosen


def _choices(field: str, values: list[str] | None, vocabulary: type[StrEnum]) -> tuple[str, ...]:
    allowed = tuple(member.value for member in vocabulary)
    return tuple(_required_choice(f"{field}[{i}]", value, allowed) for i, value in enumerate(values or ()))


# --- create ------------------------------------------------------------------------------------
def new_logistic_orders(body: w.CreateLogisticOrdersRequest) -> list[NewLogisticOrder]:
    return [
        NewLogisticOrder(
            trade_order_id=o.trade_order_id,
            total_length=o.total_length,
            total_width=o.total_width,
            total_height=o.total_height,
            total_weight=o.total_weight,
            items=tuple(
                NewLine(
                    sku_id=i.sku_id,
                    quantity=i.quantity,
                    product_source_id=i.product_source_id,
                    jewelry_codes=tuple(
                        JewelryCodes(j.sku_index, tuple(j.codes)) for j in i.jewelry_codes or ()
                    ),
                )
                for i in o.items
            ),
        )
        for o in body.orders
    ]


def created_order(trade_order_id: int, orders: list[LogisticOrder]) -> w.CreatedOrder:
    return w.CreatedOrder(
        trade_order_id=trade_order_id,
        logistic_orders=[
            w.CreatedLogisticOrder(
                id=lo.id,
                lines=[
                    w.CreatedLine(line.sku_id, line.product_source_id, line.quantity) for line in lo.lines
                ],
                track_number=lo.tracking_code,
            )
            for lo in orders
        ],
    )


# --- get ---------------------------------------------------------------------------------------
LOGISTIC_ORDER_INFO = w.LOGISTIC_ORDER_INFO
SORT_DIRECTIONS = w.SORT_DIRECTIONS


def logistic_order_query(body: w.GetLogisticOrdersRequest) -> tuple[LogisticOrderQuery, bool]:
    group = _choice("filter_status", body.filter_status, tuple(g.value for g in StatusGroup))
    problem = _choice("problem_state_filter", body.problem_state_filter, PROBLEM_FILTERS)
    sort = body.sort_params or w.SortParams()
    sort_field = _choice(
        "sort_params.order_sort_type", sort.order_sort_type, tuple(f.value for f in LogisticSortField)
    )
    direction = _choice("sort_params.query_sort", sort.query_sort, SORT_DIRECTIONS) or "DESC"
    info = _choice("logistic_order_info", body.logistic_order_info, LOGISTIC_ORDER_INFO) or "All"
    query = LogisticOrderQuery(
        page=body.page,
        page_size=body.page_size,
        ids=tuple(body.logistic_order_ids or ()),
        tracking_numbers=tuple(body.tracking_numbers or ()),
        trade_order_ids=tuple(body.trade_order_ids or ()),
        group=StatusGroup(group) if group else None,
        created_from=utc(body.gmt_create_from, "gmt_create_from"),
        created_to=utc(body.gmt_create_to, "gmt_create_to"),
        cut_off_from=utc(body.gmt_cut_off_date_from, "gmt_cut_off_date_from"),
        cut_off_to=utc(body.gmt_cut_off_date_to, "gmt_cut_off_date_to"),
        problem=problem,
        sort_field=LogisticSortField(sort_field) if sort_field else LogisticSortField.GMT_CREATE,
        descending=direction == "DESC",
    )
    return query, info == "All"


def _item_url(item_id: int) -> str:
    return f"https://laliexpress.com/item/{item_id}.html"


def logistic_order(details: LogisticOrderDetails, *, full: bool) -> w.LogisticOrderOut:
    lo = details.order
    a = details.receiver_address
    out = w.LogisticOrderOut(
        logistic_order_id=lo.id,
        trade_order_id=lo.trade_order_id,
        handover_list_id=lo.handover_list_id or 0,
        cut_off_date=seconds(lo.cut_off_date),
        status=lo.group.value,
        state_status_name=STATUS_NAMES[lo.status],
        platform_tracking_code=lo.tracking_code,
        items_count=lo.items_count,
        gmt_create=micros(lo.gmt_create),
        trade_order_source=details.trade_order_source,
        total_amount=details.trade_order_total,
        buyer_name=details.buyer_name,
        buyer_country_code=details.buyer_country_code,
        creation_error=lo.creation_error,
        problem_state=lo.problem_state.value if lo.problem_state else None,
    )
    if not full:
        return out
    out.addresses = w.Addresses(
        w.ReceiverAddressOut(
            a.zip_code, a.country_code, a.country, a.province, a.city, a.street, a.detail_address
        )
    )
    out.external_provider = 6488
    out.last_mile_provider = "OFFLINE"
    out.first_mile_provider = "OFFLINE"
    out.first_mile = "offline"
    out.danger_type = "General"
    out.items = [
        w.LogisticOrderItem(
            item_id=line.item_id,
            sku_id=line.sku_id,
            product_source_id=line.product_source_id,
            name=line.name,
            item_price=line.item_price,
            currency=line.currency,
            total_amount=line.total_amount,
            img_url=line.img_url,
            properties=list(line.properties),
            mobile_url=_item_url(line.item_id),
            web_url=_item_url(line.item_id),
            quantity=line.quantity,
            marking_required=line.marking_required,
            jewelry_codes=[w.JewelryCodesOut(j.sku_index, list(j.codes)) for j in line.jewelry_codes] or None,
        )
        for line in lo.lines
    ]
    return out


# --- handover lists ----------------------------------------------------------------------------
def order_ids(field: str, values: list[int | str]) -> list[int]:
    """Numbers, or strings of digits (schemas.DIGITS; a trailing newline, which Python's `$` lets
    through, is refused here)."""
    ids = []
    for i, value in enumerate(values):
        if isinstance(value, str):
            if not (value.isascii() and value.isdigit()):
                raise invalid(f"{field}[{i}]", f"expected a logistic order id, got {value!r}")
            value = int(value)
        if not 1 <= value <= 2**63 - 1:
            raise invalid(f"{field}[{i}]", "expected a positive 64-bit id")
        ids.append(value)
    return ids


def handover_query(body: w.HandoverFilterRequest) -> HandoverListQuery:
    statuses = tuple(
        HandoverStatus(_required_choice(f"statuses[{i}]", value, tuple(h.value for h in HandoverStatus)))
        for i, value in enumerate(body.statuses or ())
    )
    arrival = _choice("arrival_date_sort", body.arrival_date_sort, SORT_DIRECTIONS)
    created = _choice("gmt_create_sort", body.gmt_create_sort, SORT_DIRECTIONS)
    return HandoverListQuery(
        page_number=body.page_number,
        page_size=body.page_size,
        statuses=statuses,
        ids=tuple(body.handover_list_ids or ()),
        logistic_order_ids=tuple(body.logistic_order_ids or ()),
        created_from=utc(body.gmt_create_from, "gmt_create_from"),
        created_to=utc(body.gmt_create_to, "gmt_create_to"),
        arrival_date_descending=None if arrival is None else arrival == "DESC",
        gmt_create_descending=None if created is None else created == "DESC",
    )


def handover_list(h: HandoverList) -> w.HandoverListOut:
    return w.HandoverListOut(
        handover_list_id=h.id,
        arrival_date=seconds(h.arrival_date) if h.arrival_date else None,
        status=h.status.value,
        shipment_type=h.shipment_type.value,
        logistic_order_ids=list(h.logistic_order_ids),
        gmt_create=micros(h.gmt_create),
    )


# --- order list --------------------------------------------------------------------------------
TRADE_ORDER_INFO = w.TRADE_ORDER_INFO
SORTING_ORDERS = w.SORTING_ORDERS


def trade_order_query(body: w.OrderListRequest) -> tuple[TradeOrderQuery, bool]:
    info = _choice("trade_order_info", body.trade_order_info, TRADE_ORDER_INFO) or "Common"
    direction = _choice("sorting_order", body.sorting_order, SORTING_ORDERS) or "DESC"
    field = _choice("sorting_field", body.sorting_field, TRADE_ORDER_SORT_FIELDS) or "created_at"
    query = TradeOrderQuery(
        page=body.page,
        page_size=body.page_size,
        created_from=utc(body.date_start, "date_start"),
        created_to=utc(body.date_end, "date_end"),
        updated_from=utc(body.update_at_from, "update_at_from"),
        updated_to=utc(body.update_at_to, "update_at_to") or utc(body.updated_at_to, "updated_at_to"),
        shipping_day_from=utc(body.shipping_day_from, "shipping_day_from"),
        shipping_day_to=utc(body.shipping_day_to, "shipping_day_to"),
        order_ids=tuple(body.order_ids or ()),
        statuses=_choices("order_statuses", body.order_statuses, TradeOrderStatus),
        payment_statuses=_choices("payment_statuses", body.payment_statuses, PaymentStatus),
        delivery_statuses=_choices("delivery_statuses", body.delivery_statuses, DeliveryStatus),
        antifraud_statuses=_choices("antifraud_statuses", body.antifraud_statuses, AntifraudStatus),
        tracking_numbers=tuple(body.tracking_numbers or ()),
        sort_field=field,
        sort_order=SortOrder.ASC if direction == "ASC" else SortOrder.DESC,
    )
    return query, info == "LogisticInfo"


def trade_order(order: TradeOrder, logistics: list[LogisticOrder], *, show_logistics: bool) -> w.OrderOut:
    return w.OrderOut(
        id=order.id,
        created_at=micros(order.created_at),
        paid_at=micros(order.paid_at) if order.paid_at else None,
        updated_at=micros(order.updated_at),
        status=order.status.value,
        payment_status=order.payment_status.value,
        delivery_status=order.delivery_status.value,
        antifraud_status=order.antifraud_status.value,
        order_display_status=order.display_status.value,
        delivery_address=order.receiver_address.one_line(),
        buyer_country_code=order.buyer_country_code,
        buyer_name=order.buyer_name,
        buyer_phone=order.buyer_phone,
        order_lines=[
            w.OrderLineOut(
                id=line.id,
                item_id=str(line.item_id),
                sku_id=str(line.sku_id),
                sku_code=line.sku_code,
                name=line.name,
                img_url=line.img_url,
                item_price=line.item_price,
                quantity=line.quantity,
                total_amount=line.total_amount,
                properties=list(line.properties),
                buyer_comment=line.buyer_comment,
                issue_status="NoDispute",
                product_source_id=line.product_source_id,
                currency=line.currency,
                marking_required=line.marking_required,
            )
            for line in order.lines
        ],
        total_amount=order.total_amount,
        seller_comment="",
        fully_prepared=fully_allocated(order, logistics),
        finish_reason=order.finish_reason,
        cut_off_date=seconds(order.cut_off_date),
        cut_off_date_histories=[w.CutOffHistory(0, seconds(order.cut_off_date))],
        shipping_deadline=seconds(order.shipping_deadline),
        next_cut_off_date=seconds(spare_day(order.cut_off_date)),
        logistic_orders=None
        if not show_logistics
        else [
            w.EmbeddedLogisticOrder(
                id=lo.id,
                trade_order_id=lo.trade_order_id,
                track_number=lo.tracking_code,
                status=lo.status.value,
                creation_error=None
                if lo.creation_error is None
                else {"code": "CreationError", "description": lo.creation_error},
                lines=[w.EmbeddedLine(line.sku_id, line.quantity) for line in lo.lines],
                handover_list_id=lo.handover_list_id or 0,
            )
            for lo in logistics
        ],
    )
