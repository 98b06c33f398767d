"""FBS return items and return boxes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.lamoda_returns import BoxStatus, ReturnBox, ReturnItem, ReturnStatus
from marketbox.store.tables import lamoda_return_boxes, lamoda_return_items

R = lamoda_return_items.c
B = lamoda_return_boxes.c


def _item(row: RowMapping) -> ReturnItem:
    return ReturnItem(
        id=row["id"],
        seller_id=row["seller_id"],
        order_id=row["order_id"],
        order_item_id=row["order_item_id"],
        box_id=row["box_id"],
        return_type=row["return_type"],
        status=ReturnStatus(row["status"]),
        reason=row["reason"],
        return_date=row["return_date"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        history=tuple((datetime.fromisoformat(at), status) for at, status in row["history"]),
    )


def _box(row: RowMapping) -> ReturnBox:
    return ReturnBox(
        row["id"],
        row["seller_id"],
        row["barcode"],
        BoxStatus(row["status"]),
        row["created_at"],
        row["updated_at"],
    )


async def insert_return(
    conn: AsyncConnection,
    seller_id: int,
    order_id: int,
    order_item_id: int,
    return_type: str,
    reason: str | None,
    now: datetime,
) -> None:
    await conn.execute(
        insert(lamoda_return_items).values(
            seller_id=seller_id,
            order_id=order_id,
            order_item_id=order_item_id,
            box_id=None,
            return_type=return_type,
            status=ReturnStatus.CREATED.value,
            reason=reason,
            return_date=now,
            history=[[now.isoformat(), ReturnStatus.CREATED.value]],
            created_at=now,
            updated_at=now,
        )
    )


async def open_return_of_item(conn: AsyncConnection, order_item_id: int) -> ReturnItem | None:
    row = (
        (
            await conn.execute(
                select(lamoda_return_items)
                .where(R.order_item_id == order_item_id, R.status == ReturnStatus.CREATED.value)
                .order_by(R.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    return _item(row) if row else None


async def set_return_status(
    conn: AsyncConnection, item: ReturnItem, status: ReturnStatus, now: datetime, box_id: int | None = None
) -> None:
    values: dict[str, Any] = {
        "status": status.value,
        "updated_at": now,
        "history": [[at.isoformat(), s] for at, s in item.history] + [[now.isoformat(), status.value]],
    }
    if box_id is not None:
        values["box_id"] = box_id
    await conn.execute(update(lamoda_return_items).where(R.id == item.id).values(**values))


@dataclass(frozen=True)
class ReturnQuery:
    seller_id: int
    updated_from: datetime | None = None
    order_id: int | None = None
    return_from: datetime | None = None
    return_to: datetime | None = None
    box_id: int | None = None
    page: int = 1
    limit: int = 20


async def return_page(conn: AsyncConnection, q: ReturnQuery) -> tuple[list[ReturnItem], int]:
    where = [R.seller_id == q.seller_id]
    if q.updated_from is not None:
        where.append(R.updated_at >= q.updated_from)
    if q.order_id is not None:
        where.append(R.order_id == q.order_id)
    if q.return_from is not None:
        where.append(R.return_date >= q.return_from)
    if q.return_to is not None:
        where.append(R.return_date <= q.return_to)
    if q.box_id is not None:
        where.append(R.box_id == q.box_id)
    total = (
        await conn.execute(select(func.count()).select_from(lamoda_return_items).where(*where))
    ).scalar_one()
    rows = await conn.execute(
        select(lamoda_return_items).where(*where).order_by(R.id).offset((q.page - 1) * q.limit).limit(q.limit)
    )
    return [_item(r) for r in rows.mappings()], int(total)


async def get_return(conn: AsyncConnection, seller_id: int, return_id: int) -> ReturnItem | None:
    row = (
        (await conn.execute(select(lamoda_return_items).where(R.id == return_id, R.seller_id == seller_id)))
        .mappings()
        .first()
    )
    return _item(row) if row else None


async def open_box_since(conn: AsyncConnection, seller_id: int, since: datetime) -> ReturnBox | None:
    row = (
        (
            await conn.execute(
                select(lamoda_return_boxes)
                .where(
                    B.seller_id == seller_id,
                    B.status == BoxStatus.SENT_TO_SELLER.value,
                    B.created_at >= since,
                )
                .order_by(B.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    return _box(row) if row else None


async def insert_box(conn: AsyncConnection, seller_id: int, now: datetime) -> ReturnBox:
    box_id: int = (
        await conn.execute(
            insert(lamoda_return_boxes)
            .values(
                seller_id=seller_id,
                barcode=f"pending-{now.timestamp()}-{seller_id}",
                status=BoxStatus.SENT_TO_SELLER.value,
                created_at=now,
                updated_at=now,
            )
            .returning(B.id)
        )
    ).scalar_one()
    barcode = f"RB{box_id:010d}"
    await conn.execute(update(lamoda_return_boxes).where(B.id == box_id).values(barcode=barcode))
    return ReturnBox(box_id, seller_id, barcode, BoxStatus.SENT_TO_SELLER, now, now)


async def get_box(conn: AsyncConnection, seller_id: int, box_id: int) -> ReturnBox | None:
    row = (
        (await conn.execute(select(lamoda_return_boxes).where(B.id == box_id, B.seller_id == seller_id)))
        .mappings()
        .first()
    )
    return _box(row) if row else None


async def box_page(
    conn: AsyncConnection, seller_id: int, page: int, limit: int
) -> tuple[list[ReturnBox], int]:
    total = (
        await conn.execute(
            select(func.count()).select_from(lamoda_return_boxes).where(B.seller_id == seller_id)
        )
    ).scalar_one()
    rows = await conn.execute(
        select(lamoda_return_boxes)
        .where(B.seller_id == seller_id)
        .order_by(B.id.desc())
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return [_box(r) for r in rows.mappings()], int(total)


async def set_box_status(conn: AsyncConnection, box_id: int, status: BoxStatus, now: datetime) -> None:
    await conn.execute(
        update(lamoda_return_boxes).where(B.id == box_id).values(status=status.value, updated_at=now)
    )


async def box_counts(conn: AsyncConnection, box_ids: list[int]) -> dict[int, int]:
    if not box_ids:
        return {}
    rows = await conn.execute(select(R.box_id, func.count()).where(R.box_id.in_(box_ids)).group_by(R.box_id))
    return {int(b): int(n) for b, n in rows.all()}
