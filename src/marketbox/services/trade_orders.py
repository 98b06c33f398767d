"""Trade orders: the seller reads them; the sandbox's buyer places them."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError

from marketbox.domain.errors import Conflict, InvalidInput
from marketbox.domain.logistic_orders import LogisticOrder
from marketbox.domain.sellers import Product, Seller
from marketbox.domain.shipping_dates import calculated_cut_off, shipping_deadline
from marketbox.domain.trade_orders import (
    AntifraudStatus,
    DeliveryStatus,
    DisplayStatus,
    PaymentStatus,
    ReceiverAddress,
    TradeOrder,
    TradeOrderLine,
    TradeOrderQuery,
    TradeOrderStatus,
)
from marketbox.services import fake_data
from marketbox.services.tenants import tenant_seller
from marketbox.store import logistic_orders as lo_store
from marketbox.store import sellers as seller_store
from marketbox.store import trade_orders as to_store
from marketbox.store.database import Database
from marketbox.store.tables import TRADE_ORDER_ID_START


async def find_trade_orders(
    db: Database, seller: Seller, query: TradeOrderQuery
) -> tuple[list[TradeOrder], int, dict[int, list[LogisticOrder]]]:
    async with db.read() as conn:
        orders, total = await to_store.list_trade_orders(conn, seller.id, query)
        logistics: dict[int, list[LogisticOrder]] = {o.id: [] for o in orders}
        if orders:
            for lo in await lo_store.for_trade_orders(conn, seller.id, [o.id for o in orders]):
                logistics[lo.trade_order_id].append(lo)
    return orders, total, logistics


@dataclass(frozen=True)
class BuyerLine:
    sku_id: int
    quantity: int
    name: str | None = None
    item_price: int | None = None
    marking_required: bool | None = None
    jewelry: bool | None = None


@dataclass(frozen=True)
class BuyerOrder:
    lines: tuple[BuyerLine, ...]
    receiver_address: ReceiverAddress | None = None
    buyer_name: str | None = None
    buyer_phone: str | None = None
    trade_order_id: int | None = None


def _product_for(seller_id: int, line: BuyerLine, known: Product | None, rng: random.Random) -> Product:
    base = known or fake_data.product(seller_id, line.sku_id, rng, jewelry=bool(line.jewelry))
    return replace(
        base,
        name=line.name if line.name is not None else base.name,
        item_price=line.item_price if line.item_price is not None else base.item_price,
        marking_required=line.marking_required
        if line.marking_required is not None
        else base.marking_required,
        jewelry=line.jewelry if line.jewelry is not None else base.jewelry,
    )


def _validate(order: BuyerOrder) -> None:
    if order.trade_order_id is not None and order.trade_order_id >= TRADE_ORDER_ID_START:
        # Generated ids start there; a pinned one above would collide with a later generated one.
        raise InvalidInput(
            "InvalidOrder",
            f"a pinned trade_order_id must be below {TRADE_ORDER_ID_START}",
            {"field": "trade_order_id"},
        )
    if not order.lines:
        raise InvalidInput("InvalidOrder", "an order needs at least one line", {"field": "lines"})
    seen: set[int] = set()
    for i, line in enumerate(order.lines):
        if line.quantity < 1 or line.quantity > 1000:
            raise InvalidInput("InvalidOrder", "quantity must be 1..1000", {"field": f"lines[{i}].quantity"})
        if line.sku_id < 1:
            raise InvalidInput(
                "InvalidOrder", "sku_id must be a positive integer", {"field": f"lines[{i}].sku_id"}
            )
        if line.item_price is not None and line.item_price < 0:
            raise InvalidInput("InvalidOrder", "item_price must be >= 0", {"field": f"lines[{i}].item_price"})
        if line.sku_id in seen:
            raise InvalidInput(
                "InvalidOrder", f"sku_id {line.sku_id} appears twice", {"field": f"lines[{i}].sku_id"}
            )
        seen.add(line.sku_id)


def _taken(trade_order_id: int | None) -> Conflict:
    return Conflict(
        "DuplicateOrder", f"trade order {trade_order_id} already exists", {"field": "trade_order_id"}
    )


async def place_order(
    db: Database, seller_id: int, order: BuyerOrder, *, rng: random.Random | None = None
) -> TradeOrder:
    """A buyer places and pays an order: it appears in the seller's order list, ready for shipping."""
    _validate(order)
    rng = rng or random.Random()
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        known = await seller_store.get_products(conn, seller_id, [line.sku_id for line in order.lines])
        products = [_product_for(seller_id, line, known.get(line.sku_id), rng) for line in order.lines]
        await seller_store.insert_products(conn, [p for p in products if p.sku_id not in known])
        if order.trade_order_id is not None and await to_store.trade_order_exists(conn, order.trade_order_id):
            raise _taken(order.trade_order_id)
        lines = tuple(
            TradeOrderLine(
                id=0,
                sku_id=p.sku_id,
                item_id=p.item_id,
                name=p.name,
                item_price=p.item_price,
                currency=p.currency,
                quantity=line.quantity,
                img_url=p.img_url,
                properties=p.properties,
                marking_required=p.marking_required,
                jewelry=p.jewelry,
                sku_code=f"SKU-{p.sku_id}",
            )
            for p, line in zip(products, order.lines, strict=True)
        )
        cut_off = calculated_cut_off(now)
        draft = TradeOrder(
            id=order.trade_order_id or 0,
            seller_id=seller_id,
            status=TradeOrderStatus.CREATED,
            payment_status=PaymentStatus.PAID,
            delivery_status=DeliveryStatus.INIT,
            antifraud_status=AntifraudStatus.PASSED,
            display_status=DisplayStatus.WAIT_SEND_GOODS,
            buyer_name=order.buyer_name or fake_data.person_name(rng),
            buyer_phone=order.buyer_phone or fake_data.phone(rng),
            buyer_country_code="643",
            receiver_address=order.receiver_address or fake_data.address(rng),
            created_at=now,
            paid_at=now,
            updated_at=now,
            cut_off_date=cut_off,
            shipping_deadline=shipping_deadline(cut_off),
            lines=lines,
        )
        try:
            new_id = await to_store.insert_trade_order(
                conn, draft, explicit_id=order.trade_order_id is not None
            )
        except IntegrityError:  # the same id pinned by another tenant at the same moment
            raise _taken(order.trade_order_id) from None
        return (await to_store.get_trade_orders(conn, seller_id, [new_id]))[new_id]
