"""The seller's Lamoda nomenclature (catalogue) and its FBO stock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.store.tables import lamoda_nomenclatures

N = lamoda_nomenclatures.c


@dataclass(frozen=True)
class Nomenclature:
    seller_id: int
    external_sku: str  # the seller's SKU
    sku: str  # Lamoda's SKU
    parent_sku: str
    name: str
    brand: str
    color: str
    size: str
    barcode: str  # EAN-13
    category: str
    price: int  # kopecks
    marking_required: bool
    fbo_stock: int
    created_at: datetime
    updated_at: datetime


def _row(row: RowMapping) -> Nomenclature:
    return Nomenclature(**{name: row[name] for name in Nomenclature.__dataclass_fields__})


async def get_many(
    conn: AsyncConnection, seller_id: int, external_skus: Iterable[str]
) -> dict[str, Nomenclature]:
    wanted = list(set(external_skus))
    if not wanted:
        return {}
    rows = await conn.execute(
        select(lamoda_nomenclatures).where(N.seller_id == seller_id, N.external_sku.in_(wanted))
    )
    return {r["external_sku"]: _row(r) for r in rows.mappings()}


async def insert_many(conn: AsyncConnection, items: Iterable[Nomenclature]) -> None:
    rows = [{name: getattr(n, name) for name in Nomenclature.__dataclass_fields__} for n in items]
    if rows:
        await conn.execute(insert(lamoda_nomenclatures), rows)


async def page(
    conn: AsyncConnection,
    seller_id: int,
    page_no: int,
    limit: int,
    *,
    with_zero_stock: bool = True,
    priced_only: bool = False,
) -> tuple[list[Nomenclature], int]:
    where = [N.seller_id == seller_id]
    if not with_zero_stock:
        where.append(N.fbo_stock > 0)
    if priced_only:
        where.append(N.price > 0)
    total = (
        await conn.execute(select(func.count()).select_from(lamoda_nomenclatures).where(*where))
    ).scalar_one()
    rows = await conn.execute(
        select(lamoda_nomenclatures)
        .where(*where)
        .order_by(N.external_sku)
        .offset((page_no - 1) * limit)
        .limit(limit)
    )
    return [_row(r) for r in rows.mappings()], int(total)


async def stock_summary(conn: AsyncConnection, seller_id: int) -> tuple[int, int, int]:
    """(SKUs, SKUs in stock, units in stock) at Lamoda's FBO warehouse."""
    row = (
        await conn.execute(
            select(
                func.count(),
                func.count().filter(N.fbo_stock > 0),
                func.coalesce(func.sum(N.fbo_stock), 0),
            ).where(N.seller_id == seller_id)
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def add_stock(
    conn: AsyncConnection, seller_id: int, external_sku: str, units: int, now: datetime
) -> None:
    await conn.execute(
        update(lamoda_nomenclatures)
        .where(N.seller_id == seller_id, N.external_sku == external_sku)
        .values(fbo_stock=N.fbo_stock + units, updated_at=now)
    )


async def categories(conn: AsyncConnection, seller_id: int) -> list[str]:
    """The distinct non-empty categories of the seller's nomenclature, sorted."""
    rows = await conn.execute(
        select(N.category).where(N.seller_id == seller_id, N.category != "").distinct().order_by(N.category)
    )
    return [str(c) for c in rows.scalars()]
