"""Webhook endpoints, the notification outbox (events), deliveries (messages) and their attempts."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Integer,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from marketbox.domain.clock import TenantClock
from marketbox.domain.notifications import Event, MessageStatus
from marketbox.domain.webhook_faults import NO_FAULTS, DeliveryFaults
from marketbox.store.tables import (
    sellers,
    webhook_attempts,
    webhook_endpoints,
    webhook_events,
    webhook_messages,
)

EP = webhook_endpoints.c
EV = webhook_events.c
M = webhook_messages.c
A = webhook_attempts.c


@dataclass(frozen=True)
class Endpoint:
    id: str
    seller_id: int
    url: str
    types: tuple[str, ...] | None
    secret: str
    previous_secret: str | None
    previous_secret_until: datetime | None
    disabled_at: datetime | None
    created_at: datetime
    faults: DeliveryFaults = NO_FAULTS

    def wants(self, event_type: str) -> bool:
        return self.disabled_at is None and (self.types is None or event_type in self.types)


def _endpoint(row: RowMapping) -> Endpoint:
    types = row["types"]
    return Endpoint(
        row["id"],
        row["seller_id"],
        row["url"],
        tuple(types) if types is not None else None,
        row["secret"],
        row["previous_secret"],
        row["previous_secret_until"],
        row["disabled_at"],
        row["created_at"],
        _faults(
            row["fault_duplicate"], row["fault_reorder"], row["fault_delay_ms"], row["fault_stale_seconds"]
        ),
    )


def _faults(duplicate: float, reorder: bool, delay_ms: int, stale_seconds: int) -> DeliveryFaults:
    return DeliveryFaults(float(duplicate), bool(reorder), int(delay_ms), int(stale_seconds))


async def set_faults(conn: AsyncConnection, endpoint_id: str, faults: DeliveryFaults) -> None:
    await conn.execute(
        update(webhook_endpoints)
        .where(EP.id == endpoint_id)
        .values(
            fault_duplicate=faults.duplicate,
            fault_reorder=faults.reorder,
            fault_delay_ms=faults.delay_ms,
            fault_stale_seconds=faults.stale_seconds,
        )
    )


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


async def insert_endpoint(
    conn: AsyncConnection, seller_id: int, url: str, types: Sequence[str] | None, secret: str, now: datetime
) -> Endpoint:
    endpoint_id = new_id("ep")
    await conn.execute(
        insert(webhook_endpoints).values(
            id=endpoint_id,
            seller_id=seller_id,
            url=url,
            types=list(types) if types is not None else None,
            secret=secret,
            created_at=now,
        )
    )
    found = await get_endpoint(conn, seller_id, endpoint_id)
    assert found is not None
    return found


async def get_endpoint(conn: AsyncConnection, seller_id: int, endpoint_id: str) -> Endpoint | None:
    row = (
        (await conn.execute(select(webhook_endpoints).where(EP.id == endpoint_id, EP.seller_id == seller_id)))
        .mappings()
        .first()
    )
    return _endpoint(row) if row else None


async def endpoints_of(conn: AsyncConnection, seller_id: int) -> list[Endpoint]:
    rows = await conn.execute(
        select(webhook_endpoints).where(EP.seller_id == seller_id).order_by(EP.created_at, EP.id)
    )
    return [_endpoint(r) for r in rows.mappings()]


async def delete_endpoint(conn: AsyncConnection, seller_id: int, endpoint_id: str) -> bool:
    result = await conn.execute(
        delete(webhook_endpoints).where(EP.id == endpoint_id, EP.seller_id == seller_id)
    )
    return bool(result.rowcount)


async def rotate_secret(
    conn: AsyncConnection, endpoint: Endpoint, secret: str, previous_until: datetime
) -> None:
    await conn.execute(
        update(webhook_endpoints)
        .where(EP.id == endpoint.id)
        .values(secret=secret, previous_secret=endpoint.secret, previous_secret_until=previous_until)
    )


async def disable_endpoint_of(conn: AsyncConnection, message_id: int, now: datetime) -> None:
    """Disable the endpoint a delivery went to, when it went to the endpoint's own URL."""
    row = (await conn.execute(select(M.endpoint_id, M.url).where(M.id == message_id))).first()
    if row is not None:
        await conn.execute(
            update(webhook_endpoints)
            .where(EP.id == row[0], EP.url == row[1], EP.disabled_at.is_(None))
            .values(disabled_at=now)
        )


# PostgreSQL writes the events and their deliveries in one statement: a notification adds one round
# trip to the write that causes it, not three.
_EMIT_PG = text(
    """
    WITH ev AS (
        INSERT INTO webhook_events (id, seller_id, type, tracking_id, sequence_number, payload, created_at)
        SELECT e.id, CAST(:seller_id AS BIGINT), e.type, e.tracking_id, e.sequence_number, e.payload,
            CAST(:now AS TIMESTAMPTZ)
        FROM unnest(
            CAST(:ids AS VARCHAR[]), CAST(:types AS VARCHAR[]), CAST(:tracking_ids AS VARCHAR[]),
            CAST(:sequence_numbers AS BIGINT[]), CAST(:payloads AS JSON[])
        ) AS e(id, type, tracking_id, sequence_number, payload)
        RETURNING id, type, tracking_id, sequence_number
    )
    INSERT INTO webhook_messages (
        event_id, seller_id, endpoint_id, url, tracking_id, sequence_number, status, attempts, due_at,
        created_at, updated_at
    )
    SELECT ev.id, ep.seller_id, ep.id, ep.url, ev.tracking_id, ev.sequence_number, 'pending', 0,
        CAST(:real_now AS TIMESTAMPTZ), CAST(:now AS TIMESTAMPTZ), CAST(:now AS TIMESTAMPTZ)
    FROM ev JOIN webhook_endpoints AS ep
        ON ep.seller_id = CAST(:seller_id AS BIGINT) AND ep.disabled_at IS NULL
        AND (ep.types IS NULL OR json_typeof(ep.types) = 'null'
             OR CAST(ep.types AS JSONB) @> to_jsonb(ev.type))
    ORDER BY array_position(CAST(:ids AS VARCHAR[]), ev.id), ep.created_at, ep.id
    """
)


async def insert_events(
    conn: AsyncConnection, seller_id: int, events: Sequence[Event], now: datetime, real_now: datetime
) -> list[str]:
    """Write the events and one pending delivery per interested endpoint; returns the event ids."""
    if not events:
        return []
    ids = [new_id("msg") for _ in events]
    if conn.dialect.name == "postgresql":
        await conn.execute(
            _EMIT_PG,
            {
                "seller_id": seller_id,
                "now": now,
                "real_now": real_now,
                "ids": ids,
                "types": [e.type.value for e in events],
                "tracking_ids": [e.tracking_id for e in events],
                "sequence_numbers": [e.sequence_number for e in events],
                "payloads": [msgspec.json.encode(e.payload).decode() for e in events],
            },
        )
        return ids
    endpoints = await endpoints_of(conn, seller_id)
    await conn.execute(
        insert(webhook_events),
        [
            {
                "id": event_id,
                "seller_id": seller_id,
                "type": e.type.value,
                "tracking_id": e.tracking_id,
                "sequence_number": e.sequence_number,
                "payload": e.payload,
                "created_at": now,
            }
            for event_id, e in zip(ids, events, strict=True)
        ],
    )
    deliveries = [
        _delivery(event_id, seller_id, ep.id, ep.url, e.tracking_id, e.sequence_number, now, real_now)
        for event_id, e in zip(ids, events, strict=True)
        for ep in endpoints
        if ep.wants(e.type.value)
    ]
    if deliveries:
        await conn.execute(insert(webhook_messages), deliveries)
    return ids


def _delivery(
    event_id: str,
    seller_id: int,
    endpoint_id: str,
    url: str,
    tracking_id: str | None,
    sequence_number: int,
    now: datetime,
    real_now: datetime,
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "seller_id": seller_id,
        "endpoint_id": endpoint_id,
        "url": url,
        "tracking_id": tracking_id,
        "sequence_number": sequence_number,
        "status": MessageStatus.PENDING.value,
        "attempts": 0,
        "due_at": real_now,
        "lease_until": None,
        "created_at": now,
        "updated_at": now,
    }


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker holds: where to send what (the event's JSON as stored), signed with which
    secrets."""

    id: int
    event_id: str
    seller_id: int
    endpoint_id: str
    url: str
    attempts: int
    body: str
    secrets: tuple[str, ...]
    clock: TenantClock  # the seller's, as it was when claimed
    faults: DeliveryFaults = NO_FAULTS


# Inline, not a parameter: a prepared statement's generic plan can use the partial index of pending
# deliveries only when the status in the query is a constant the planner sees.
PENDING: ColumnElement[str] = literal_column(f"'{MessageStatus.PENDING.value}'")


def _due(m: Any) -> list[ColumnElement[bool]]:
    now: BindParameter[datetime] = bindparam("now")
    # A stopped tenant clock stands at a real instant (TenantClock.real_now): nothing of the tenant
    # falls due after it until the clock moves.
    stopped = exists().where(
        sellers.c.id == m.c.seller_id,
        sellers.c.clock_frozen_at.is_not(None),
        sellers.c.clock_frozen_at < m.c.due_at,
    )
    return [
        m.c.status == PENDING,
        m.c.due_at <= now,
        m.c.lease_until.is_(None) | (m.c.lease_until < now),
        ~stopped,
    ]


# A worker runs these many times a second: they are built once (building one costs as much as
# running it), with the time, the batch size and the lease as parameters.
@functools.cache
def _has_due_statement() -> Select[tuple[int]]:
    return select(M.id).where(*_due(webhook_messages)).limit(1)


@functools.cache
def _claim_statements(postgresql: bool) -> tuple[Executable, Select[Any] | None]:
    """(the claim, and on SQLite the query of what was claimed: it has no UPDATE inside WITH)."""
    due = aliased(webhook_messages)
    earlier = aliased(webhook_messages)
    blocked = exists().where(
        earlier.c.endpoint_id == due.c.endpoint_id,
        earlier.c.tracking_id == due.c.tracking_id,
        earlier.c.status == PENDING,
        earlier.c.sequence_number < due.c.sequence_number,
    )
    live = exists().where(EP.id == due.c.endpoint_id, EP.disabled_at.is_(None))
    reordered = exists().where(EP.id == due.c.endpoint_id, EP.fault_reorder.is_(True))
    candidates = (
        select(due.c.id)
        .where(*_due(due), live, ~and_(due.c.tracking_id.is_not(None), blocked, ~reordered))
        .order_by(due.c.due_at, due.c.id)
        .limit(bindparam("limit", type_=Integer))
    )
    if postgresql:
        candidates = candidates.with_for_update(of=due, skip_locked=True)
    take = (
        update(webhook_messages)
        .where(M.id.in_(candidates.scalar_subquery()))
        .values(lease_until=bindparam("lease_until"))
        .returning(M.id, M.event_id, M.seller_id, M.endpoint_id, M.url, M.attempts)
    )
    details = (
        cast(EV.payload, Text),
        EP.secret,
        EP.previous_secret,
        EP.previous_secret_until,
        sellers.c.clock_offset_seconds,
        sellers.c.clock_frozen_at,
        EP.fault_duplicate,
        EP.fault_reorder,
        EP.fault_delay_ms,
        EP.fault_stale_seconds,
    )
    if postgresql:
        taken = take.cte("taken")
        query = (
            select(
                taken.c.id,
                taken.c.event_id,
                taken.c.seller_id,
                taken.c.endpoint_id,
                taken.c.url,
                taken.c.attempts,
                *details,
            )
            .join_from(taken, webhook_events, EV.id == taken.c.event_id)
            .join(webhook_endpoints, EP.id == taken.c.endpoint_id)
            .join(sellers, sellers.c.id == EP.seller_id)
        )
        return query, None
    query = (
        select(M.id, M.event_id, M.seller_id, M.endpoint_id, M.url, M.attempts, *details)
        .join(webhook_events, EV.id == M.event_id)
        .join(webhook_endpoints, EP.id == M.endpoint_id)
        .join(sellers, sellers.c.id == EP.seller_id)
        .where(M.id.in_(bindparam("ids", expanding=True)))
    )
    return take, query


async def has_due(conn: AsyncConnection, real_now: datetime) -> bool:
    """Whether any delivery is waiting to be claimed: an idle worker asks this before it writes."""
    return (await conn.execute(_has_due_statement(), {"now": real_now})).first() is not None


async def claim_due(conn: AsyncConnection, real_now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Take up to `limit` due deliveries whose endpoint is live and that no earlier delivery about the
    same order to the same endpoint is still waiting for (notifications of an order arrive in order).

    The due rows are read in (due_at, id) order from a partial index of pending deliveries, so the
    query stops at `limit` however long the backlog is. On PostgreSQL, where workers skip each other's
    locked rows, the claim is one statement, so a worker can run it outside a transaction: one round
    trip."""
    claim, claimed_query = _claim_statements(conn.dialect.name == "postgresql")
    params = {"now": real_now, "limit": limit, "lease_until": real_now + lease}
    if claimed_query is None:
        rows = (await conn.execute(claim, params)).all()
    else:
        ids = list((await conn.execute(claim, params)).scalars().all())
        if not ids:
            return []
        rows = (await conn.execute(claimed_query, {"ids": ids})).all()
    claimed = []
    for message_id, event_id, seller_id, endpoint_id, url, attempts, body, *signing in rows:
        secret, previous, until, offset_seconds, frozen_at, *faults = signing
        clock = TenantClock(timedelta(seconds=offset_seconds), frozen_at)
        grace = previous and until is not None and until > clock.now()
        secrets = (secret, previous) if grace else (secret,)
        claimed.append(
            Claimed(
                message_id,
                event_id,
                seller_id,
                endpoint_id,
                url,
                attempts,
                body,
                secrets,
                clock,
                _faults(*faults),
            )
        )
    claimed.sort(key=lambda c: c.id)  # oldest first
    return claimed


async def analyze(conn: AsyncConnection) -> None:
    """Refresh PostgreSQL's statistics of the deliveries (see DeliveryWorker.refresh_statistics)."""
    await conn.execute(text("ANALYZE webhook_messages"))


async def release(conn: AsyncConnection, message_ids: Sequence[int]) -> None:
    """Give claimed deliveries back unsent (a worker stopping, an endpoint just disabled)."""
    if message_ids:
        await conn.execute(
            update(webhook_messages)
            .where(M.id.in_(message_ids), M.status == MessageStatus.PENDING.value)
            .values(lease_until=None)
        )


@dataclass(frozen=True)
class Attempt:
    at: datetime
    url: str
    status_code: int | None
    latency_ms: float
    response_excerpt: str | None
    error: str | None


@dataclass(frozen=True)
class Recorded:
    """An attempt and where it leaves its delivery."""

    message_id: int
    attempt: Attempt
    status: MessageStatus
    due_at: datetime | None  # real time, by the seller's clock as it was when the delivery was claimed
    clock_offset: timedelta  # that clock: an advance since then brings `due_at` forward as much


# PostgreSQL records a batch in one statement, whatever its size: arrays in, unnest, no per-row SQL.
# It answers whether a later notification of one of these orders is waiting (the worker then claims
# again at once); the query sees the rows as they were before the update, hence `<> ALL(ids)`.
_RECORD_PG = text(
    """
    WITH moved AS (
        UPDATE webhook_messages AS m
        SET status = u.status, attempts = m.attempts + 1, lease_until = NULL, updated_at = u.at,
            due_at = u.due_at - make_interval(secs => s.clock_offset_seconds - u.claimed_offset)
        FROM unnest(
            CAST(:ids AS BIGINT[]), CAST(:statuses AS VARCHAR[]), CAST(:dues AS TIMESTAMPTZ[]),
            CAST(:ats AS TIMESTAMPTZ[]), CAST(:offsets AS DOUBLE PRECISION[])
        ) AS u(id, status, due_at, at, claimed_offset), sellers AS s
        WHERE m.id = u.id AND s.id = m.seller_id
        RETURNING m.id, m.endpoint_id, m.tracking_id
    ), attempts AS (
        INSERT INTO webhook_attempts (message_id, at, url, status_code, latency_ms, response_excerpt, error)
        SELECT a.* FROM unnest(
            CAST(:ids AS BIGINT[]), CAST(:ats AS TIMESTAMPTZ[]), CAST(:urls AS VARCHAR[]),
            CAST(:codes AS INTEGER[]), CAST(:latencies AS DOUBLE PRECISION[]),
            CAST(:excerpts AS VARCHAR[]), CAST(:errors AS VARCHAR[])
        ) AS a(message_id, at, url, status_code, latency_ms, response_excerpt, error)
        WHERE a.message_id IN (SELECT id FROM moved)  -- a tenant deleted meanwhile takes its log along
    )
    SELECT EXISTS (
        SELECT 1 FROM moved JOIN webhook_messages AS w
            ON w.endpoint_id = moved.endpoint_id AND w.tracking_id = moved.tracking_id
        WHERE w.status = 'pending' AND w.id <> ALL(CAST(:ids AS BIGINT[]))
    )
    """
)


async def record_attempts(conn: AsyncConnection, recorded: Sequence[Recorded]) -> bool:
    """Write a batch of attempts and move their deliveries on (one statement on PostgreSQL, four on
    SQLite, however many); returns whether a later notification of one of their orders is waiting.
    A retry falls due by the seller's clock: if it was advanced while the attempt was under way, the
    retry comes that much sooner, as if it had been scheduled before the advance."""
    if not recorded:
        return False
    ids = [r.message_id for r in recorded]
    if conn.dialect.name == "postgresql":
        result = await conn.execute(
            _RECORD_PG,
            {
                "ids": ids,
                "statuses": [r.status.value for r in recorded],
                "dues": [r.due_at for r in recorded],
                "ats": [r.attempt.at for r in recorded],
                "offsets": [r.clock_offset.total_seconds() for r in recorded],
                "urls": [r.attempt.url for r in recorded],
                "codes": [r.attempt.status_code for r in recorded],
                "latencies": [r.attempt.latency_ms for r in recorded],
                "excerpts": [r.attempt.response_excerpt for r in recorded],
                "errors": [r.attempt.error for r in recorded],
            },
        )
        return bool(result.scalar_one())
    # SQLite has one writer at a time: the offsets read here are the ones the update lands on.
    offsets = dict(
        (
            await conn.execute(
                select(M.id, sellers.c.clock_offset_seconds)
                .join(sellers, sellers.c.id == M.seller_id)
                .where(M.id.in_(ids))
            )
        ).all()
    )
    recorded = [r for r in recorded if r.message_id in offsets]  # a tenant deleted meanwhile
    if not recorded:
        return False
    await conn.execute(
        insert(webhook_attempts),
        [
            {
                "message_id": r.message_id,
                "at": r.attempt.at,
                "url": r.attempt.url,
                "status_code": r.attempt.status_code,
                "latency_ms": r.attempt.latency_ms,
                "response_excerpt": r.attempt.response_excerpt,
                "error": r.attempt.error,
            }
            for r in recorded
        ],
    )
    await conn.execute(
        update(webhook_messages)
        .where(M.id == bindparam("mid"))
        .values(
            status=bindparam("new_status"),
            attempts=M.attempts + 1,
            due_at=bindparam("new_due"),
            lease_until=None,
            updated_at=bindparam("at"),
        ),
        [
            {
                "mid": r.message_id,
                "new_status": r.status.value,
                "new_due": r.due_at - (timedelta(seconds=offsets[r.message_id]) - r.clock_offset)
                if r.due_at is not None
                else None,
                "at": r.attempt.at,
            }
            for r in recorded
        ],
    )
    recorded_ = aliased(webhook_messages)
    waiting = exists().where(
        recorded_.c.id.in_(ids),
        M.endpoint_id == recorded_.c.endpoint_id,
        M.tracking_id == recorded_.c.tracking_id,
        M.status == PENDING,
        M.id.not_in(ids),
    )
    return bool((await conn.execute(select(waiting))).scalar_one())


async def park(conn: AsyncConnection, r: Recorded, reason: str) -> None:
    """Fail a delivery whose attempt could not be written as it was: the attempt is logged with
    `reason` instead of what the receiver answered, and the delivery is tried no more."""
    moved = await conn.execute(
        update(webhook_messages)
        .where(M.id == r.message_id)
        .values(
            status=MessageStatus.FAILED.value,
            attempts=M.attempts + 1,
            due_at=None,
            lease_until=None,
            updated_at=r.attempt.at,
        )
    )
    if moved.rowcount:  # not when the tenant was deleted meanwhile
        await conn.execute(
            insert(webhook_attempts).values(
                message_id=r.message_id,
                at=r.attempt.at,
                url=r.attempt.url,
                status_code=r.attempt.status_code,
                latency_ms=r.attempt.latency_ms,
                response_excerpt=None,
                error=reason,
            )
        )


async def shift_due(conn: AsyncConnection, seller_id: int, seconds: float) -> None:
    """The seller's clock jumped ahead: its waiting deliveries fall due that much sooner."""
    pending = (
        await conn.execute(
            select(M.id, M.due_at).where(M.seller_id == seller_id, M.status == MessageStatus.PENDING.value)
        )
    ).all()
    moved = [
        {"mid": message_id, "new_due": due_at - timedelta(seconds=seconds)}
        for message_id, due_at in pending
        if due_at is not None
    ]
    if moved:  # one statement for them all (SQLite cannot do the date arithmetic itself)
        await conn.execute(
            update(webhook_messages).where(M.id == bindparam("mid")).values(due_at=bindparam("new_due")),
            moved,
        )


@dataclass(frozen=True)
class MessageQuery:
    seller_id: int
    type: str | None = None
    tracking_id: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    attempted_since: datetime | None = None  # only messages with an attempt at or after this
    limit: int = 100


@dataclass(frozen=True)
class Message:
    id: int
    event_id: str
    endpoint_id: str
    url: str
    type: str
    tracking_id: str | None
    sequence_number: int
    status: str
    attempts: tuple[Attempt, ...]
    payload: dict[str, Any]
    created_at: datetime
    next_attempt_at: datetime | None  # seller's clock


async def list_messages(conn: AsyncConnection, q: MessageQuery) -> list[Message]:
    where = [M.seller_id == q.seller_id]
    if q.type is not None:
        where.append(EV.type == q.type)
    if q.tracking_id is not None:
        where.append(M.tracking_id == q.tracking_id)
    if q.status is not None:
        where.append(M.status == q.status)
    if q.since is not None:
        where.append(M.created_at >= q.since)
    if q.until is not None:
        where.append(M.created_at <= q.until)
    if q.attempted_since is not None:
        where.append(exists().where(A.message_id == M.id, A.at >= q.attempted_since))
    rows = (
        (
            await conn.execute(
                select(webhook_messages, EV.type, EV.payload, sellers.c.clock_offset_seconds)
                .join(webhook_events, EV.id == M.event_id)
                .join(sellers, sellers.c.id == M.seller_id)
                .where(*where)
                .order_by(M.id)
                .limit(q.limit)
            )
        )
        .mappings()
        .all()
    )
    ids = [r["id"] for r in rows]
    attempts: dict[int, list[Attempt]] = {i: [] for i in ids}
    if ids:
        found = await conn.execute(select(webhook_attempts).where(A.message_id.in_(ids)).order_by(A.id))
        for a in found.mappings():
            attempts[a["message_id"]].append(
                Attempt(
                    a["at"], a["url"], a["status_code"], a["latency_ms"], a["response_excerpt"], a["error"]
                )
            )
    return [
        Message(
            id=r["id"],
            event_id=r["event_id"],
            endpoint_id=r["endpoint_id"],
            url=r["url"],
            type=r["type"],
            tracking_id=r["tracking_id"],
            sequence_number=r["sequence_number"],
            status=r["status"],
            attempts=tuple(attempts[r["id"]]),
            payload=dict(r["payload"]),
            created_at=r["created_at"],
            next_attempt_at=(r["due_at"] + timedelta(seconds=r["clock_offset_seconds"]))
            if r["due_at"] is not None and r["status"] == MessageStatus.PENDING.value
            else None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ResendQuery:
    seller_id: int
    message_ids: tuple[int, ...] = ()
    tracking_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    only_failed: bool = False


async def messages_to_resend(conn: AsyncConnection, q: ResendQuery) -> list[RowMapping]:
    where = [M.seller_id == q.seller_id]
    if q.message_ids:
        where.append(M.id.in_(q.message_ids))
    if q.tracking_id is not None:
        where.append(M.tracking_id == q.tracking_id)
    if q.since is not None:
        where.append(M.created_at >= q.since)
    if q.until is not None:
        where.append(M.created_at <= q.until)
    if q.only_failed:
        where.append(M.status == MessageStatus.FAILED.value)
    rows = await conn.execute(select(webhook_messages).where(*where).order_by(M.id))
    return list(rows.mappings().all())


async def insert_resends(
    conn: AsyncConnection, rows: Sequence[RowMapping], url: str | None, now: datetime, real_now: datetime
) -> list[int]:
    """New deliveries of the same events (same `webhook-id`), to their URL or to `url`."""
    if not rows:
        return []
    result = await conn.execute(
        insert(webhook_messages).returning(M.id),
        [
            _delivery(
                r["event_id"],
                r["seller_id"],
                r["endpoint_id"],
                url or r["url"],
                r["tracking_id"],
                r["sequence_number"],
                now,
                real_now,
            )
            for r in rows
        ],
    )
    return sorted(int(i) for i in result.scalars().all())


async def endpoint_activity(conn: AsyncConnection, endpoint_id: str) -> tuple[str | None, bool | None, int]:
    """(status of the message last attempted, whether that attempt got a 2xx, deliveries waiting after a
    failed attempt)."""
    last = (
        await conn.execute(
            select(M.status, A.status_code)
            .join(webhook_attempts, A.message_id == M.id)
            .where(M.endpoint_id == endpoint_id)
            .order_by(A.id.desc())
            .limit(1)
        )
    ).first()
    deferred = (
        await conn.execute(
            select(M.id).where(
                M.endpoint_id == endpoint_id, M.status == MessageStatus.PENDING.value, M.attempts > 0
            )
        )
    ).all()
    if last is None:
        return None, None, len(deferred)
    code = last[1]
    return str(last[0]), code is not None and 200 <= code < 300, len(deferred)
