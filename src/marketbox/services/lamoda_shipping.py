"""FBS shipments (pallets of packs of items, with one marking code per marked item) and labels.

A marked item may ship without its code, as on Lamoda (sellers account for Честный ЗНАК codes on
their own side): the shipment records it, and its notifications carry no code. A tenant whose marking
setting is strict must send every marked item's code.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import InvalidInput, NotFound
from marketbox.domain.lamoda_orders import FulfillmentType, ItemStatus, Order, OrderItem
from marketbox.domain.lamoda_shipments import Shipment, ShipmentPack, ShipmentPallet
from marketbox.domain.marking_codes import MarkingPolicy, already_used, check_codes
from marketbox.domain.notifications import shipment_event
from marketbox.domain.sellers import Seller
from marketbox.labels import LamodaItemLabel, LamodaLabel, LamodaPackLabel, LamodaPalletLabel
from marketbox.services import notifications
from marketbox.store import label_documents as doc_store
from marketbox.store import lamoda_logistics as logistics
from marketbox.store import lamoda_orders as order_store
from marketbox.store import sellers as seller_store
from marketbox.store.database import Database

MAX_LABELS = 100
LABEL_SIZES = ("S", "M", "L")
ITEM_LABELS = "lamoda_items"
PACK_LABELS = "lamoda_packs"
PALLET_LABELS = "lamoda_pallets"


@dataclass(frozen=True)
class ItemIn:
    item_id: int
    datamatrix: str | None
    field: str
    sku: str | None = None
    order_nr: str | None = None


@dataclass(frozen=True)
class PackIn:
    barcode: str
    items: tuple[ItemIn, ...]
    field: str  # where the pack is in the request
    barcode_field: str = "barcode"  # what the API calls the pack number


@dataclass(frozen=True)
class PalletIn:
    barcode: str | None
    packs: tuple[PackIn, ...]
    field: str
    barcode_field: str = "barcode"


@dataclass(frozen=True)
class ShipmentIn:
    pallets: tuple[PalletIn, ...]
    external_id: str | None = None
    source: str | None = None
    destination: str | None = None
    ship_at: datetime | None = None


def _bad(message: str, field: str) -> InvalidInput:
    return InvalidInput("invalid_shipment", message, {"field": field})


def _check_item(
    item_in: ItemIn, order: Order | None, pack: PackIn, marking: MarkingPolicy
) -> tuple[Order, OrderItem]:
    item = order.item(item_in.item_id) if order else None
    if order is None or item is None:
        raise _bad(f"item {item_in.item_id} not found", item_in.field)
    if order.fulfillment_type != FulfillmentType.FBS:
        raise _bad(f"item {item.id} belongs to an FBO order", item_in.field)
    if item.shipment_id is not None:
        raise _bad(f"item {item.id} is already in shipment {item.shipment_id}", item_in.field)
    if item.status != ItemStatus.READY_FOR_SHIPMENT:
        raise _bad(f"item {item.id} is {item.status.value!r}: assemble the order first", item_in.field)
    if order.pack_number_of(item) != pack.barcode:
        raise _bad(
            f"item {item.id} was assembled into pack {order.pack_number_of(item)!r}, not {pack.barcode!r}",
            item_in.field,
        )
    if item_in.sku is not None and item_in.sku not in (item.external_sku, item.sku):
        raise _bad(
            f"item {item.id} is SKU {item.external_sku!r}, not {item_in.sku!r}", item_in.field + ".sku"
        )
    if item_in.order_nr is not None and item_in.order_nr not in (order.order_nr, order.tracking_id):
        raise _bad(
            f"item {item.id} is in order {order.order_nr}, not {item_in.order_nr}", item_in.field + ".orderNr"
        )
    if item.marking_required and not item_in.datamatrix and marking == MarkingPolicy.STRICT:
        raise _bad(
            f"item {item.id} ({item.external_sku}) needs marking: send its DataMatrix code in `datamatrix` "
            "(this tenant's marking setting is strict)",
            item_in.field + ".datamatrix",
        )
    return order, item


async def create_shipment(db: Database, seller: Seller, shipment: ShipmentIn) -> Shipment:
    if not shipment.pallets:
        raise _bad("a shipment needs at least one pallet", "pallets")
    all_items = [i for p in shipment.pallets for k in p.packs for i in k.items]
    codes = [(i.field + ".datamatrix", i.datamatrix) for i in all_items if i.datamatrix]
    check_codes(codes)
    async with db.tenant_write(seller.id) as conn:
        marking = await seller_store.marking_of(conn, seller.id) or MarkingPolicy.LENIENT
        orders = await order_store.orders_of_items(conn, seller.id, [i.item_id for i in all_items])
        pack_codes = [k.barcode for p in shipment.pallets for k in p.packs]
        containers = await order_store.get_containers(
            conn, seller.id, pack_codes + [p.barcode for p in shipment.pallets if p.barcode]
        )
        seen_items: set[int] = set()
        seen_packs: set[str] = set()
        pallets: list[ShipmentPallet] = []
        shipped: list[tuple[Order, OrderItem]] = []
        for pallet in shipment.pallets:
            if not pallet.packs:
                raise _bad("a pallet needs at least one pack", pallet.field + ".packs")
            if pallet.barcode is not None and pallet.barcode in containers:
                raise _bad(
                    f"barcode {pallet.barcode!r} is already in use", f"{pallet.field}.{pallet.barcode_field}"
                )
            packs = []
            for pack in pallet.packs:
                container = containers.get(pack.barcode)
                if container is None or container.kind != "pack":
                    raise _bad(
                        f"pack {pack.barcode!r} not found: generate pack numbers first",
                        f"{pack.field}.{pack.barcode_field}",
                    )
                if pack.barcode in seen_packs or container.shipment_id is not None:
                    raise _bad(
                        f"pack {pack.barcode!r} is already shipped", f"{pack.field}.{pack.barcode_field}"
                    )
                seen_packs.add(pack.barcode)
                if not pack.items:
                    raise _bad("a pack needs at least one item", pack.field + ".items")
                without_code: list[int] = []
                for item_in in pack.items:
                    if item_in.item_id in seen_items:
                        raise _bad(f"item {item_in.item_id} appears twice", item_in.field)
                    seen_items.add(item_in.item_id)
                    order, item = _check_item(item_in, orders.get(item_in.item_id), pack, marking)
                    shipped.append((order, item))
                    if item.marking_required and not item_in.datamatrix:
                        without_code.append(item.id)
                in_pack = {i.id for i in order.active_items if order.pack_number_of(i) == pack.barcode}
                left_out = sorted(in_pack - {i.item_id for i in pack.items})
                if left_out:
                    raise _bad(
                        f"pack {pack.barcode} also holds items {', '.join(map(str, left_out))}: "
                        "a pack ships whole",
                        pack.field + ".items",
                    )
                packs.append(
                    ShipmentPack(
                        pack.barcode, order.id, tuple(i.item_id for i in pack.items), tuple(without_code)
                    )
                )
            barcode = pallet.barcode or f"PL{secrets.randbelow(10**10):010d}"
            pallets.append(ShipmentPallet(barcode, tuple(packs)))
        used = await logistics.used_codes(conn, seller.id, [code for _, code in codes if code])
        for field, code in codes:
            if code in used:
                raise already_used(code, field)
        now = seller.clock.now()
        shipment_id = await logistics.insert_shipment(
            conn,
            seller.id,
            now,
            pallets,
            external_id=shipment.external_id,
            source=shipment.source,
            destination=shipment.destination,
            ship_at=shipment.ship_at,
        )
        await order_store.insert_containers(
            conn, seller.id, "pallet", [p.barcode for p in pallets], now, shipment_id=shipment_id
        )
        await order_store.set_container_shipment(conn, seller.id, pack_codes, shipment_id)
        await _mark_shipped(conn, shipped, shipment_id, now)
        marked = [(i, (i.datamatrix or "")) for i in all_items if i.datamatrix]
        by_id = {item.id: item for _, item in shipped}
        await logistics.insert_codes(
            conn,
            seller.id,
            [(code, by_id[i.item_id].external_sku) for i, code in marked],
            now,
            order_item_ids=[i.item_id for i, _ in marked],
        )
        created = await logistics.get_shipment(conn, seller.id, shipment_id)
        assert created is not None
        order_numbers = sorted({order.order_nr for order, _ in shipped})
        await notifications.emit(conn, seller, [shipment_event(created, now, order_numbers)])
        return created


async def _mark_shipped(
    conn: AsyncConnection, shipped: Sequence[tuple[Order, OrderItem]], shipment_id: int, now: datetime
) -> None:
    by_order: dict[int, tuple[Order, list[OrderItem]]] = {}
    for order, item in shipped:
        by_order.setdefault(order.id, (order, []))[1].append(item)
    for order, items in by_order.values():
        ids = {i.id for i in items}
        after_items = tuple(
            replace(i, shipment_id=shipment_id, updated_at=now) if i.id in ids else i for i in order.items
        )
        after = replace(order, items=after_items, updated_at=now)
        await order_store.save_order(conn, order, after)


async def get_shipment(db: Database, seller: Seller, shipment_id: int) -> tuple[Shipment, dict[int, Order]]:
    async with db.read() as conn:
        shipment = await logistics.get_shipment(conn, seller.id, shipment_id)
        if shipment is None:
            raise NotFound("shipment_not_found", f"shipment {shipment_id} not found")
        orders = await order_store.orders_of_items(conn, seller.id, shipment.item_ids)
    return shipment, orders


async def shipment_page(
    db: Database, seller: Seller, page: int, limit: int
) -> tuple[list[Shipment], int, dict[int, Order]]:
    """A page of shipments, the total, and the orders of their items by item id (one snapshot)."""
    async with db.read() as conn:
        shipments, total = await logistics.shipment_page(conn, seller.id, page, limit)
        orders = await order_store.orders_of_items(
            conn, seller.id, [i for s in shipments for i in s.item_ids]
        )
    return shipments, total, orders


async def resolve_container(
    db: Database, seller: Seller, barcode: str
) -> tuple[order_store.Container, list[Order]]:
    """A pack or pallet barcode of the seller, with the orders inside."""
    async with db.read() as conn:
        container = (await order_store.get_containers(conn, seller.id, [barcode])).get(barcode)
        if container is None:
            raise NotFound("container_not_found", f"container {barcode} not found")
        if container.kind == "pack":
            assert container.order_id is not None
            order = await order_store.get_order(conn, seller.id, container.order_id)
            return container, [order] if order else []
        assert container.shipment_id is not None
        shipment = await logistics.get_shipment(conn, seller.id, container.shipment_id)
        pallet = next(p for p in shipment.pallets if p.barcode == barcode) if shipment else None
        item_ids = [i for pack in pallet.packs for i in pack.item_ids] if pallet else []
        orders = await order_store.orders_of_items(conn, seller.id, item_ids)
        unique = {o.id: o for o in orders.values()}
        return container, list(unique.values())


# ---- labels ---------------------------------------------------------------------------------------


def _check_label_request(values: Sequence[object], size: str, field: str) -> None:
    if size not in LABEL_SIZES:
        raise InvalidInput(
            "invalid_label_format",
            f"labelFormat must be one of S, M, L; got {size!r}",
            {"field": "labelFormat"},
        )
    if not values:
        raise InvalidInput("invalid_labels", f"{field} must not be empty", {"field": field})
    if len(values) > MAX_LABELS:
        raise InvalidInput("invalid_labels", f"at most {MAX_LABELS} labels per request", {"field": field})


def _nothing_to_print(field: str, excluded: Sequence[object]) -> InvalidInput:
    return InvalidInput(
        "nothing_to_label",
        f"none of the {field} can be labelled: {', '.join(map(str, excluded))}",
        {"field": field},
    )


async def item_labels(
    db: Database, seller: Seller, item_ids: Sequence[int], size: str
) -> tuple[str, list[int]]:
    """A label document for the items; ids that are unknown, cancelled or FBO come back as excluded."""
    _check_label_request(item_ids, size, "items")
    ids = list(dict.fromkeys(item_ids))
    async with db.tenant_write(seller.id) as conn:
        orders = await order_store.orders_of_items(conn, seller.id, ids)
        printable: list[int] = []
        excluded: list[int] = []
        for item_id in ids:
            order = orders.get(item_id)
            item = order.item(item_id) if order else None
            printable_item = (
                order is not None
                and item is not None
                and order.fulfillment_type == FulfillmentType.FBS
                and item.status != ItemStatus.CANCELED
            )
            (printable if printable_item else excluded).append(item_id)
        if not printable:
            raise _nothing_to_print("items", excluded)
        token = await doc_store.insert_document(
            conn, seller.id, f"{ITEM_LABELS}:{size}", printable, seller.clock.now()
        )
    return token, excluded


async def container_labels(
    db: Database, seller: Seller, barcodes: Sequence[str], size: str, kind: str
) -> tuple[str, list[str]]:
    field = "packs" if kind == "pack" else "palletBarcodes"
    _check_label_request(barcodes, size, field)
    wanted = list(dict.fromkeys(barcodes))
    async with db.tenant_write(seller.id) as conn:
        found = await order_store.get_containers(conn, seller.id, wanted)
        printable = [b for b in wanted if b in found and found[b].kind == kind]
        excluded = [b for b in wanted if b not in printable]
        if not printable:
            raise _nothing_to_print(field, excluded)
        doc_kind = PACK_LABELS if kind == "pack" else PALLET_LABELS
        token = await doc_store.insert_document(
            conn, seller.id, f"{doc_kind}:{size}", printable, seller.clock.now()
        )
    return token, excluded


@dataclass(frozen=True)
class LamodaLabels:
    labels: tuple[LamodaLabel, ...]
    size: str


async def label_content(
    db: Database, seller: Seller, kind: str, subject_ids: Sequence[int | str]
) -> LamodaLabels:
    """What a Lamoda label document shows, read when the PDF is fetched."""
    doc_kind, _, size = kind.partition(":")
    labels: list[LamodaLabel] = []
    async with db.read() as conn:
        if doc_kind == ITEM_LABELS:
            orders = await order_store.orders_of_items(conn, seller.id, [int(i) for i in subject_ids])
            for item_id in subject_ids:
                order = orders.get(int(item_id))
                item = order.item(int(item_id)) if order else None
                if order and item:
                    labels.append(
                        LamodaItemLabel(
                            item.id, order.order_nr, item.external_sku, item.name, item.size, seller.name
                        )
                    )
        elif doc_kind == PACK_LABELS:
            found = await order_store.get_containers(conn, seller.id, [str(b) for b in subject_ids])
            for barcode in map(str, subject_ids):
                container = found.get(barcode)
                if container is None or container.order_id is None:
                    continue
                order = await order_store.get_order(conn, seller.id, container.order_id)
                if order is None:
                    continue
                labels.append(
                    LamodaPackLabel(
                        barcode,
                        order.order_nr,
                        order.pack_numbers.index(barcode) + 1,
                        len(order.pack_numbers),
                        seller.name,
                        str(order.details.get("shippingMethodName", "")),
                        str(order.details.get("city", "")),
                    )
                )
        else:
            found = await order_store.get_containers(conn, seller.id, [str(b) for b in subject_ids])
            for barcode in map(str, subject_ids):
                container = found.get(barcode)
                if container is None or container.shipment_id is None:
                    continue
                shipment = await logistics.get_shipment(conn, seller.id, container.shipment_id)
                pallet = (
                    next((p for p in shipment.pallets if p.barcode == barcode), None) if shipment else None
                )
                labels.append(
                    LamodaPalletLabel(
                        barcode, seller.name, str(container.shipment_id), len(pallet.packs) if pallet else 0
                    )
                )
    if not labels:
        raise NotFound("ErrorCode.DocumentNotFound", "the objects of this document no longer exist")
    return LamodaLabels(tuple(labels), size)
