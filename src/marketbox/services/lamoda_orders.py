"""Lamoda orders: the buyer places them (sandbox), the seller confirms, cancels, assembles and packs them,
the world moves their items on (sandbox)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import Conflict, InvalidInput, NotFound
from marketbox.domain.lamoda_orders import (
    COMES_BACK,
    FulfillmentType,
    ItemStatus,
    Order,
    OrderChange,
    check_world_move,
    world_moves_of,
)
from marketbox.domain.notifications import order_events, order_placed_event
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import calculated_cut_off
from marketbox.services import fake_data, lamoda_catalog, lamoda_returns, notifications
from marketbox.services.tenants import tenant_seller
from marketbox.store import lamoda_catalog as catalog
from marketbox.store import lamoda_logistics as logistics_store
from marketbox.store import lamoda_orders as store
from marketbox.store.database import Database

MAX_ITEMS_PER_ORDER = 100
S = ItemStatus

# Seller actions allowed per item status.
_CONFIRMABLE = frozenset({S.NEW})
_CANCELLABLE = frozenset({S.NEW, S.CONFIRMED, S.READY_FOR_SHIPMENT})
_ASSEMBLABLE = frozenset({S.NEW, S.CONFIRMED})


@dataclass(frozen=True)
class BuyerItem:
    sku: str
    quantity: int = 1
    price: int | None = None
    marking_required: bool | None = None


_NEAREST = object()  # cut_off not given: the next regular cut-off


@dataclass(frozen=True)
class BuyerOrder:
    items: tuple[BuyerItem, ...]
    fulfillment_type: FulfillmentType = FulfillmentType.FBS
    cut_off: datetime | object | None = _NEAREST


def _validate(order: BuyerOrder) -> None:
    if not order.items:
        raise InvalidInput("invalid_order", "an order needs at least one item", {"field": "items"})
    units = 0
    for i, item in enumerate(order.items):
        if not item.sku.strip():
            raise InvalidInput("invalid_order", "sku must not be empty", {"field": f"items[{i}].sku"})
        if not 1 <= item.quantity <= MAX_ITEMS_PER_ORDER:
            raise InvalidInput(
                "invalid_order",
                f"quantity must be 1..{MAX_ITEMS_PER_ORDER}",
                {"field": f"items[{i}].quantity"},
            )
        if item.price is not None and not 0 <= item.price <= 10**12:
            raise InvalidInput(
                "invalid_order", "price must be 0..10^12 kopecks", {"field": f"items[{i}].price"}
            )
        units += item.quantity
    if units > MAX_ITEMS_PER_ORDER:
        raise InvalidInput(
            "invalid_order", f"an order holds at most {MAX_ITEMS_PER_ORDER} units", {"field": "items"}
        )


def made_up_nomenclature(seller_id: int, item: BuyerItem, now: datetime) -> catalog.Nomenclature:
    # Seeded by seller and SKU: the same SKU always gets the same made-up details.
    seed = int.from_bytes(hashlib.sha256(f"{seller_id}:{item.sku}".encode()).digest()[:8], "big")
    goods = fake_data.lamoda_goods(random.Random(seed))
    sku = lamoda_catalog.lamoda_sku(seller_id, item.sku)
    return catalog.Nomenclature(
        seller_id=seller_id,
        external_sku=item.sku,
        sku=sku,
        parent_sku=sku[:12],
        name=str(goods["name"]),
        brand=str(goods["brand"]),
        color=str(goods["color"]),
        size=str(goods["size"]),
        barcode=str(goods["barcode"]),
        category=str(goods["category"]),
        price=item.price if item.price is not None else int(str(goods["price"])),
        marking_required=item.marking_required
        if item.marking_required is not None
        else bool(goods["marking_required"]),
        fbo_stock=0,
        created_at=now,
        updated_at=now,
    )


async def place_order(
    db: Database, seller_id: int, order: BuyerOrder, rng: random.Random | None = None
) -> Order:
    _validate(order)
    rng = rng or random.Random()
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        now = seller.clock.now()
        known = await catalog.get_many(conn, seller_id, [i.sku for i in order.items])
        new = {i.sku: made_up_nomenclature(seller_id, i, now) for i in order.items if i.sku not in known}
        await catalog.insert_many(conn, new.values())
        goods = {**known, **new}
        items = []
        for item in order.items:
            n = goods[item.sku]
            price = item.price if item.price is not None else n.price
            marking = item.marking_required if item.marking_required is not None else n.marking_required
            items += [
                store.NewItem(n.sku, n.external_sku, n.name, n.brand, n.size, n.color, price, price, marking)
            ] * item.quantity
        city = fake_data.address(rng).city.removeprefix("г. ")
        details: dict[str, object] = {
            "customer": fake_data.person_name(rng),
            "city": city,
            "shippingMethodCode": "lamoda",
            "shippingMethodName": "Курьерская доставка Lamoda Express",
            "paymentMethod": rng.choice(["COD", "prepayment"]),
            "deliveryPrice": 0,
            "hasIntervals": True,
        }
        cut_off = calculated_cut_off(now) if order.cut_off is _NEAREST else order.cut_off
        assert cut_off is None or isinstance(cut_off, datetime)
        # Lamoda's own warehouse handles FBO orders: they arrive already confirmed.
        status = S.NEW if order.fulfillment_type == FulfillmentType.FBS else S.CONFIRMED
        order_id = await store.insert_order(
            conn, seller_id, order.fulfillment_type, status, now, cut_off, details, items
        )
        created = await store.get_order(conn, seller_id, order_id)
        assert created is not None
        await notifications.emit(conn, seller, [order_placed_event(created, now)])  # sequence number 1
        return created


async def get_order(db: Database, seller: Seller, key: str | int) -> Order:
    async with db.read() as conn:
        return await owned(conn, seller, key)


async def orders_by_id(db: Database, seller: Seller, order_ids: set[int]) -> dict[int, Order]:
    async with db.read() as conn:
        return {o.id: o for o in await store.get_orders(conn, seller.id, order_ids)}


async def list_orders(db: Database, query: store.OrderQuery) -> tuple[list[Order], int]:
    async with db.read() as conn:
        return await store.list_orders(conn, query)


def _key(key: str) -> str | int:
    """Orders are addressed by number (`RU261123-000001`) or by id."""
    return int(key) if key.isascii() and key.isdigit() and len(key) < 19 else key


async def owned(conn: AsyncConnection, seller: Seller, key: str | int) -> Order:
    order = await store.get_order(conn, seller.id, _key(key) if isinstance(key, str) else key)
    if order is None and isinstance(key, str) and isinstance(_key(key), int):
        # An order the seller numbered (partner code + its own number) may be all digits.
        order = await store.get_order(conn, seller.id, key)
    if order is None:
        raise NotFound("order_not_found", f"order {key} not found")
    return order


def _require_fbs(order: Order, action: str) -> None:
    if order.fulfillment_type != FulfillmentType.FBS:
        raise Conflict(
            "not_fbs",
            f"order {order.order_nr} is {order.fulfillment_type.value}: Lamoda's warehouse {action}s it",
        )


async def apply_change(conn: AsyncConnection, seller: Seller, change: OrderChange) -> Order:
    """Save the change and write the notifications it causes, in the same transaction."""
    after = change.result()
    moved = [i.id for i in after.items if i.id in change.changed]
    codes = await logistics_store.codes_of_items(conn, seller.id, moved)
    events = order_events(change.order, after, change.now, codes)
    after = replace(after, sequence_number=change.order.sequence_number + len(events))
    await store.save_order(conn, change.order, after)
    await notifications.emit(conn, seller, events)
    return after


async def confirm(db: Database, seller: Seller, key: str) -> Order:
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        _require_fbs(order, "confirm")
        pending = [i for i in order.items if i.status in _CONFIRMABLE]
        if not pending:
            raise Conflict(
                "not_confirmable",
                f"order {order.order_nr} is {order.status!r}: only a new order can be confirmed",
            )
        change = OrderChange(order, seller.clock.now())
        for item in pending:
            change.move(item, S.CONFIRMED)
        return await apply_change(conn, seller, change)


async def cancel(db: Database, seller: Seller, key: str) -> Order:
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        _require_fbs(order, "cancel")
        active = order.active_items
        blocking = [i for i in active if i.status not in _CANCELLABLE]
        if not active or blocking or any(i.shipment_id is not None for i in active):
            raise Conflict(
                "not_cancellable",
                f"order {order.order_nr} is {order.status!r}: "
                "an order can be cancelled only before it is shipped",
            )
        change = OrderChange(order, seller.clock.now())
        for item in active:
            change.move(item, S.CANCELED, "Отменён продавцом")
        return await apply_change(conn, seller, change)


async def assemble(db: Database, seller: Seller, key: str, packs: Sequence[Sequence[int]]) -> Order:
    """Put every live item of the order into packs: they become ready for shipment."""
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        _require_fbs(order, "assemble")
        active = order.active_items
        if not active or any(i.status not in _ASSEMBLABLE for i in active):
            raise Conflict(
                "not_assemblable",
                f"order {order.order_nr} is {order.status!r}: only new or confirmed orders can be assembled",
            )
        if not packs:
            raise InvalidInput("invalid_assembly", "packs must not be empty", {"field": "packs"})
        if order.pack_numbers and len(order.pack_numbers) != len(packs):
            raise InvalidInput(
                "invalid_assembly",
                f"the order has {len(order.pack_numbers)} pack number(s): assemble it into as many packs",
                {"field": "packs"},
            )
        placed: dict[int, int] = {}
        for p, item_ids in enumerate(packs):
            if not item_ids:
                raise InvalidInput(
                    "invalid_assembly", "a pack must hold items", {"field": f"packs[{p}].itemIds"}
                )
            for item_id in item_ids:
                field = f"packs[{p}].itemIds"
                item = order.item(item_id)
                if item is None:
                    raise InvalidInput(
                        "invalid_assembly",
                        f"item {item_id} is not in order {order.order_nr}",
                        {"field": field},
                    )
                if item.status == S.CANCELED:
                    raise InvalidInput("invalid_assembly", f"item {item_id} is cancelled", {"field": field})
                if item_id in placed:
                    raise InvalidInput(
                        "invalid_assembly", f"item {item_id} is in two packs", {"field": field}
                    )
                placed[item_id] = p + 1
        missing = [i.id for i in active if i.id not in placed]
        if missing:
            raise InvalidInput(
                "invalid_assembly",
                f"every item of the order must be packed; missing: {', '.join(map(str, missing))}",
                {"field": "packs"},
            )
        change = OrderChange(order, seller.clock.now())
        for item in active:
            packed = replace(item, pack_index=placed[item.id])
            if item.status == S.NEW:  # assembling a new order confirms it
                change.move(packed, S.CONFIRMED)
            change.move(packed, S.READY_FOR_SHIPMENT)
        return await apply_change(conn, seller, change)


async def generate_packs(db: Database, seller: Seller, key: str, count: int) -> Order:
    async with db.tenant_write(seller.id) as conn:
        order = await owned(conn, seller, key)
        _require_fbs(order, "pack")
        if order.pack_numbers:
            raise InvalidInput(
                "packs_exist",
                "It is not possible to generate more codes: the order already has pack numbers "
                + ", ".join(order.pack_numbers),
                {"field": "count"},
            )
        active = order.active_items
        if not active:
            raise Conflict("not_packable", f"order {order.order_nr} is cancelled")
        if not 1 <= count <= len(active):
            raise InvalidInput(
                "invalid_count",
                f"count must be 1..{len(active)} (one pack per item at most)",
                {"field": "count"},
            )
        if order.pack_count and count != order.pack_count:
            raise InvalidInput(
                "invalid_count",
                f"the order is assembled into {order.pack_count} pack(s): ask for that many numbers",
                {"field": "count"},
            )
        now = seller.clock.now()
        numbers = tuple(f"{order.order_nr}-{i}" for i in range(1, count + 1))
        taken = await store.get_containers(conn, seller.id, numbers)
        if taken:
            raise Conflict(
                "barcode_taken",
                f"pack number {min(taken)} is already used as one of your pallet barcodes",
                {"field": "count"},
            )
        await store.insert_containers(conn, seller.id, "pack", numbers, now, order_id=order.id)
        # No notification: sequence numbers count only what was sent (receivers detect gaps).
        after = replace(order, pack_numbers=numbers, updated_at=now)
        await store.save_order(conn, order, after)
        return after


async def world_move(
    db: Database, seller_id: int, order_nr: str, item_id: int, status: str, reason: str | None
) -> Order:
    """The world moves an item (courier, buyer, pickup point, return desk)."""
    try:
        target = ItemStatus(status)
    except ValueError:
        raise InvalidInput(
            "unknown_status",
            f"unknown item status {status!r}; one of: {', '.join(s.value for s in ItemStatus)}",
            {"field": "status"},
        ) from None
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        order = await store.get_order(conn, seller_id, order_nr)
        if order is None:
            raise NotFound("OrderNotFound", f"order {order_nr} not found")
        item = order.item(item_id)
        if item is None:
            raise NotFound("ItemNotFound", f"item {item_id} is not in order {order_nr}")
        allowed_moves = world_moves_of(item, order.fulfillment_type)
        if target in (S.CONFIRMED, S.READY_FOR_SHIPMENT) and target not in allowed_moves:
            raise Conflict(
                "seller_action",
                f"{target.value!r} is the seller's move: "
                "POST /api/v1/orders/{id}/events or /api/v2/orders/{id}/assembly",
                {"field": "status"},
            )
        kept_reason = check_world_move(item, target, reason, allowed_moves)
        now = seller.clock.now()
        change = OrderChange(order, now)
        change.move(item, target, kept_reason)
        after = await apply_change(conn, seller, change)
        if order.fulfillment_type == FulfillmentType.FBS:
            if target in COMES_BACK:
                await lamoda_returns.open_return(conn, after, item_id, target, kept_reason, now)
            elif target == S.SENT_BACK_TO_PARTNER:
                await lamoda_returns.send_back(conn, seller_id, item_id, now)
        return after
