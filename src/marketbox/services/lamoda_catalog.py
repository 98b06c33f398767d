"""The seller's Lamoda nomenclature, FBO stock and public tracking."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from marketbox.domain.errors import Conflict, InvalidInput, NotFound
from marketbox.domain.lamoda_orders import Order
from marketbox.domain.sellers import Seller
from marketbox.store import lamoda_catalog as store
from marketbox.store import lamoda_orders as order_store
from marketbox.store.database import Database


@dataclass(frozen=True)
class NomenclatureIn:
    sku: str  # the seller's SKU
    barcode: str
    name: str
    brand: str
    size: str
    color: str
    category: str
    parent_sku: str | None
    price: int
    marking_required: bool


def lamoda_sku(seller_id: int, external_sku: str) -> str:
    """Lamoda's SKU for a seller's SKU: stable, and unique across sellers."""
    digest = hashlib.sha256(f"{seller_id}:{external_sku}".encode()).hexdigest().upper()
    return "MB" + digest[:14]


async def create(db: Database, seller: Seller, items: list[NomenclatureIn]) -> list[store.Nomenclature]:
    if not items:
        raise InvalidInput(
            "invalid_nomenclature", "send at least one nomenclature", {"field": "nomenclatures"}
        )
    async with db.tenant_write(seller.id) as conn:
        existing = await store.get_many(conn, seller.id, [i.sku for i in items])
        now = seller.clock.now()
        created: list[store.Nomenclature] = []
        for i, item in enumerate(items):
            if item.sku in existing or item.sku in {c.external_sku for c in created}:
                field = "sku" if len(items) == 1 else f"[{i}].sku"
                raise Conflict("duplicate_sku", f"SKU {item.sku!r} already exists", {"field": field})
            sku = lamoda_sku(seller.id, item.sku)
            created.append(
                store.Nomenclature(
                    seller_id=seller.id,
                    external_sku=item.sku,
                    sku=sku,
                    parent_sku=item.parent_sku or sku[:12],
                    name=item.name,
                    brand=item.brand,
                    color=item.color,
                    size=item.size,
                    barcode=item.barcode,
                    category=item.category,
                    price=item.price,
                    marking_required=item.marking_required,
                    fbo_stock=0,
                    created_at=now,
                    updated_at=now,
                )
            )
        await store.insert_many(conn, created)
        return created


async def page(
    db: Database,
    seller: Seller,
    page_no: int,
    limit: int,
    *,
    with_zero_stock: bool = True,
    priced_only: bool = False,
) -> tuple[list[store.Nomenclature], int]:
    async with db.read() as conn:
        return await store.page(
            conn, seller.id, page_no, limit, with_zero_stock=with_zero_stock, priced_only=priced_only
        )


async def categories(db: Database, seller: Seller) -> list[str]:
    """The categories the seller's nomenclature uses (what Lamoda maps to its own tree)."""
    async with db.read() as conn:
        return await store.categories(conn, seller.id)


async def stock_summary(db: Database, seller: Seller) -> tuple[int, int, int]:
    async with db.read() as conn:
        return await store.stock_summary(conn, seller.id)


async def track_order(db: Database, tracking_id: str) -> Order:
    """Public tracking by the order number without prefix (or with it)."""
    async with db.read() as conn:
        order = await order_store.get_order_any_seller(conn, tracking_id)
        if order is None and not tracking_id[:2].isalpha():
            order = await order_store.get_order_any_seller(conn, "RU" + tracking_id)
    if order is None:
        raise NotFound("tracking_not_found", f"no order with tracking id {tracking_id}")
    return order


async def track_pack(db: Database, barcode: str) -> Order:
    async with db.read() as conn:
        container = await order_store.get_pack(conn, barcode)
        order = None
        if container is not None and container.kind == "pack" and container.order_id is not None:
            order = await order_store.get_order(conn, container.seller_id, container.order_id)
    if order is None:
        raise NotFound("tracking_not_found", f"no pack with barcode {barcode}")
    return order
