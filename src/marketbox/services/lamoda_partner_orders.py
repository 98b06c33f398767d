"""Orders the seller creates through B2B v1, items added to them, their details and customer changed.

Each write is one transaction under the tenant's lock; a created order or an added item notifies
like a buyer's order does (`statusChanged` to New; `itemStatusChanged` for the added item).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import Conflict, InvalidInput
from marketbox.domain.lamoda_orders import FulfillmentType, ItemStatus, Order, StatusEvent, order_status
from marketbox.domain.lamoda_partner_orders import (
    DEFAULT_SHIPPING_METHOD,
    PARTNER_ORIGIN,
    SHIPPING_METHOD_NAMES,
    Customer,
    check_changeable,
    check_items_addable,
    checked_customer,
    customer_of,
    delivery_date,
    interval,
    partner_order_nr,
)
from marketbox.domain.notifications import order_events, order_placed_event
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import calculated_cut_off
from marketbox.services import lamoda_orders, notifications
from marketbox.services.lamoda_orders import MAX_ITEMS_PER_ORDER, BuyerItem, made_up_nomenclature, owned
from marketbox.store import lamoda_catalog as catalog
from marketbox.store import lamoda_orders as store
from marketbox.store.database import Database


@dataclass(frozen=True)
class PartnerItem:
    """One unit the seller sells (Lamoda's order DTO has no quantity: one entry per unit)."""

    sku: str  # the seller's SKU; unknown SKUs join the nomenclature with the details given
    price: int  # kopecks
    paid_price: int
    name: str | None = None
    brand: str | None = None
    category: str | None = None
    size: str | None = None
    color: str | None = None
    marking_required: bool | None = None


@dataclass(frozen=True)
class DetailsIn:
    """Delivery and payment wishes; None leaves a value as it is (or at its default on a new order)."""

    delivery_date: date | None = None
    interval_from: str | None = None
    interval_to: str | None = None
    shipping_method_code: str | None = None
    shipping_method_name: str | None = None
    payment_method: str | None = None
    payment_date: str | None = None
    comment: str | None = None
    source: str | None = None
    delivery_price: int | None = None  # kopecks
    options: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class PartnerOrderIn:
    order_nr: str
    customer: Customer
    items: tuple[PartnerItem, ...]
    details: DetailsIn = DetailsIn()


def _check_prices(items: Sequence[PartnerItem], field: str) -> None:
    for i, item in enumerate(items):
        if item.paid_price > item.price:
            where = field.format(i=i)
            raise InvalidInput(
                "invalid_price",
                f"{where}paidPrice: the paid price ({item.paid_price / 100:.2f}) exceeds the price "
                f"({item.price / 100:.2f})",
                {"field": f"{where}paidPrice"},
            )


def _with_details(details: dict[str, Any], change: DetailsIn, now: datetime) -> dict[str, Any]:
    out = dict(details)
    if change.delivery_date is not None:
        out["deliveryDate"] = delivery_date(change.delivery_date, "deliveryDate", now).isoformat()
    if change.interval_from is not None or change.interval_to is not None:
        window = interval(
            change.interval_from or _str_or_none(out.get("deliveryIntervalFrom")),
            change.interval_to or _str_or_none(out.get("deliveryIntervalTo")),
        )
        assert window is not None
        out["deliveryIntervalFrom"], out["deliveryIntervalTo"] = window
        out["hasIntervals"] = True
    if change.shipping_method_code is not None:
        code = change.shipping_method_code
        out["shippingMethodCode"] = code
        out["shippingMethodName"] = change.shipping_method_name or SHIPPING_METHOD_NAMES.get(code, code)
    elif change.shipping_method_name is not None:
        out["shippingMethodName"] = change.shipping_method_name
    if change.payment_method is not None:
        out["paymentMethod"] = change.payment_method
    if change.payment_date is not None:
        out["paymentDate"] = change.payment_date
    if change.comment is not None:
        out["comment"] = change.comment
    if change.source is not None:
        out["source"] = change.source
    if change.delivery_price is not None:
        out["deliveryPrice"] = change.delivery_price
    if change.options is not None:
        out["options"] = [{"key": k, "value": v} for k, v in change.options]
    return out


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _with_customer(details: dict[str, Any], customer: Customer) -> dict[str, Any]:
    return {
        **details,
        "customerInfo": customer.to_json(),
        "customer": customer.full_name,
        "city": customer.address.city or str(details.get("city") or ""),
    }


async def _order_items(
    conn: AsyncConnection, seller_id: int, items: Sequence[PartnerItem], now: datetime
) -> list[store.NewItem]:
    """Order items for the units sent; SKUs new to the nomenclature join it with the details given."""
    known = await catalog.get_many(conn, seller_id, [i.sku for i in items])
    new: dict[str, catalog.Nomenclature] = {}
    for item in items:
        if item.sku in known or item.sku in new:
            continue
        made = made_up_nomenclature(
            seller_id, BuyerItem(item.sku, price=item.price, marking_required=item.marking_required), now
        )
        new[item.sku] = replace(
            made,
            name=item.name or made.name,
            brand=item.brand or made.brand,
            category=item.category or made.category,
            size=item.size or made.size,
            color=item.color or made.color,
        )
    await catalog.insert_many(conn, new.values())
    goods = {**known, **new}
    return [
        store.NewItem(
            sku=(n := goods[item.sku]).sku,
            external_sku=n.external_sku,
            name=item.name or n.name,
            brand=item.brand or n.brand,
            size=item.size or n.size,
            color=item.color or n.color,
            price=item.price,
            paid_price=item.paid_price,
            marking_required=n.marking_required if item.marking_required is None else item.marking_required,
        )
        for item in items
    ]


async def create_order(db: Database, seller: Seller, order: PartnerOrderIn) -> Order:
    """A new FBS order, status New, due at the next cut-off, notified as a buyer's order is."""
    _check_prices(order.items, "items[{i}].")
    customer = checked_customer(order.customer, "customerInfo.", new=True)
    number = partner_order_nr(seller.id, order.order_nr)
    async with db.tenant_write(seller.id) as conn:
        now = seller.clock.now()
        if await store.order_nr_taken(conn, number):
            raise Conflict(
                "order_exists", f"order {order.order_nr} already exists (as {number})", {"field": "orderNr"}
            )
        details: dict[str, Any] = {
            "origin": PARTNER_ORIGIN,
            "partnerOrderNr": order.order_nr,
            "shippingMethodCode": DEFAULT_SHIPPING_METHOD,
            "shippingMethodName": SHIPPING_METHOD_NAMES[DEFAULT_SHIPPING_METHOD],
            "paymentMethod": "COD",
            "deliveryPrice": 0,
            "hasIntervals": False,
            "options": [],
        }
        details = _with_customer(_with_details(details, order.details, now), customer)
        items = await _order_items(conn, seller.id, order.items, now)
        try:
            order_id = await store.insert_order(
                conn,
                seller.id,
                FulfillmentType.FBS,
                ItemStatus.NEW,
                now,
                calculated_cut_off(now),
                details,
                items,
                order_nr=number,
            )
        except IntegrityError:  # another seller's number, written since the check above
            raise Conflict("order_exists", f"order number {number} is taken", {"field": "orderNr"}) from None
        created = await store.get_order(conn, seller.id, order_id)
        assert created is not None
        await notifications.emit(conn, seller, [order_placed_event(created, now)])  # sequence number 1
        return created


async def add_item(db: Database, seller: Seller, key: str, item: PartnerItem) -> Order:
    """One more unit in a New order the seller created; it notifies `itemStatusChanged` (New)."""
    _check_prices([item], "")
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        check_items_addable(order)
        if len(order.items) >= MAX_ITEMS_PER_ORDER:
            raise Conflict("order_full", f"order {order.order_nr} already holds {MAX_ITEMS_PER_ORDER} items")
        now = seller.clock.now()
        await store.insert_items(
            conn, seller.id, order.id, ItemStatus.NEW, now, await _order_items(conn, seller.id, [item], now)
        )
        reloaded = await store.get_order(conn, seller.id, order.id)
        assert reloaded is not None
        added = [i for i in reloaded.items if order.item(i.id) is None]
        after = replace(
            reloaded,
            status=order_status(i.status for i in reloaded.items),
            updated_at=now,
            history=order.history + tuple(StatusEvent(now, i.status.value, i.id) for i in added),
        )
        events = order_events(order, after, now)
        after = replace(after, sequence_number=order.sequence_number + len(events))
        await store.save_order(conn, order, after)
        await notifications.emit(conn, seller, events)
        return after


async def update_order(
    db: Database, seller: Seller, key: str, change: DetailsIn, customer: Customer | None
) -> Order:
    """New delivery or payment details (and customer) of an order the seller created, before shipping.

    Nothing to change (`{}`) answers the order as it is."""
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        check_changeable(order, "changes")
        now = seller.clock.now()
        details = _with_details(order.details, change, now)
        if customer is not None:
            checked = checked_customer(customer, "customerInfo.", new=False)
            details = _with_customer(details, customer_of(order).merged(checked))
        if details == order.details:
            return order
        await store.save_details(conn, order.id, details, now)
        return replace(order, details=details, updated_at=now)


async def get_customer(db: Database, seller: Seller, key: str) -> tuple[Order, Customer]:
    order = await lamoda_orders.get_order(db, seller, key)
    return order, customer_of(order)


async def update_customer(db: Database, seller: Seller, key: str, change: Customer) -> tuple[Order, Customer]:
    """Fields sent replace the customer's; the others stay (`{}` answers the customer as it is)."""
    checked = checked_customer(change, "", new=False)
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        check_changeable(order, "the customer")
        now = seller.clock.now()
        customer = customer_of(order).merged(checked)
        details = _with_customer(order.details, customer)
        if details == order.details:
            return order, customer
        await store.save_details(conn, order.id, details, now)
        return replace(order, details=details, updated_at=now), customer
