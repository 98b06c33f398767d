"""Handover lists; their members are the logistic orders pointing at them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.handover_lists import HandoverList, HandoverListQuery, HandoverStatus, ShipmentType
from marketbox.store.tables import handover_lists, logistic_orders

hl = handover_lists.c


async def _members(conn: AsyncConnection, list_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    rows = await conn.execute(
        select(logistic_orders.c.handover_list_id, logistic_orders.c.id)
        .where(logistic_orders.c.handover_list_id.in_(list(list_ids)), logistic_orders.c.deleted_at.is_(None))
        .order_by(logistic_orders.c.id)
    )
    members: dict[int, list[int]] = {i: [] for i in list_ids}
    for list_id, lo_id in rows:
        members[list_id].append(lo_id)
    return {k: tuple(v) for k, v in members.items()}


def _list(row: RowMapping, members: tuple[int, ...]) -> HandoverList:
    return HandoverList(
        id=row["id"],
        seller_id=row["seller_id"],
        status=HandoverStatus(row["status"]),
        shipment_type=ShipmentType(row["shipment_type"]),
        arrival_date=row["arrival_date"],
        gmt_create=row["gmt_create"],
        logistic_order_ids=members,
    )


async def insert_handover_list(
    conn: AsyncConnection,
    seller_id: int,
    shipment_type: ShipmentType,
    arrival_date: datetime | None,
    now: datetime,
) -> int:
    new_id: int = (
        await conn.execute(
            insert(handover_lists)
            .values(
                seller_id=seller_id,
                status=HandoverStatus.CREATED.value,
                shipment_type=shipment_type.value,
                arrival_date=arrival_date,
                gmt_create=now,
                updated_at=now,
            )
            .returning(hl.id)
        )
    ).scalar_one()
    return new_id


async def get_any(conn: AsyncConnection, list_id: int, *, for_update: bool = False) -> HandoverList | None:
    query = select(handover_lists).where(hl.id == list_id)
    if for_update:
        query = query.with_for_update()
    row = (await conn.execute(query)).mappings().first()
    if row is None:
        return None
    return _list(row, (await _members(conn, [list_id]))[list_id])


async def set_status(conn: AsyncConnection, list_id: int, status: HandoverStatus, now: datetime) -> None:
    await conn.execute(
        update(handover_lists).where(hl.id == list_id).values(status=status.value, updated_at=now)
    )


def _conditions(seller_id: int, q: HandoverListQuery) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = [hl.seller_id == seller_id]
    if q.statuses:
        cond.append(hl.status.in_([s.value for s in q.statuses]))
    if q.ids:
        cond.append(hl.id.in_(list(q.ids)))
    if q.logistic_order_ids:
        cond.append(
            hl.id.in_(
                select(logistic_orders.c.handover_list_id).where(
                    logistic_orders.c.id.in_(list(q.logistic_order_ids)),
                    logistic_orders.c.seller_id == seller_id,
                )
            )
        )
    if q.created_from is not None:
        cond.append(hl.gmt_create >= q.created_from)
    if q.created_to is not None:
        cond.append(hl.gmt_create <= q.created_to)
    return cond


async def list_page(
    conn: AsyncConnection, seller_id: int, q: HandoverListQuery
) -> tuple[list[HandoverList], int]:
    cond = _conditions(seller_id, q)
    total = (await conn.execute(select(func.count()).select_from(handover_lists).where(*cond))).scalar_one()
    ordering: list[Any] = []
    if q.arrival_date_descending is not None:
        arrival = hl.arrival_date.desc() if q.arrival_date_descending else hl.arrival_date.asc()
        ordering.append(arrival.nulls_last())  # lists without a date last, on every backend
    if q.gmt_create_descending is not None:
        ordering.append(hl.gmt_create.desc() if q.gmt_create_descending else hl.gmt_create.asc())
    ordering.append(hl.id.desc())
    rows = (
        (
            await conn.execute(
                select(handover_lists)
                .where(*cond)
                .order_by(*ordering)
                .limit(q.page_size)
                .offset((q.page_number - 1) * q.page_size)
            )
        )
        .mappings()
        .all()
    )
    members = await _members(conn, [row["id"] for row in rows])
    return [_list(row, members[row["id"]]) for row in rows], total
