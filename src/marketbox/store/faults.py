"""Fault rules of each seller, and the atomic spending of a rule's faults."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.faults import Action, FaultRule, FaultSpec, When
from marketbox.store.tables import fault_rules, sellers


def _rule(row: RowMapping) -> FaultRule:
    return FaultRule(
        id=row["id"],
        seller_id=row["seller_id"],
        spec=FaultSpec(
            method=row["method"],
            path=row["path"],
            action=Action(row["action"]),
            latency_ms=row["latency_ms"],
            status=row["status"],
            retry_after=row["retry_after"],
            when=When(row["error_when"]) if row["error_when"] else None,
            count=row["count"],
            probability=float(row["probability"]),
        ),
        remaining=row["remaining"],
        hits=row["hits"],
        created_at=row["created_at"],
    )


async def insert_rule(
    conn: AsyncConnection, seller_id: int, spec: FaultSpec, created_at: datetime
) -> FaultRule:
    row = (
        (
            await conn.execute(
                insert(fault_rules)
                .values(
                    seller_id=seller_id,
                    method=spec.method,
                    path=spec.path,
                    action=spec.action.value,
                    latency_ms=spec.latency_ms,
                    status=spec.status,
                    retry_after=spec.retry_after,
                    error_when=spec.when.value if spec.when else None,
                    count=spec.count,
                    remaining=spec.count,
                    probability=spec.probability,
                    hits=0,
                    created_at=created_at,
                )
                .returning(*fault_rules.c)
            )
        )
        .mappings()
        .one()
    )
    return _rule(row)


async def rules_of(conn: AsyncConnection, seller_id: int) -> list[FaultRule]:
    rows = await conn.execute(
        select(fault_rules).where(fault_rules.c.seller_id == seller_id).order_by(fault_rules.c.id)
    )
    return [_rule(row) for row in rows.mappings()]


async def count_rules(conn: AsyncConnection, seller_id: int) -> int:
    query = select(func.count()).select_from(fault_rules).where(fault_rules.c.seller_id == seller_id)
    return int((await conn.execute(query)).scalar_one())


async def live_rules(conn: AsyncConnection, seller_id: int) -> tuple[int, list[FaultRule]] | None:
    """The seller's data version and its unspent rules, read by one statement (so they agree);
    None when there is no such seller."""
    live = (fault_rules.c.seller_id == sellers.c.id) & (
        fault_rules.c.remaining.is_(None) | (fault_rules.c.remaining > 0)
    )
    query = (
        select(sellers.c.data_version.label("data_version"), fault_rules)
        .select_from(sellers.outerjoin(fault_rules, live))
        .where(sellers.c.id == seller_id)
        .order_by(fault_rules.c.id)
    )
    rows = (await conn.execute(query)).mappings().all()
    if not rows:
        return None
    return rows[0]["data_version"], [_rule(row) for row in rows if row["id"] is not None]


async def spend(conn: AsyncConnection, rule_id: int) -> tuple[bool, int | None]:
    """Count one fault of the rule: whether it still had one (a spent or deleted rule has none), and
    what remains. One statement, so processes racing for a rule's last fault cannot both get it."""
    row = (
        await conn.execute(
            update(fault_rules)
            .where(
                fault_rules.c.id == rule_id,
                fault_rules.c.remaining.is_(None) | (fault_rules.c.remaining > 0),
            )
            .values(hits=fault_rules.c.hits + 1, remaining=fault_rules.c.remaining - 1)
            .returning(fault_rules.c.remaining)
        )
    ).first()
    return (False, None) if row is None else (True, row[0])


async def delete_rule(conn: AsyncConnection, seller_id: int, rule_id: int) -> bool:
    result = await conn.execute(
        delete(fault_rules).where(fault_rules.c.seller_id == seller_id, fault_rules.c.id == rule_id)
    )
    return result.rowcount > 0


async def delete_rules(conn: AsyncConnection, seller_id: int) -> int:
    result = await conn.execute(delete(fault_rules).where(fault_rules.c.seller_id == seller_id))
    return int(result.rowcount)
