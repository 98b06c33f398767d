"""FBO supplies: the seller announces them with marking codes; the warehouse validates and counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from marketbox.domain.errors import Conflict, InvalidInput, NotFound
from marketbox.domain.lamoda_supplies import Count, Supply, SupplyItem, SupplyStatus, accept, moved
from marketbox.domain.marking_codes import already_used, check_codes
from marketbox.domain.notifications import supply_event
from marketbox.domain.sellers import Seller
from marketbox.services import notifications
from marketbox.services.tenants import tenant_seller
from marketbox.store import lamoda_catalog as catalog
from marketbox.store import lamoda_logistics as store
from marketbox.store.database import Database

MAX_SUPPLY_ITEMS = 1000
MAX_UNITS_PER_ITEM = 100_000


@dataclass(frozen=True)
class SupplyItemIn:
    sku: str
    quantity: int
    price: int
    ean: str | None
    datamatrixes: tuple[str, ...] | None


@dataclass(frozen=True)
class SupplyIn:
    code: str | None
    supply_date: date
    document_number: str | None
    pallets: tuple[str, ...]
    items: tuple[SupplyItemIn, ...]


def _bad(message: str, field: str) -> InvalidInput:
    return InvalidInput("invalid_supply", message, {"field": field})


async def create_supply(db: Database, seller: Seller, supply: SupplyIn) -> Supply:
    if not supply.items:
        raise _bad("a supply needs at least one item", "items")
    if len(supply.items) > MAX_SUPPLY_ITEMS:
        raise _bad(f"at most {MAX_SUPPLY_ITEMS} items per supply", "items")
    codes: list[tuple[str, str]] = []
    for i, item in enumerate(supply.items):
        if not 1 <= item.quantity <= MAX_UNITS_PER_ITEM:
            raise _bad(f"quantity must be 1..{MAX_UNITS_PER_ITEM}", f"items[{i}].quantity")
        if item.price < 0:
            raise _bad("price must not be negative", f"items[{i}].price")
        for j, code in enumerate(item.datamatrixes or ()):
            codes.append((f"items[{i}].datamatrixes[{j}]", code))
    check_codes(codes)
    async with db.tenant_write(seller.id) as conn:
        goods = await catalog.get_many(conn, seller.id, [i.sku for i in supply.items])
        seen: set[str] = set()
        items = []
        for i, item in enumerate(supply.items):
            n = goods.get(item.sku)
            if n is None:
                raise _bad(
                    f"SKU {item.sku!r} is not in your nomenclature: create it first", f"items[{i}].sku"
                )
            if item.sku in seen:
                raise _bad(f"SKU {item.sku!r} appears twice: give one line per SKU", f"items[{i}].sku")
            seen.add(item.sku)
            given = len(item.datamatrixes or ())
            if n.marking_required and given != item.quantity:
                raise _bad(
                    f"SKU {item.sku} needs marking: `datamatrixes` must hold one code per unit "
                    f"({item.quantity}), got {given}",
                    f"items[{i}].datamatrixes",
                )
            if not n.marking_required and given not in (0, item.quantity):
                raise _bad(
                    f"`datamatrixes` must hold one code per unit ({item.quantity}), got {given}",
                    f"items[{i}].datamatrixes",
                )
            items.append(
                SupplyItem(item.sku, item.ean or n.barcode, item.quantity, item.price, n.marking_required)
            )
        used = await store.used_codes(conn, seller.id, [c for _, c in codes])
        for field, code in codes:
            if code in used:
                raise already_used(code, field)
        if supply.code is not None and await store.get_supply(conn, seller.id, supply.code) is not None:
            raise Conflict("duplicate_supply", f"supply {supply.code} already exists", {"field": "id"})
        now = seller.clock.now()
        try:
            supply_id = await store.insert_supply(
                conn,
                seller.id,
                supply.code,
                supply.supply_date,
                supply.document_number,
                supply.pallets,
                items,
                now,
            )
        except IntegrityError:  # the same code sent twice at the same moment
            raise Conflict(
                "duplicate_supply", f"supply {supply.code} already exists", {"field": "id"}
            ) from None
        sku_of = [s.sku for s in supply.items for _ in (s.datamatrixes or ())]
        await store.insert_codes(
            conn,
            seller.id,
            [(code, sku) for (_, code), sku in zip(codes, sku_of, strict=True)],
            now,
            supply_id=supply_id,
        )
        created = await store.get_supply_by_id(conn, seller.id, supply_id)
        assert created is not None
        await notifications.emit(conn, seller, [supply_event(created, now, len(created.history))])
        return created


async def get_supply(db: Database, seller: Seller, code: str) -> Supply:
    async with db.read() as conn:
        supply = await store.get_supply(conn, seller.id, code)
    if supply is None:
        raise NotFound("supply_not_found", f"supply {code} not found")
    return supply


async def supply_page(
    db: Database, seller: Seller, page: int, limit: int, date_from: date | None, date_to: date | None
) -> tuple[list[Supply], int]:
    async with db.read() as conn:
        return await store.supply_page(conn, seller.id, page, limit, date_from, date_to)


async def world_move(
    db: Database,
    seller_id: int,
    code: str,
    status: str,
    reason: str | None,
    counts: Mapping[str, Count] | None,
) -> Supply:
    """The warehouse validates, rejects, receives or accepts a supply (accepted stock joins FBO stock)."""
    try:
        target = SupplyStatus(status)
    except ValueError:
        raise InvalidInput(
            "unknown_status",
            f"unknown supply status {status!r}; one of: {', '.join(s.value for s in SupplyStatus)}",
            {"field": "status"},
        ) from None
    if counts is not None and target != SupplyStatus.ACCEPTED:
        raise InvalidInput(
            "invalid_event", "item counts are given only when a supply is accepted", {"field": "items"}
        )
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        supply = await store.get_supply(conn, seller_id, code)
        if supply is None:
            raise NotFound("SupplyNotFound", f"supply {code} not found")
        now = seller.clock.now()
        if target == SupplyStatus.ACCEPTED:
            moved(supply, target, now)  # checks the move
            full = {i.sku: Count(i.quantity) for i in supply.items}
            after = accept(supply, counts if counts is not None else full, now)
            for item in after.items:
                if item.accepted:
                    await catalog.add_stock(conn, seller_id, item.sku, item.accepted, now)
        else:
            after = moved(supply, target, now, reason)
        await store.save_supply(conn, after)
        await notifications.emit(conn, seller, [supply_event(after, now, len(after.history))])
        return after


def counts_from(items: Sequence[tuple[str, int, int, int | None]]) -> dict[str, Count]:
    """(sku, receipt, damaged, accepted) lines of a sandbox request; a SKU twice is refused."""
    counts: dict[str, Count] = {}
    for i, (sku, receipt, damaged, accepted) in enumerate(items):
        if sku in counts:
            raise InvalidInput("invalid_event", f"SKU {sku!r} is counted twice", {"field": f"items[{i}].sku"})
        counts[sku] = Count(receipt, damaged, accepted)
    return counts
