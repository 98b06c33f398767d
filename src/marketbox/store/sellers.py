"""Sellers, their credentials and catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.clock import TenantClock
from marketbox.domain.logistic_orders import StatusGroup
from marketbox.domain.marking_codes import MarkingPolicy
from marketbox.domain.sellers import Product, Seller, SellerCredentials
from marketbox.store.tables import logistic_order_counts, products, sellers


def _seller(row: RowMapping) -> Seller:
    return Seller(
        id=row["id"],
        name=row["name"],
        created_at=row["created_at"],
        clock=TenantClock(timedelta(seconds=row["clock_offset_seconds"]), row["clock_frozen_at"]),
        revision=row["data_version"],
    )


async def insert_seller(
    conn: AsyncConnection,
    name: str,
    created_at: datetime,
    credentials: SellerCredentials,
    seller_id: int | None = None,
) -> Seller:
    values: dict[str, object] = {
        "name": name,
        "created_at": created_at,
        "clock_offset_seconds": 0.0,
        "aliexpress_token": credentials.aliexpress_token,
        "lamoda_client_id": credentials.lamoda_client_id,
        "lamoda_client_secret": credentials.lamoda_client_secret,
    }
    if seller_id is not None:
        values["id"] = seller_id
    new_id = (await conn.execute(insert(sellers).values(values).returning(sellers.c.id))).scalar_one()
    await seed_status_counts(conn, new_id)
    return Seller(id=new_id, name=name, created_at=created_at, clock=TenantClock())


async def seed_status_counts(conn: AsyncConnection, seller_id: int) -> None:
    """What every new (or emptied) seller starts with: a zero counter per logistic status group."""
    await conn.execute(
        insert(logistic_order_counts),
        [{"seller_id": seller_id, "status_group": g.value, "n": 0} for g in StatusGroup],
    )


async def get_seller(conn: AsyncConnection, seller_id: int) -> Seller | None:
    row = (await conn.execute(select(sellers).where(sellers.c.id == seller_id))).mappings().first()
    return _seller(row) if row else None


async def seller_by_aliexpress_token(conn: AsyncConnection, token: str) -> Seller | None:
    row = (await conn.execute(select(sellers).where(sellers.c.aliexpress_token == token))).mappings().first()
    return _seller(row) if row else None


async def seller_by_lamoda_client(
    conn: AsyncConnection, client_id: str
) -> tuple[Seller, SellerCredentials] | None:
    row = (
        (await conn.execute(select(sellers).where(sellers.c.lamoda_client_id == client_id)))
        .mappings()
        .first()
    )
    return (_seller(row), _credentials(row)) if row else None


def _credentials(row: RowMapping) -> SellerCredentials:
    return SellerCredentials(row["aliexpress_token"], row["lamoda_client_id"], row["lamoda_client_secret"])


async def credentials_of(conn: AsyncConnection, seller_id: int) -> SellerCredentials | None:
    row = (await conn.execute(select(sellers).where(sellers.c.id == seller_id))).mappings().first()
    return _credentials(row) if row else None


async def list_sellers(conn: AsyncConnection) -> list[tuple[Seller, SellerCredentials]]:
    rows = (await conn.execute(select(sellers).order_by(sellers.c.id))).mappings().all()
    return [(_seller(row), _credentials(row)) for row in rows]


async def set_clock(conn: AsyncConnection, seller_id: int, clock: TenantClock) -> None:
    await conn.execute(
        update(sellers)
        .where(sellers.c.id == seller_id)
        .values(clock_offset_seconds=clock.offset.total_seconds(), clock_frozen_at=clock.frozen_at)
    )


async def marking_of(conn: AsyncConnection, seller_id: int) -> MarkingPolicy | None:
    """The seller's marking policy (None: no such seller)."""
    found = (await conn.execute(select(sellers.c.marking).where(sellers.c.id == seller_id))).scalar()
    return MarkingPolicy(found) if found is not None else None


async def set_marking(conn: AsyncConnection, seller_id: int, policy: MarkingPolicy) -> None:
    await conn.execute(update(sellers).where(sellers.c.id == seller_id).values(marking=policy.value))


async def delete_seller(conn: AsyncConnection, seller_id: int) -> bool:
    result = await conn.execute(delete(sellers).where(sellers.c.id == seller_id))
    return result.rowcount > 0


def _product(row: RowMapping) -> Product:
    return Product(
        seller_id=row["seller_id"],
        sku_id=row["sku_id"],
        item_id=row["item_id"],
        name=row["name"],
        item_price=row["item_price"],
        currency=row["currency"],
        img_url=row["img_url"],
        properties=tuple(row["properties"]),
        marking_required=row["marking_required"],
        jewelry=row["jewelry"],
    )


async def get_products(conn: AsyncConnection, seller_id: int, sku_ids: Iterable[int]) -> dict[int, Product]:
    rows = (
        await conn.execute(
            select(products).where(products.c.seller_id == seller_id, products.c.sku_id.in_(list(sku_ids)))
        )
    ).mappings()
    return {row["sku_id"]: _product(row) for row in rows}


async def insert_products(conn: AsyncConnection, new: Iterable[Product]) -> None:
    rows = [
        {
            "seller_id": p.seller_id,
            "sku_id": p.sku_id,
            "item_id": p.item_id,
            "name": p.name,
            "item_price": p.item_price,
            "currency": p.currency,
            "img_url": p.img_url,
            "properties": list(p.properties),
            "marking_required": p.marking_required,
            "jewelry": p.jewelry,
        }
        for p in new
    ]
    if rows:
        await conn.execute(insert(products), rows)
