"""Lamoda REST API v2: orders, assembly, packs, labels, FBS shipments, returns, catalogue, FBO."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects.lamoda import v2_schemas as w
from marketbox.dialects.lamoda.endpoints import (
    DateParam,
    DateTimeParam,
    PathIntParam,
    choice_param,
    date_param,
    datetime_param,
    int_param,
    lamoda_endpoint,
    parse_datetime,
    path_int,
    query_value,
    v2_time,
)
from marketbox.documents import document_url
from marketbox.domain.errors import InvalidInput
from marketbox.domain.lamoda_orders import FulfillmentType, ItemStatus, Order, v2_status
from marketbox.domain.lamoda_returns import ReturnItem
from marketbox.domain.lamoda_shipments import Shipment
from marketbox.domain.sellers import Seller
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.services import lamoda_catalog, lamoda_orders, lamoda_returns, lamoda_shipping, lamoda_supplies
from marketbox.services.faults import FaultInjector
from marketbox.store.database import Database
from marketbox.store.lamoda_orders import OrderQuery
from marketbox.store.lamoda_returns import ReturnQuery

PREFIX = "/api/v2"
MAX_LIMIT = 100
MAX_NOMENCLATURE_LIMIT = 25
MAX_PAGE = 10**6
FULFILLMENT_TYPES = tuple(t.value for t in FulfillmentType)
FulfillmentTypeParam = Literal[FULFILLMENT_TYPES]  # type: ignore[valid-type]
COUNTRIES = ("RU", "BY", "KZ")
Country = Literal["RU", "BY", "KZ"]
NO_META = w.NoMeta()


def _money(kopecks: int) -> w.Money:
    return w.Money(kopecks, "RUB")


def _meta(page: int, limit: int, total: int) -> w.PageMeta:
    return w.PageMeta(page, limit, total, math.ceil(total / limit))


def _paging(request: Request, max_limit: int = MAX_LIMIT) -> tuple[int, int]:
    return int_param(request, "page", 1, MAX_PAGE, 1), int_param(request, "limit", 1, max_limit, 20)


def order_out(order: Order) -> w.V2Order:
    cut_off = v2_time(order.cut_off)
    active = order.active_items
    return w.V2Order(
        id=str(order.id),
        orderId=order.order_nr,
        orderNr=order.order_nr,
        sellerId=order.seller_id,
        status=v2_status(order.status),
        fulfillmentType=order.fulfillment_type.value,
        createdAt=v2_time(order.created_at) or "",
        updatedAt=v2_time(order.updated_at) or "",
        cutOff=cut_off,
        deliveryMethod=w.DeliveryMethod(
            str(order.details.get("shippingMethodCode", "")),
            str(order.details.get("shippingMethodName", "")),
            cut_off,
        ),
        allowedForAssembly=order.fulfillment_type == FulfillmentType.FBS
        and bool(active)
        and all(i.status in (ItemStatus.NEW, ItemStatus.CONFIRMED) for i in active),
        totalPrice=_money(sum(i.paid_price for i in active)),
        city=str(order.details.get("city", "")),
        items=[
            w.V2OrderItem(
                id=i.id,
                itemId=i.id,
                sku=i.sku,
                externalSku=i.external_sku,
                name=i.name,
                brand=i.brand,
                size=i.size,
                color=i.color,
                status=v2_status(i.status),
                statusReason=i.status_reason,
                price=_money(i.paid_price),
                packNumber=order.pack_number_of(i),
                shipmentId=i.shipment_id,
            )
            for i in order.items
        ],
        packs=[w.PackRef(p) for p in order.pack_numbers],
    )


def shipment_out(shipment: Shipment, orders: dict[int, Order]) -> w.V2Shipment:
    def order_nr(item_ids: tuple[int, ...]) -> str:
        order = orders.get(item_ids[0]) if item_ids else None
        return order.order_nr if order else ""

    return w.V2Shipment(
        id=shipment.id,
        shipmentId=shipment.id,
        status=shipment.status.value,
        createdAt=v2_time(shipment.created_at) or "",
        shipAt=v2_time(shipment.ship_at),
        pallets=[
            w.ShipmentPalletOut(
                p.barcode,
                [
                    w.ShipmentPackOut(k.barcode, order_nr(k.item_ids), [w.UnitRef(i) for i in k.item_ids])
                    for k in p.packs
                ],
            )
            for p in shipment.pallets
        ],
    )


def return_out(item: ReturnItem, order: Order | None) -> w.ReturnItemOut:
    ordered = order.item(item.order_item_id) if order else None
    return w.ReturnItemOut(
        id=item.id,
        returnItemId=item.id,
        orderItemId=item.order_item_id,
        itemId=item.order_item_id,
        orderId=order.order_nr if order else "",
        sku=ordered.sku if ordered else "",
        externalSku=ordered.external_sku if ordered else "",
        itemName=ordered.name if ordered else "",
        dimensionSymbol=ordered.size if ordered else "",
        returnType=item.return_type,
        status=item.status.value,
        reason=item.reason,
        returnDate=v2_time(item.return_date) or "",
        boxId=item.box_id,
        createdAt=v2_time(item.created_at) or "",
        updatedAt=v2_time(item.updated_at) or "",
    )


def endpoints(
    db: Database, limiter: RateLimiter | None = None, faults: FaultInjector | None = None
) -> list[Endpoint]:
    async def returns_out(seller: Seller, items: list[ReturnItem]) -> list[w.ReturnItemOut]:
        orders = await lamoda_orders.orders_by_id(db, seller, {i.order_id for i in items})
        return [return_out(i, orders.get(i.order_id)) for i in items]

    async def list_orders(request: Request, seller: Seller, _: None) -> Response:
        page, limit = _paging(request)
        raw_type = choice_param(request, "fulfillmentType", FULFILLMENT_TYPES)
        query = OrderQuery(
            seller.id,
            updated_from=datetime_param(request, "updatedAtFrom"),
            updated_to=datetime_param(request, "updatedAtTo"),
            fulfillment_type=FulfillmentType(raw_type) if raw_type else None,
            page=page,
            limit=limit,
        )
        orders, total = await lamoda_orders.list_orders(db, query)
        return json_response(w.V2OrderPage([order_out(o) for o in orders], _meta(page, limit, total)))

    async def get_order(request: Request, seller: Seller, _: None) -> Response:
        order = await lamoda_orders.get_order(db, seller, request.path_params["id"])
        return json_response(w.V2OrderOne(order_out(order), NO_META))

    async def item_statuses(request: Request, seller: Seller, _: None) -> Response:
        order = await lamoda_orders.get_order(db, seller, request.path_params["id"])
        lines = []
        for event in order.history:
            item = order.item(event.item_id) if event.item_id is not None else None
            if item is not None:
                lines.append(
                    w.ItemStatusLine(
                        item.id,
                        item.sku,
                        item.external_sku,
                        v2_status(event.status),
                        event.reason,
                        v2_time(event.at) or "",
                    )
                )
        return json_response(w.V2ItemStatuses(lines, NO_META))

    async def status_history(request: Request, seller: Seller, _: None) -> Response:
        order = await lamoda_orders.get_order(db, seller, request.path_params["id"])
        lines = [
            w.StatusLine(v2_status(e.status), v2_time(e.at) or "") for e in order.history if e.item_id is None
        ]
        return json_response(w.V2StatusHistory(lines, NO_META))

    async def assembly(request: Request, seller: Seller, body: w.AssemblyIn) -> Response:
        order = await lamoda_orders.assemble(
            db, seller, request.path_params["id"], [p.itemIds for p in body.packs]
        )
        return json_response(w.V2OrderOne(order_out(order), NO_META))

    async def packs(request: Request, seller: Seller, body: w.PacksIn) -> Response:
        order = await lamoda_orders.generate_packs(db, seller, request.path_params["id"], body.count)
        return json_response(w.V2Packs(w.PacksOut([w.PackRef(p) for p in order.pack_numbers]), NO_META))

    def url(request: Request, token: str) -> str:
        return document_url(request, token)

    async def item_labels(request: Request, seller: Seller, body: w.ItemLabelsIn) -> Response:
        token, excluded = await lamoda_shipping.item_labels(db, seller, body.items, body.labelFormat)
        return json_response(w.V2ItemLabels(w.ItemLabels(url(request, token), excluded), NO_META))

    async def pack_labels(request: Request, seller: Seller, body: w.PackLabelsIn) -> Response:
        token, excluded = await lamoda_shipping.container_labels(
            db, seller, body.packs, body.labelFormat, "pack"
        )
        return json_response(w.V2PackLabels(w.PackLabels(url(request, token), excluded), NO_META))

    async def pallet_labels(request: Request, seller: Seller, body: w.PalletLabelsIn) -> Response:
        token, excluded = await lamoda_shipping.container_labels(
            db, seller, body.palletBarcodes, body.labelFormat, "pallet"
        )
        return json_response(w.V2PalletLabels(w.PalletLabels(url(request, token), excluded), NO_META))

    async def create_shipment(_: Request, seller: Seller, body: w.ShipmentIn) -> Response:
        shipment = await lamoda_shipping.create_shipment(
            db,
            seller,
            lamoda_shipping.ShipmentIn(
                pallets=tuple(
                    lamoda_shipping.PalletIn(
                        pallet.palletBarcode,
                        tuple(
                            lamoda_shipping.PackIn(
                                pack.packId,
                                tuple(
                                    lamoda_shipping.ItemIn(
                                        it.unitload, it.datamatrix, f"pallets[{p}].packs[{k}].items[{i}]"
                                    )
                                    for i, it in enumerate(pack.items)
                                ),
                                f"pallets[{p}].packs[{k}]",
                                "packId",
                            )
                            for k, pack in enumerate(pallet.packs)
                        ),
                        f"pallets[{p}]",
                        "palletBarcode",
                    )
                    for p, pallet in enumerate(body.pallets)
                ),
                ship_at=parse_datetime(body.shipAt, "shipAt") if body.shipAt is not None else None,
            ),
        )
        shipment, orders = await lamoda_shipping.get_shipment(db, seller, shipment.id)
        return json_response(w.V2ShipmentOne(shipment_out(shipment, orders), NO_META), 201)

    async def list_shipments(request: Request, seller: Seller, _: None) -> Response:
        page, limit = _paging(request)
        shipments, total, orders = await lamoda_shipping.shipment_page(db, seller, page, limit)
        out = [shipment_out(s, orders) for s in shipments]
        return json_response(w.V2ShipmentPage(out, _meta(page, limit, total)))

    async def get_shipment(request: Request, seller: Seller, _: None) -> Response:
        shipment, orders = await lamoda_shipping.get_shipment(db, seller, path_int(request, "id"))
        return json_response(w.V2ShipmentOne(shipment_out(shipment, orders), NO_META))

    async def shipment_items(request: Request, seller: Seller, _: None) -> Response:
        shipment, orders = await lamoda_shipping.get_shipment(db, seller, path_int(request, "id"))
        lines = []
        for pallet in shipment.pallets:
            for pack in pallet.packs:
                for item_id in pack.item_ids:
                    order = orders.get(item_id)
                    item = order.item(item_id) if order else None
                    lines.append(
                        w.ShipmentItemOut(
                            item_id,
                            item_id,
                            order.order_nr if order else "",
                            item.sku if item else "",
                            item.external_sku if item else "",
                            pack.barcode,
                            pallet.barcode,
                        )
                    )
        return json_response(w.V2ShipmentItems(lines, NO_META))

    async def container(request: Request, seller: Seller, _: None) -> Response:
        found, orders = await lamoda_shipping.resolve_container(db, seller, request.path_params["barcode"])
        packs = []
        for order in orders:
            for number in order.pack_numbers:
                if found.kind == "pack" and number != found.barcode:
                    continue
                items = [i for i in order.active_items if order.pack_number_of(i) == number]
                if found.kind == "pallet" and not any(i.shipment_id == found.shipment_id for i in items):
                    continue
                packs.append(
                    w.ContainerPack(
                        number, order.order_nr, [w.ContainerItem(i.id, i.sku, i.external_sku) for i in items]
                    )
                )
        return json_response(
            w.V2Container(w.Container(found.barcode, found.kind, found.shipment_id, packs), NO_META)
        )

    async def return_items(request: Request, seller: Seller, _: None) -> Response:
        page, limit = _paging(request)
        order_key = query_value(request, "orderId")
        order_id = None
        if order_key:
            order_id = (await lamoda_orders.get_order(db, seller, order_key)).id
        query = ReturnQuery(
            seller.id,
            updated_from=datetime_param(request, "updatedAtFrom"),
            order_id=order_id,
            return_from=datetime_param(request, "returnDateFrom"),
            return_to=datetime_param(request, "returnDateTo"),
            page=page,
            limit=limit,
        )
        items, total = await lamoda_returns.return_page(db, query)
        return json_response(w.V2ReturnPage(await returns_out(seller, items), _meta(page, limit, total)))

    async def return_history(request: Request, seller: Seller, _: None) -> Response:
        item = await lamoda_returns.get_return(db, seller, path_int(request, "id"))
        lines = [w.StatusLine(status, v2_time(at) or "") for at, status in item.history]
        return json_response(w.V2ReturnHistory(lines, NO_META))

    async def return_boxes(request: Request, seller: Seller, _: None) -> Response:
        page, limit = _paging(request)
        boxes, total, counts = await lamoda_returns.box_page(db, seller, page, limit)
        out = [
            w.ReturnBoxOut(
                b.id,
                b.barcode,
                b.status.value,
                counts.get(b.id, 0),
                v2_time(b.created_at) or "",
                v2_time(b.updated_at) or "",
            )
            for b in boxes
        ]
        return json_response(w.V2BoxPage(out, _meta(page, limit, total)))

    async def box_detail(seller: Seller, box: Any, items: list[ReturnItem]) -> Response:
        return json_response(
            w.V2BoxOne(
                w.ReturnBoxDetail(
                    box.id,
                    box.barcode,
                    box.status.value,
                    len(items),
                    v2_time(box.created_at) or "",
                    v2_time(box.updated_at) or "",
                    await returns_out(seller, items),
                ),
                NO_META,
            )
        )

    async def return_box(request: Request, seller: Seller, _: None) -> Response:
        box, items = await lamoda_returns.get_box(db, seller, path_int(request, "id"))
        return await box_detail(seller, box, items)

    async def confirm_box(request: Request, seller: Seller, _: w.SellerOnly) -> Response:
        box, items = await lamoda_returns.confirm_box(db, seller, path_int(request, "id"))
        return await box_detail(seller, box, items)

    async def nomenclatures(request: Request, seller: Seller, _: None) -> Response:
        if query_value(request, "country") not in COUNTRIES:
            raise InvalidInput("invalid_parameter", "country is required: RU, BY or KZ", {"field": "country"})
        page, limit = _paging(request, MAX_NOMENCLATURE_LIMIT)
        items, total = await lamoda_catalog.page(db, seller, page, limit)
        out = [
            w.V2Nomenclature(
                sku=n.sku,
                parentSku=n.parent_sku,
                barcode=n.barcode,
                externalSku=n.external_sku,
                externalParentSku=n.external_sku,
                externalSize=n.size,
                name=n.name,
                brand=n.brand,
                color=n.color,
                markingRequired=n.marking_required,
                categoryLevels=[
                    w.CategoryLevel("RU", 1, 1, "Одежда"),
                    w.CategoryLevel("RU", 2, 2, n.category),
                ],
            )
            for n in items
        ]
        return json_response(w.V2NomenclaturePage(out, _meta(page, limit, total)))

    async def stocks_summary(_: Request, seller: Seller, __: None) -> Response:
        skus, in_stock, units = await lamoda_catalog.stock_summary(db, seller)
        return json_response(
            w.V2StockSummary(w.StockSummaryData(w.StockSummary(skus, in_stock, units)), NO_META)
        )

    async def fbo_shipments(request: Request, seller: Seller, _: None) -> Response:
        page, limit = _paging(request)
        supplies, total = await lamoda_supplies.supply_page(
            db, seller, page, limit, date_param(request, "from"), date_param(request, "to")
        )
        out = [
            w.FboShipment(
                s.id,
                s.code,
                s.status.value,
                s.supply_date.isoformat(),
                s.document_number,
                v2_time(s.created_at) or "",
                v2_time(s.updated_at) or "",
                [
                    w.FboItem(
                        i.sku,
                        i.ean,
                        i.quantity,
                        _money(i.price),
                        i.receipt,
                        i.accepted,
                        i.surplus,
                        i.missing,
                        i.damaged,
                    )
                    for i in s.items
                ],
            )
            for s in supplies
        ]
        return json_response(w.V2FboPage(out, _meta(page, limit, total)))

    def ep(method: str, path: str, summary: str, run: Any, **kw: Any) -> Endpoint:
        return lamoda_endpoint(
            db, "v2", method, PREFIX + path, summary, run, limiter=limiter, faults=faults, **kw
        )

    paging = [
        ("page", Annotated[int, Meta(ge=1, le=MAX_PAGE)], False, "from 1"),
        ("limit", Annotated[int, Meta(ge=1, le=MAX_LIMIT)], False, f"1..{MAX_LIMIT}, default 20"),
    ]
    order_id = [("id", str)]
    numeric_id = [("id", PathIntParam)]
    return [
        ep(
            "GET",
            "/orders",
            "List orders",
            list_orders,
            response=w.V2OrderPage,
            query=[
                ("fulfillmentType", FulfillmentTypeParam, False, "FBS or FBO"),
                ("updatedAtFrom", DateTimeParam, False, "ISO 8601, e.g. 2026-11-23T00:00:00Z"),
                ("updatedAtTo", DateTimeParam, False, "ISO 8601"),
                *paging,
            ],
        ),
        ep(
            "GET",
            "/orders/{id}",
            "Order detail (`cutOff` null: ship in the nearest scheduled shipment)",
            get_order,
            response=w.V2OrderOne,
            path_params=order_id,
        ),
        ep(
            "GET",
            "/orders/{id}/item-statuses",
            "Item status history",
            item_statuses,
            response=w.V2ItemStatuses,
            path_params=order_id,
        ),
        ep(
            "GET",
            "/orders/{id}/status-history",
            "Order status history",
            status_history,
            response=w.V2StatusHistory,
            path_params=order_id,
        ),
        ep(
            "POST",
            "/orders/{id}/assembly",
            "Assemble the order's items into packs",
            assembly,
            body=w.AssemblyIn,
            response=w.V2OrderOne,
            path_params=order_id,
        ),
        ep(
            "POST",
            "/orders/{id}/packs",
            "Generate the order's pack numbers (once)",
            packs,
            body=w.PacksIn,
            response=w.V2Packs,
            path_params=order_id,
        ),
        ep(
            "POST",
            "/labels/order-items",
            "Item labels (PDF; S 58×40, M 75×120, L 100×150 mm)",
            item_labels,
            body=w.ItemLabelsIn,
            response=w.V2ItemLabels,
        ),
        ep(
            "POST",
            "/labels/order-packs",
            "Pack labels (PDF)",
            pack_labels,
            body=w.PackLabelsIn,
            response=w.V2PackLabels,
        ),
        ep(
            "POST",
            "/labels/pallets",
            "Pallet labels (PDF)",
            pallet_labels,
            body=w.PalletLabelsIn,
            response=w.V2PalletLabels,
        ),
        ep(
            "POST",
            "/fbs/shipments",
            "Create an FBS shipment (pallets → packs → items, `datamatrix` per marked item)",
            create_shipment,
            body=w.ShipmentIn,
            response=w.V2ShipmentOne,
            status=201,
        ),
        ep(
            "GET",
            "/fbs/shipments",
            "List FBS shipments",
            list_shipments,
            response=w.V2ShipmentPage,
            query=paging,
        ),
        ep(
            "GET",
            "/fbs/shipments/{id}",
            "FBS shipment detail",
            get_shipment,
            response=w.V2ShipmentOne,
            path_params=numeric_id,
        ),
        ep(
            "GET",
            "/fbs/shipments/{id}/items",
            "Items of an FBS shipment",
            shipment_items,
            response=w.V2ShipmentItems,
            path_params=numeric_id,
        ),
        ep(
            "GET",
            "/fbs/order-containers/{barcode}",
            "Resolve a pack or pallet barcode",
            container,
            response=w.V2Container,
            path_params=[("barcode", str)],
        ),
        ep(
            "GET",
            "/fbs/return-items",
            "FBS return items",
            return_items,
            response=w.V2ReturnPage,
            query=[
                ("updatedAtFrom", DateTimeParam, False, "ISO 8601"),
                ("orderId", Annotated[str, Meta(min_length=1)], False, "order number or id"),
                ("returnDateFrom", DateTimeParam, False, "ISO 8601"),
                ("returnDateTo", DateTimeParam, False, "ISO 8601"),
                *paging,
            ],
        ),
        ep(
            "GET",
            "/fbs/return-items/{id}/status-history",
            "Status history of a return item",
            return_history,
            response=w.V2ReturnHistory,
            path_params=numeric_id,
        ),
        ep("GET", "/fbs/return-boxes", "FBS return boxes", return_boxes, response=w.V2BoxPage, query=paging),
        ep(
            "GET",
            "/fbs/return-boxes/{id}",
            "A return box with its items",
            return_box,
            response=w.V2BoxOne,
            path_params=numeric_id,
        ),
        ep(
            "POST",
            "/fbs/return-boxes/{id}/confirm",
            "Confirm receipt of a return box (подтверждение возврата)",
            confirm_box,
            body=w.SellerOnly,
            response=w.V2BoxOne,
            path_params=numeric_id,
        ),
        ep(
            "GET",
            "/nomenclatures",
            "Catalogue (at most 25 a page)",
            nomenclatures,
            response=w.V2NomenclaturePage,
            query=[
                ("country", Country, True, "RU, BY or KZ"),
                paging[0],
                (
                    "limit",
                    Annotated[int, Meta(ge=1, le=MAX_NOMENCLATURE_LIMIT)],
                    False,
                    f"1..{MAX_NOMENCLATURE_LIMIT}, default 20",
                ),
            ],
        ),
        ep("GET", "/stocks-summary", "FBO stock summary", stocks_summary, response=w.V2StockSummary),
        ep(
            "GET",
            "/fbo/shipments",
            "FBO supplies",
            fbo_shipments,
            response=w.V2FboPage,
            query=[
                ("from", DateParam, False, "supply date from (YYYY-MM-DD)"),
                ("to", DateParam, False, "supply date to (YYYY-MM-DD)"),
                *paging,
            ],
        ),
    ]
