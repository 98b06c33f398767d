"""B2B v1 orders the seller creates (Lamoda's partner-order flow): create, add an item, change
delivery details, read and change the customer."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects.lamoda import v1_order_schemas as w
from marketbox.dialects.lamoda import v1_schemas
from marketbox.dialects.lamoda.endpoints import lamoda_endpoint
from marketbox.dialects.lamoda.v1_routes import PREFIX, order_out
from marketbox.domain.errors import InvalidInput
from marketbox.domain.lamoda_orders import Order
from marketbox.domain.lamoda_partner_orders import Address, Customer
from marketbox.domain.sellers import Seller
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.services import lamoda_partner_orders as partner
from marketbox.services.faults import FaultInjector
from marketbox.store.database import Database


def _text(value: str | int | None) -> str | None:
    """A value sent as a string or a number, kept as sent; an empty string is the same as absent."""
    if value is None:
        return None
    return str(value) or None


def _kopecks(roubles: float) -> int:
    return round(roubles * 100)


def customer_in(body: w.V1CustomerIn | w.V1NewCustomerIn) -> Customer:
    a = body.address or w.V1AddressIn()
    return Customer(
        first_name=_text(body.firstName),
        last_name=_text(body.lastName),
        middle_name=_text(body.middleName),
        phone=_text(body.phone),
        email=_text(body.email),
        address=Address(
            _text(a.zipcode),
            _text(a.region),
            _text(a.city),
            _text(a.street),
            _text(a.houseNum),
            _text(a.apartment),
        ),
    )


def item_in(item: w.V1OrderItemIn, where: str) -> partner.PartnerItem:
    price = _kopecks(item.price)
    if item.paidPrice is not None:
        paid = _kopecks(item.paidPrice)
    else:
        paid = price - _kopecks(item.totalDiscount or 0)
        if paid < 0:
            raise InvalidInput(
                "invalid_price",
                f"{where}totalDiscount: the discount exceeds the price",
                {"field": f"{where}totalDiscount"},
            )
    return partner.PartnerItem(
        sku=str(item.sku),
        price=price,
        paid_price=paid,
        name=_text(item.description),
        brand=_text(item.brand),
        category=_text(item.category),
        size=_text(item.size),
        color=_text(item.colorCode),
        marking_required=item.markingRequired,
    )


def details_in(body: w.V1OrderIn | w.V1OrderPatch) -> partner.DetailsIn:
    options = None
    if body.options is not None:
        options = tuple(
            (
                o.key,
                ""
                if o.value is None
                else str(o.value).lower()
                if isinstance(o.value, bool)
                else str(o.value),
            )
            for o in body.options
        )
    return partner.DetailsIn(
        delivery_date=body.deliveryDate,
        interval_from=_text(body.deliveryIntervalFrom),
        interval_to=_text(body.deliveryIntervalTo),
        shipping_method_code=_text(body.shippingMethodCode),
        shipping_method_name=_text(body.shippingMethodName),
        payment_method=_text(body.paymentMethod),
        payment_date=_text(body.paymentDate),
        comment=body.comment,
        source=_text(body.source),
        delivery_price=None if body.deliveryPrice is None else _kopecks(body.deliveryPrice),
        options=options,
    )


def customer_out(order: Order, customer: Customer) -> w.V1Customer:
    a = customer.address
    return w.V1Customer(
        orderNr=order.order_nr,
        firstName=customer.first_name,
        lastName=customer.last_name,
        middleName=customer.middle_name,
        phone=customer.phone,
        email=customer.email,
        address=w.V1AddressOut(a.zipcode, a.region, a.city, a.street, a.house_num, a.apartment),
    )


def endpoints(
    db: Database, limiter: RateLimiter | None = None, faults: FaultInjector | None = None
) -> list[Endpoint]:
    async def create_order(_: Request, seller: Seller, body: w.V1OrderIn) -> Response:
        order = await partner.create_order(
            db,
            seller,
            partner.PartnerOrderIn(
                order_nr=str(body.orderNr),
                customer=customer_in(body.customerInfo),
                items=tuple(item_in(item, f"items[{i}].") for i, item in enumerate(body.items)),
                details=details_in(body),
            ),
        )
        return json_response(order_out(order, seller, detail=True), 201)

    async def add_item(request: Request, seller: Seller, body: w.V1OrderItemIn) -> Response:
        order = await partner.add_item(db, seller, request.path_params["id"], item_in(body, ""))
        return json_response(order_out(order, seller, detail=True), 201)

    async def update_order(request: Request, seller: Seller, body: w.V1OrderPatch) -> Response:
        customer = customer_in(body.customerInfo) if body.customerInfo is not None else None
        order = await partner.update_order(db, seller, request.path_params["id"], details_in(body), customer)
        return json_response(order_out(order, seller, detail=True))

    async def get_customer(request: Request, seller: Seller, _: None) -> Response:
        order, customer = await partner.get_customer(db, seller, request.path_params["id"])
        return json_response(customer_out(order, customer))

    async def update_customer(request: Request, seller: Seller, body: w.V1CustomerIn) -> Response:
        order, customer = await partner.update_customer(
            db, seller, request.path_params["id"], customer_in(body)
        )
        return json_response(customer_out(order, customer))

    def ep(method: str, path: str, summary: str, run: Any, **kw: Any) -> Endpoint:
        return lamoda_endpoint(
            db, "v1", method, PREFIX + path, summary, run, limiter=limiter, faults=faults, **kw
        )

    order_id = [("id", str)]
    changeable = (
        "Only orders created through `POST /api/v1/orders`, and only before they are shipped (otherwise 409)."
    )
    return [
        ep(
            "POST",
            "/orders",
            "Create an order (Lamoda's partner-order flow): customer, items (one per unit), delivery",
            create_order,
            body=w.V1OrderIn,
            response=v1_schemas.V1Order,
            status=201,
            description="The order is numbered `<partner code><orderNr>` (the partner code is the seller "
            "id) and from then on is an FBS order like any other, status New: confirm it, assemble, pack "
            "and ship it. SKUs not in the nomenclature join it with the details sent. A number already "
            "used is a 409.",
        ),
        ep(
            "POST",
            "/orders/{id}/items",
            "Add an item (one unit) to an order you created: `{partnerCode}{orderNr}`, the number or the id",
            add_item,
            body=w.V1OrderItemIn,
            response=v1_schemas.V1Order,
            status=201,
            path_params=order_id,
            description="While the order is New (before it is confirmed). " + changeable,
        ),
        ep(
            "PATCH",
            "/orders/{id}",
            "Change an order you created: delivery date and interval, shipping, payment, options, customer",
            update_order,
            body=w.V1OrderPatch,
            response=v1_schemas.V1Order,
            path_params=order_id,
            description="Absent or null fields stay as they are. " + changeable,
        ),
        ep(
            "GET",
            "/orders/{id}/customer",
            "The order's customer: name, phone, e-mail, address",
            get_customer,
            response=w.V1Customer,
            path_params=order_id,
        ),
        ep(
            "POST",
            "/orders/{id}/customer",
            "Change the order's customer (the fields sent replace the stored ones)",
            update_customer,
            body=w.V1CustomerIn,
            response=w.V1Customer,
            path_params=order_id,
            description=changeable,
        ),
    ]
