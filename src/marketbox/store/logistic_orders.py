"""Logistic orders, with the per-status counters kept in the same transaction."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, Integer, Select, Text, bindparam, cast, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.logistic_orders import (
    ANY_PROBLEM,
    GROUP_OF,
    NO_PROBLEM,
    LogisticOrder,
    LogisticOrderDetails,
    LogisticOrderLine,
    LogisticOrderQuery,
    LogisticSortField,
    LogisticStatus,
    ProblemState,
    StatusGroup,
    tracking_code_for,
)
from marketbox.domain.trade_orders import ReceiverAddress
from marketbox.store.tables import Timestamp, logistic_order_counts, logistic_orders, trade_orders

lo = logistic_orders.c


def line_document(line: LogisticOrderLine) -> dict[str, Any]:
    document: dict[str, Any] = msgspec.to_builtins(line)
    return document


_decode_lines = msgspec.json.Decoder(tuple[LogisticOrderLine, ...]).decode

# Every column, with `lines` fetched as JSON text and decoded by `_decode_lines` in one call.
_COLUMNS = (*(c for c in logistic_orders.c if c.name != "lines"), cast(lo.lines, Text).label("lines"))


def _order(row: RowMapping) -> LogisticOrder:
    return LogisticOrder(
        id=row["id"],
        seller_id=row["seller_id"],
        trade_order_id=row["trade_order_id"],
        status=LogisticStatus(row["status"]),
        tracking_code=row["tracking_code"],
        handover_list_id=row["handover_list_id"],
        cut_off_date=row["cut_off_date"],
        cut_off_shifts=row["cut_off_shifts"],
        gmt_create=row["gmt_create"],
        total_length=row["total_length"],
        total_width=row["total_width"],
        total_height=row["total_height"],
        total_weight=row["total_weight"],
        lines=_decode_lines(row["lines"]),
        problem_state=ProblemState(row["problem_state"]) if row["problem_state"] else None,
        creation_error=row["creation_error"],
        deleted_at=row["deleted_at"],
    )


async def _bump_count(conn: AsyncConnection, seller_id: int, group: StatusGroup, delta: int) -> None:
    c = logistic_order_counts.c
    await conn.execute(
        update(logistic_order_counts)
        .where(c.seller_id == seller_id, c.status_group == group.value)
        .values(n=c.n + delta)
    )


async def insert_logistic_order(
    conn: AsyncConnection, order: LogisticOrder, *, explicit_id: bool = False
) -> int:
    """Store a new logistic order; its tracking code is derived from the id the database assigns."""
    values: dict[str, Any] = {
        "seller_id": order.seller_id,
        "trade_order_id": order.trade_order_id,
        "status": order.status.value,
        "status_group": order.group.value,
        "problem_state": order.problem_state.value if order.problem_state else None,
        "tracking_code": order.tracking_code or f"pending-{uuid.uuid4().hex}",
        "handover_list_id": order.handover_list_id,
        "cut_off_date": order.cut_off_date,
        "cut_off_shifts": order.cut_off_shifts,
        "gmt_create": order.gmt_create,
        "updated_at": order.gmt_create,
        "total_length": order.total_length,
        "total_width": order.total_width,
        "total_height": order.total_height,
        "total_weight": order.total_weight,
        "items_count": order.items_count,
        "total_amount": order.total_amount,
        "lines": [line_document(line) for line in order.lines],
        "creation_error": order.creation_error,
    }
    if explicit_id:
        values["id"] = order.id
    new_id: int = (await conn.execute(insert(logistic_orders).values(values).returning(lo.id))).scalar_one()
    if not order.tracking_code:
        await conn.execute(
            update(logistic_orders).where(lo.id == new_id).values(tracking_code=tracking_code_for(new_id))
        )
    await _bump_count(conn, order.seller_id, order.group, 1)
    return new_id


async def get_any(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, LogisticOrder]:
    """Logistic orders by id whoever owns them: callers decide what a foreign one may reveal."""
    if not ids:
        return {}
    rows = (await conn.execute(select(*_COLUMNS).where(lo.id.in_(list(ids))))).mappings()
    return {row["id"]: _order(row) for row in rows}


async def for_trade_orders(
    conn: AsyncConnection, seller_id: int, trade_order_ids: Sequence[int]
) -> list[LogisticOrder]:
    """The live (not deleted) logistic orders of these trade orders."""
    query = select(*_COLUMNS).where(
        lo.seller_id == seller_id, lo.trade_order_id.in_(list(trade_order_ids)), lo.deleted_at.is_(None)
    )
    rows = (await conn.execute(query.order_by(lo.id))).mappings()
    return [_order(row) for row in rows]


async def in_handover_lists(conn: AsyncConnection, list_ids: Sequence[int]) -> list[LogisticOrder]:
    rows = (
        await conn.execute(
            select(*_COLUMNS)
            .where(lo.handover_list_id.in_(list(list_ids)), lo.deleted_at.is_(None))
            .order_by(lo.id)
        )
    ).mappings()
    return [_order(row) for row in rows]


async def update_logistic_order(
    conn: AsyncConnection, before: LogisticOrder, now: datetime, **changes: Any
) -> None:
    """Apply `changes` (column values) and keep the status counters in step."""
    values = dict(changes)
    values["updated_at"] = now
    new_status = values.get("status")
    if isinstance(new_status, LogisticStatus):
        values["status"] = new_status.value
        values["status_group"] = new_status_group = GROUP_OF[new_status]
    else:
        new_status_group = before.group
    if isinstance(values.get("problem_state"), ProblemState):
        values["problem_state"] = values["problem_state"].value
    await conn.execute(update(logistic_orders).where(lo.id == before.id).values(values))
    was_live = before.deleted_at is None
    is_live = values.get("deleted_at", before.deleted_at) is None
    if was_live and (not is_live or new_status_group is not before.group):
        await _bump_count(conn, before.seller_id, before.group, -1)
    if is_live and (not was_live or new_status_group is not before.group):
        await _bump_count(conn, before.seller_id, new_status_group, 1)


def _filters(q: LogisticOrderQuery) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Which filters a query sets (the shape of its statement) and their values."""
    values: dict[str, Any] = {
        "group": q.group.value if q.group is not None else None,
        "ids": list(q.ids),
        "tracking": list(q.tracking_numbers),
        "trade_ids": list(q.trade_order_ids),
        "created_from": q.created_from,
        "created_to": q.created_to,
        "cut_off_from": q.cut_off_from,
        "cut_off_to": q.cut_off_to,
        "problem": q.problem if q.problem not in (ANY_PROBLEM, NO_PROBLEM) else None,
        "any_problem": q.problem == ANY_PROBLEM or None,
        "no_problem": q.problem == NO_PROBLEM or None,
    }
    used = {name: value for name, value in values.items() if value}
    return tuple(used), used


# Each filter as a condition on bound parameters, so a statement is built once per shape and reused.
_CONDITIONS: dict[str, Callable[[], ColumnElement[bool]]] = {
    "group": lambda: lo.status_group == bindparam("group"),
    "ids": lambda: lo.id.in_(bindparam("ids", expanding=True)),
    "tracking": lambda: lo.tracking_code.in_(bindparam("tracking", expanding=True)),
    "trade_ids": lambda: lo.trade_order_id.in_(bindparam("trade_ids", expanding=True)),
    "created_from": lambda: lo.gmt_create >= bindparam("created_from", type_=Timestamp),
    "created_to": lambda: lo.gmt_create <= bindparam("created_to", type_=Timestamp),
    "cut_off_from": lambda: lo.cut_off_date >= bindparam("cut_off_from", type_=Timestamp),
    "cut_off_to": lambda: lo.cut_off_date <= bindparam("cut_off_to", type_=Timestamp),
    "problem": lambda: lo.problem_state == bindparam("problem"),
    "any_problem": lambda: lo.problem_state.is_not(None),
    "no_problem": lambda: lo.problem_state.is_(None),
}


def _where(filters: tuple[str, ...]) -> list[ColumnElement[bool]]:
    return [
        lo.seller_id == bindparam("seller_id"),
        lo.deleted_at.is_(None),
        *(_CONDITIONS[f]() for f in filters),
    ]


_SORT_COLUMNS = {
    LogisticSortField.GMT_CREATE: lo.gmt_create,
    LogisticSortField.CUT_OFF_DATE: lo.cut_off_date,
    LogisticSortField.LOGISTIC_ORDER_ID: lo.id,
}

_DETAIL_COLUMNS = (
    trade_orders.c.buyer_name,
    trade_orders.c.buyer_country_code,
    trade_orders.c.receiver_address,
    trade_orders.c.trade_order_source,
    trade_orders.c.total_amount.label("trade_total"),
)


@functools.lru_cache(maxsize=512)
def _count_statement(filters: tuple[str, ...]) -> Select[Any]:
    if set(filters) <= {"group"}:  # kept up to date in logistic_order_counts: one row, not a count
        c = logistic_order_counts.c
        query: Select[Any] = select(func.coalesce(func.sum(c.n), 0)).where(
            c.seller_id == bindparam("seller_id")
        )
        return query.where(c.status_group == bindparam("group")) if filters else query
    return select(func.count()).select_from(logistic_orders).where(*_where(filters))


@functools.lru_cache(maxsize=512)
def _page_statement(filters: tuple[str, ...], sort_field: LogisticSortField, descending: bool) -> Select[Any]:
    column = _SORT_COLUMNS[sort_field]
    ordering = (column.desc(), lo.id.desc()) if descending else (column.asc(), lo.id.asc())
    page_ids = (
        select(lo.id)
        .where(*_where(filters))
        .order_by(*ordering)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    total = _count_statement(filters).scalar_subquery().label("total_matching")
    return (
        select(*_COLUMNS, *_DETAIL_COLUMNS, total)
        .join(page_ids, page_ids.c.id == lo.id)
        .join(trade_orders, trade_orders.c.id == lo.trade_order_id)
        .order_by(*ordering)
    )


async def page(
    conn: AsyncConnection, seller_id: int, q: LogisticOrderQuery
) -> tuple[list[LogisticOrderDetails], int]:
    """One page and the total matching, in a single statement (one round trip, one snapshot)."""
    filters, params = _filters(q)
    params.update(seller_id=seller_id, limit=q.page_size, offset=(q.page - 1) * q.page_size)
    statement = _page_statement(filters, q.sort_field, q.descending)
    rows = (await conn.execute(statement, params)).mappings().all()
    if not rows:
        return [], int((await conn.execute(_count_statement(filters), params)).scalar_one())
    details = [
        LogisticOrderDetails(
            order=_order(row),
            buyer_name=row["buyer_name"],
            buyer_country_code=row["buyer_country_code"],
            receiver_address=ReceiverAddress(**row["receiver_address"]),
            trade_order_source=row["trade_order_source"],
            trade_order_total=row["trade_total"],
        )
        for row in rows
    ]
    return details, int(rows[0]["total_matching"])
