"""Lamoda B2B Platform Partner API (v1): orders, events, FBS shipments, FBO supplies, catalogue, tracking."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects import formats
from marketbox.dialects.lamoda import v1_schemas as w
from marketbox.dialects.lamoda.endpoints import (
    FlagParam,
    flag_param,
    in_utc,
    int_param,
    lamoda_endpoint,
    parse_datetime,
    query_value,
    v1_time,
)
from marketbox.domain.errors import InvalidInput
from marketbox.domain.lamoda_orders import (
    RETURN_STATUSES,
    RETURNS_MOVED_TO_V2,
    ItemStatus,
    Order,
    OrderItem,
    StatusEvent,
    order_status,
    v1_visible_status,
)
from marketbox.domain.lamoda_shipments import Shipment
from marketbox.domain.lamoda_supplies import Supply
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import MOSCOW
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.services import lamoda_catalog, lamoda_orders, lamoda_shipping, lamoda_supplies
from marketbox.services.faults import FaultInjector
from marketbox.store import lamoda_catalog as catalog_store
from marketbox.store.database import Database
from marketbox.store.lamoda_orders import OrderQuery

PREFIX = "/api/v1"
MAX_LIMIT = 1000
_REJECTED = frozenset({ItemStatus.NOT_BOUGHT, ItemStatus.REJECTED, ItemStatus.NOT_DELIVERED})


def _rub(kopecks: int) -> float:
    return kopecks / 100


def _reason_of(item: OrderItem, shown: str, history: Sequence[StatusEvent]) -> str | None:
    """The reason of the status v1 shows, which is not the item's own once a return hides it."""
    if shown == item.status:
        return item.status_reason
    moves = [e for e in history if e.item_id == item.id and e.status == shown]
    return moves[-1].reason if moves else None


def _was_rejected(item: OrderItem, history: Sequence[StatusEvent]) -> bool:
    """Refused by the buyer (or undeliverable): it stays in rejectPrice when its return goes on."""
    return item.status in _REJECTED or any(e.item_id == item.id and e.status in _REJECTED for e in history)


def order_out(order: Order, seller: Seller, *, detail: bool = False) -> w.V1Order:
    now = seller.clock.now()
    statuses = [v1_visible_status(i, order.history, now) for i in order.items]
    active = [i for i in order.items if i.status != ItemStatus.CANCELED]
    items = [
        w.V1OrderItem(
            id=i.id,
            sku=i.external_sku,
            lamodaSku=i.sku,
            brand=i.brand,
            description=i.name,
            size=i.size,
            color=i.color,
            status=status,
            statusChangeReason=_reason_of(i, status, order.history),
            basePrice=_rub(i.price),
            salePrice=_rub(i.price),
            paidPrice=_rub(i.paid_price),
            totalDiscount=f"{(i.price - i.paid_price) / 100:.2f}",
            packNumber=order.pack_number_of(i),
        )
        for i, status in zip(order.items, statuses, strict=True)
    ]
    d = order.details
    return w.V1Order(
        id=order.id,
        orderNr=order.order_nr,
        trackingId=order.tracking_id,
        status=order_status(statuses),
        isConfirmed=order.is_confirmed or order.fulfillment_type.value == "FBO",
        fulfillmentType=order.fulfillment_type.value,
        paymentMethod=str(d.get("paymentMethod", "")),
        fullSum=_rub(sum(i.paid_price for i in active)),
        deliveryPrice=_rub(int(str(d.get("deliveryPrice", 0)))),
        rejectPrice=_rub(sum(i.paid_price for i in active if _was_rejected(i, order.history))),
        createdAt=v1_time(order.created_at) or "",
        updatedAt=v1_time(order.updated_at) or "",
        cutOff=v1_time(order.cut_off),
        dates=w.OrderDates(
            confirmed=v1_time(order.first_time(ItemStatus.CONFIRMED)),
            shipped=v1_time(order.first_time(ItemStatus.SHIPPED)),
            delivered=v1_time(order.first_time(ItemStatus.DELIVERED)),
        ),
        shippingMethodCode=str(d.get("shippingMethodCode", "")),
        shippingMethodName=str(d.get("shippingMethodName", "")),
        hasIntervals=bool(d.get("hasIntervals", False)),
        city=str(d.get("city", "")),
        shopName=seller.name,
        items=items,
        links=w.Links(self=w.Link(f"{PREFIX}/orders/{order.order_nr}")),
        embedded=w.PackNumbers(list(order.pack_numbers)) if detail else None,
    )


_CONDITION = re.compile(r"^\s*(createdAt|updatedAt|status)\s*(>=|<=|==|=|>|<)\s*(.+?)\s*$")
_COMPACT = re.compile(r"^\d{8}(\d{6})?$")

# The filter language as one pattern, declared and checked alike: conditions joined by `;` (or `&`),
# each `status=A|B` or a time condition on createdAt/updatedAt: `>=`, `<=`, `=`… a compact
# `YYYYMMDD[HHMMSS]` or ISO 8601 moment (Moscow time when it has no zone), or a range `<FROM,TO>`.
_WS = "[ \t]*"
_COMPACT_TIME = f"{formats.ymd('')}(?:{formats.HOUR}{formats.MINUTE}{formats.MINUTE})?"
_MOMENT = f"(?:{_COMPACT_TIME}|{formats.LAMODA_DATE_TIME_BODY})"
_TIME_CONDITION = (
    f"(?:createdAt|updatedAt){_WS}(?:>=|<=|==|=|>|<){_WS}"
    f"(?:{_MOMENT}|<{_WS}{_MOMENT}{_WS},{_WS}{_MOMENT}{_WS}>)"
)
# NUL is refused in any query parameter (httpapi/guards.py).
_STATUS_CONDITION = f"status{_WS}(?:==|=){_WS}[^;&\\n\\x00]+"
_PART = f"{_WS}(?:{_TIME_CONDITION}|{_STATUS_CONDITION}){_WS}"
# Empty conditions (`;;`) are skipped; a blank one is not a condition.
FILTER_PATTERN = f"^(?:{_PART})?(?:[;&](?:{_PART})?)*$"


def _filter_time(raw: str) -> datetime:
    """`20261123153000` or `20261123` (Moscow time, as Lamoda's B2B API speaks it) or ISO 8601."""
    if _COMPACT.match(raw):
        value = datetime.strptime(raw.ljust(14, "0"), "%Y%m%d%H%M%S")
        return in_utc(value.replace(tzinfo=MOSCOW), "filter")
    return parse_datetime(raw, "filter", local=True)


def parse_filter(raw: str, query: dict[str, Any]) -> None:
    """Conditions joined by `;`: `updatedAt>=20261101000000`, `createdAt=<FROM,TO>`, `status=New|Rejected`."""
    if not formats.matches(FILTER_PATTERN, raw):
        raise InvalidInput(
            "invalid_filter",
            f"filter: cannot read {raw[:60]!r}; use e.g. updatedAt>=20261101000000;status=Confirmed "
            "(times YYYYMMDD[HHMMSS] or ISO 8601, ranges createdAt=<FROM,TO>)",
            {"field": "filter"},
        )
    for part in filter(None, re.split(r"[;&]", raw)):
        match = _CONDITION.match(part)
        assert match is not None  # FILTER_PATTERN admits only conditions _CONDITION reads
        name, op, value = match.groups()
        if name == "status":
            query["statuses"] = tuple(s.strip() for s in value.split("|") if s.strip())
            continue
        prefix = "created" if name == "createdAt" else "updated"
        if value.startswith("<") and value.endswith(">") and "," in value:
            low, high = value[1:-1].split(",", 1)
            query[f"{prefix}_from"] = _filter_time(low.strip())
            query[f"{prefix}_to"] = _filter_time(high.strip())
        elif op in (">=", ">"):
            query[f"{prefix}_from"] = _filter_time(value)
        elif op in ("<=", "<"):
            query[f"{prefix}_to"] = _filter_time(value)
        else:
            moment = _filter_time(value)
            query[f"{prefix}_from"] = query[f"{prefix}_to"] = moment


SORTS = ("createdAt", "-createdAt", "updatedAt", "-updatedAt", "id", "-id")
Sort = Literal["createdAt", "-createdAt", "updatedAt", "-updatedAt", "id", "-id"]


def hal_links(request: Request, page: int, limit: int, pages: int) -> w.Links:
    """Links to other pages of the same list: the other query parameters (sort, filter…) are kept."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "limit")]

    def link(p: int) -> w.Link:
        return w.Link(f"{request.url.path}?{urlencode([('page', p), ('limit', limit), *kept])}")

    return w.Links(
        self=link(page),
        first=link(1),
        last=link(max(pages, 1)),
        next=link(page + 1) if page < pages else None,
        prev=link(page - 1) if page > 1 else None,
    )


MAX_PAGE = 10**6
PAGING = [
    ("page", Annotated[int, Meta(ge=1, le=MAX_PAGE)], False, "page number, from 1"),
    ("limit", Annotated[int, Meta(ge=1, le=MAX_LIMIT)], False, f"page size, 1..{MAX_LIMIT} (default 25)"),
]


def page_params(request: Request, default_limit: int = 25) -> tuple[int, int]:
    return int_param(request, "page", 1, MAX_PAGE, 1), int_param(
        request, "limit", 1, MAX_LIMIT, default_limit
    )


def shipment_out(shipment: Shipment, orders: dict[int, Order]) -> w.V1Shipment:
    def item(item_id: int) -> w.V1ShipmentItem:
        order = orders.get(item_id)
        found = order.item(item_id) if order else None
        return w.V1ShipmentItem(item_id, found.external_sku if found else "", order.order_nr if order else "")

    return w.V1Shipment(
        id=shipment.id,
        externalId=shipment.external_id,
        status=shipment.status.value,
        source=shipment.source,
        destination=shipment.destination,
        shippedAt=v1_time(shipment.ship_at),
        createdAt=v1_time(shipment.created_at) or "",
        containers=[
            w.V1ShipmentPallet(
                p.barcode,
                "pallet",
                [
                    w.V1ShipmentPack(
                        k.barcode,
                        "pack",
                        orders[k.item_ids[0]].order_nr if k.item_ids and k.item_ids[0] in orders else "",
                        [item(i) for i in k.item_ids],
                    )
                    for k in p.packs
                ],
            )
            for p in shipment.pallets
        ],
    )


def supply_out(supply: Supply) -> w.V1Supply:
    return w.V1Supply(
        id=supply.id,
        code=supply.code,
        status=supply.status.value,
        date=supply.supply_date.strftime("%d.%m.%Y"),
        documentNumber=supply.document_number,
        rejectReason=supply.reject_reason,
        createdAt=v1_time(supply.created_at) or "",
        updatedAt=v1_time(supply.updated_at) or "",
        pallets=[w.SupplyPallet(b) for b in supply.pallets],
        items=[
            w.V1SupplyItem(
                i.sku,
                i.ean,
                i.quantity,
                _rub(i.price),
                i.receipt,
                i.accepted,
                i.surplus,
                i.missing,
                i.damaged,
            )
            for i in supply.items
        ],
        statuses=[w.V1SupplyStatus(status, v1_time(at) or "") for at, status in supply.history],
    )


def nomenclature_out(n: catalog_store.Nomenclature, seller: Seller) -> w.V1Nomenclature:
    return w.V1Nomenclature(
        sku=n.sku,
        supplier_sku=n.external_sku,
        supplier_size=n.size,
        parentSku=n.parent_sku,
        quantity=n.fbo_stock,
        barcode=n.barcode,
        name=n.name,
        color=n.color,
        brand=n.brand,
        category=n.category,
        status="active",
        isSellable=True,
        markingRequired=n.marking_required,
        embedded=w.PartnerEmbedded(w.Partner(str(seller.id), seller.name)),
    )


def tracking_out(order: Order) -> w.Tracking:
    delivered = order.first_time(ItemStatus.DELIVERED)
    due = delivered or (order.cut_off or order.created_at)
    day = due.astimezone(MOSCOW).date().isoformat()
    wished = order.details.get("deliveryDate")  # an order the seller created may name the day
    if delivered is None and wished:
        day = str(wished)
    intervals = bool(order.details.get("hasIntervals"))
    return w.Tracking(
        orderNr=order.order_nr,
        trackingId=order.tracking_id,
        deliveryDate=day if order.status != ItemStatus.CANCELED else None,
        deliveryIntervalFrom=str(order.details.get("deliveryIntervalFrom") or "10:00") if intervals else None,
        deliveryIntervalTo=str(order.details.get("deliveryIntervalTo") or "22:00") if intervals else None,
        orderRepresentStatus=order.status,
    )


def endpoints(
    db: Database, limiter: RateLimiter | None = None, faults: FaultInjector | None = None
) -> list[Endpoint]:
    async def list_orders(request: Request, seller: Seller, _: None) -> Response:
        page, limit = page_params(request)
        sort = query_value(request, "sort") or "id"
        if sort not in SORTS:
            raise InvalidInput("invalid_sort", f"sort must be one of {', '.join(SORTS)}", {"field": "sort"})
        fields: dict[str, Any] = {}
        parse_filter(request.query_params.get("filter") or "", fields)
        hidden = seller.clock.now() >= RETURNS_MOVED_TO_V2
        query = OrderQuery(seller.id, sort=sort, page=page, limit=limit, returns_hidden=hidden, **fields)
        orders, total = await lamoda_orders.list_orders(db, query)
        pages = math.ceil(total / limit)
        return json_response(
            w.V1OrderList(
                page=page,
                limit=limit,
                pages=pages,
                total=total,
                links=hal_links(request, page, limit, pages),
                embedded=w.V1Orders([order_out(o, seller) for o in orders]),
            )
        )

    async def get_order(request: Request, seller: Seller, _: None) -> Response:
        order = await lamoda_orders.get_order(db, seller, request.path_params["id"])
        return json_response(order_out(order, seller, detail=True))

    async def order_event(request: Request, seller: Seller, body: w.OrderEvent) -> Response:
        key = request.path_params["id"]
        if body.type == "confirm":
            order = await lamoda_orders.confirm(db, seller, key)
        else:
            order = await lamoda_orders.cancel(db, seller, key)
        return json_response(order_out(order, seller, detail=True))

    async def order_statuses(request: Request, seller: Seller, _: None) -> Response:
        order = await lamoda_orders.get_order(db, seller, request.path_params["id"])
        lines = [
            w.V1StatusLine(e.status, v1_time(e.at) or "")
            for e in order.history
            if e.item_id is None and not _hidden_return(e.status, seller)
        ]
        return json_response(w.V1StatusHistory(order.order_nr, w.V1Statuses(lines)))

    async def create_shipment(_: Request, seller: Seller, body: w.ShipmentOut) -> Response:
        ship_at = (
            parse_datetime(body.shippedAt, "shippedAt", local=True) if body.shippedAt is not None else None
        )
        shipment = await lamoda_shipping.create_shipment(
            db,
            seller,
            lamoda_shipping.ShipmentIn(
                pallets=tuple(
                    lamoda_shipping.PalletIn(
                        pallet.barcode,
                        tuple(
                            lamoda_shipping.PackIn(
                                pack.barcode,
                                tuple(
                                    lamoda_shipping.ItemIn(
                                        it.unitload,
                                        it.datamatrix,
                                        f"containers[{p}].containers[{k}].items[{i}]",
                                        it.sku,
                                        it.orderNr,
                                    )
                                    for i, it in enumerate(pack.items)
                                ),
                                f"containers[{p}].containers[{k}]",
                            )
                            for k, pack in enumerate(pallet.containers)
                        ),
                        f"containers[{p}]",
                    )
                    for p, pallet in enumerate(body.containers)
                ),
                external_id=body.id,
                source=body.source,
                destination=body.destination,
                ship_at=ship_at,
            ),
        )
        shipment, orders = await lamoda_shipping.get_shipment(db, seller, shipment.id)
        return json_response(shipment_out(shipment, orders), 201)

    async def list_shipments(request: Request, seller: Seller, _: None) -> Response:
        page, limit = page_params(request)
        shipments, total, orders = await lamoda_shipping.shipment_page(db, seller, page, limit)
        out = [shipment_out(s, orders) for s in shipments]
        pages = math.ceil(total / limit)
        return json_response(
            w.V1ShipmentList(
                page,
                limit,
                pages,
                total,
                hal_links(request, page, limit, pages),
                w.V1Shipments(out),
            )
        )

    async def create_supply(_: Request, seller: Seller, body: w.FulfilmentShipment) -> Response:
        if not formats.matches(formats.DMY_DATE, body.date):
            raise InvalidInput(
                "invalid_supply", f"date {body.date[:40]!r} is not a d.m.Y date", {"field": "date"}
            )
        supply_date = datetime.strptime(body.date, "%d.%m.%Y").date()
        supply = await lamoda_supplies.create_supply(
            db,
            seller,
            lamoda_supplies.SupplyIn(
                code=body.id,
                supply_date=supply_date,
                document_number=body.documentNumber,
                pallets=tuple(p.barcode for p in body.pallets),
                items=tuple(
                    lamoda_supplies.SupplyItemIn(
                        i.sku,
                        i.quantity,
                        round(i.price * 100),
                        i.ean,
                        tuple(i.datamatrixes) if i.datamatrixes is not None else None,
                    )
                    for i in body.items
                ),
            ),
        )
        return json_response(supply_out(supply), 201)

    async def get_supply(request: Request, seller: Seller, _: None) -> Response:
        supply = await lamoda_supplies.get_supply(db, seller, request.path_params["code"])
        return json_response(supply_out(supply))

    async def list_nomenclatures(request: Request, seller: Seller, _: None) -> Response:
        page, limit = page_params(request)
        items, total = await lamoda_catalog.page(db, seller, page, limit)
        pages = math.ceil(total / limit)
        return json_response(
            w.V1NomenclatureList(
                page,
                limit,
                pages,
                total,
                hal_links(request, page, limit, pages),
                w.V1Nomenclatures([nomenclature_out(n, seller) for n in items]),
            )
        )

    async def create_nomenclature(_: Request, seller: Seller, body: w.NomenclatureIn) -> Response:
        created = await lamoda_catalog.create(
            db,
            seller,
            [
                lamoda_catalog.NomenclatureIn(
                    body.sku,
                    body.barcode,
                    body.name,
                    body.brand,
                    body.size,
                    body.color,
                    body.category,
                    body.parentSku,
                    round(body.price * 100),
                    body.markingRequired,
                )
            ],
        )
        return json_response(nomenclature_out(created[0], seller), 201)

    async def stock(request: Request, seller: Seller, _: None) -> Response:
        page, limit = page_params(request)
        with_zero = flag_param(request, "withZeroQuantity")
        items, total = await lamoda_catalog.page(db, seller, page, limit, with_zero_stock=with_zero)
        pages = math.ceil(total / limit)
        return json_response(
            w.V1StockList(
                page,
                limit,
                pages,
                total,
                hal_links(request, page, limit, pages),
                w.StockStates([w.StockState(n.external_sku, n.sku, n.fbo_stock) for n in items]),
            )
        )

    async def track_order(request: Request, _: None, __: None) -> Response:
        return json_response(
            tracking_out(await lamoda_catalog.track_order(db, request.path_params["trackingId"]))
        )

    async def track_pack(request: Request, _: None, __: None) -> Response:
        return json_response(
            tracking_out(await lamoda_catalog.track_pack(db, request.path_params["barcode"]))
        )

    def ep(method: str, path: str, summary: str, run: Any, **kw: Any) -> Endpoint:
        return lamoda_endpoint(
            db, "v1", method, PREFIX + path, summary, run, limiter=limiter, faults=faults, **kw
        )

    paging = PAGING
    order_id = [("id", str)]
    # Orders the seller creates and the reference lists build on this module's helpers, so they are
    # imported here rather than at the top (they import this module).
    from marketbox.dialects.lamoda import v1_order_routes, v1_reference_routes

    return [
        ep(
            "GET",
            "/orders",
            "List orders (HAL: `_embedded.orders`, `pages`, `_links`)",
            list_orders,
            response=w.V1OrderList,
            query=[
                *paging,
                ("sort", Sort, False, "createdAt | -createdAt | updatedAt | -updatedAt | id (default)"),
                (
                    "filter",
                    Annotated[str, Meta(extra_json_schema={"pattern": FILTER_PATTERN})],
                    False,
                    "conditions joined by `;`: `updatedAt>=20261101000000` (Moscow time), "
                    "`createdAt=<FROM,TO>`, `status=Confirmed|New`",
                ),
            ],
        ),
        ep(
            "GET",
            "/orders/{id}",
            "Order detail by number (or id), with `_embedded.packNumbers`",
            get_order,
            response=w.V1Order,
            path_params=order_id,
        ),
        ep(
            "POST",
            "/orders/{id}/events",
            "Confirm (`confirm`) or cancel (`cancel`) an FBS order",
            order_event,
            body=w.OrderEvent,
            response=w.V1Order,
            path_params=order_id,
            description="A new order can be confirmed; an order can be cancelled until it is shipped. "
            "Anything else answers 409 with the order's status.",
        ),
        ep(
            "GET",
            "/orders/{id}/statuses",
            "Order status history",
            order_statuses,
            response=w.V1StatusHistory,
            path_params=order_id,
        ),
        ep(
            "POST",
            "/shipments/out",
            "Create an FBS outbound shipment: pallets → packs → items (one `datamatrix` per marked item)",
            create_shipment,
            body=w.ShipmentOut,
            response=w.V1Shipment,
            status=201,
        ),
        ep(
            "GET", "/shipments", "List FBS shipments", list_shipments, response=w.V1ShipmentList, query=paging
        ),
        ep(
            "POST",
            "/shipments/fulfilment",
            "Create an FBO supply (items carry `datamatrixes`, one code per unit for marked goods)",
            create_supply,
            body=w.FulfilmentShipment,
            response=w.V1Supply,
            status=201,
        ),
        ep(
            "GET",
            "/shipments/fulfilment/{code}",
            "FBO supply status with per-item receipt, accepted, surplus, missing, damaged",
            get_supply,
            response=w.V1Supply,
            path_params=[("code", str)],
        ),
        ep(
            "GET",
            "/nomenclatures",
            "List the seller's nomenclature",
            list_nomenclatures,
            response=w.V1NomenclatureList,
            query=paging,
        ),
        ep(
            "POST",
            "/nomenclatures",
            "Create a nomenclature (SKU)",
            create_nomenclature,
            body=w.NomenclatureIn,
            response=w.V1Nomenclature,
            status=201,
        ),
        ep(
            "GET",
            "/stock/goods",
            "FBO warehouse stock per SKU",
            stock,
            response=w.V1StockList,
            query=[
                *paging,
                ("withZeroQuantity", FlagParam, False, "1 (or true) to include SKUs with no stock"),
            ],
        ),
        ep(
            "GET",
            "/ordersTracking/{trackingId}",
            "Public order tracking (no token)",
            track_order,
            response=w.Tracking,
            path_params=[("trackingId", str)],
            public=True,
        ),
        ep(
            "GET",
            "/packsTracking/{barcode}",
            "Public tracking by pack barcode (no token)",
            track_pack,
            response=w.Tracking,
            path_params=[("barcode", str)],
            public=True,
        ),
        *v1_order_routes.endpoints(db, limiter, faults),
        *v1_reference_routes.endpoints(db, limiter, faults),
    ]


def _hidden_return(status: str, seller: Seller) -> bool:
    return seller.clock.now() >= RETURNS_MOVED_TO_V2 and status in RETURN_STATUSES
