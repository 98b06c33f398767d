"""Webhook endpoints, the notification outbox (events), deliveries (messages) and their attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from marketbox.domain.notifications import Event, MessageStatus
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


async def insert_events(
    conn: AsyncConnection, seller_id: int, events: Sequence[Event], now: datetime, real_now: datetime
) -> list[str]:
    """Write the events and one pending delivery per interested endpoint; returns the event ids."""
    if not events:
        return []
    endpoints = await endpoints_of(conn, seller_id)
    ids = [new_id("msg") for _ in events]
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
    """A delivery a worker holds: where to send what, signed with which secrets."""

    id: int
    event_id: str
    seller_id: int
    url: str
    attempts: int
    payload: dict[str, Any]
    secrets: tuple[str, ...]
    clock_offset: timedelta


async def claim_due(
    conn: AsyncConnection, real_now: datetime, limit: int, lease: timedelta, *, skip_locked: bool
) -> list[Claimed]:
    """Take up to `limit` due deliveries whose endpoint is live and that no earlier delivery about the
    same order to the same endpoint is still waiting for (notifications of an order arrive in order)."""
    earlier = aliased(webhook_messages)
    blocked = exists().where(
        earlier.c.endpoint_id == M.endpoint_id,
        earlier.c.tracking_id == M.tracking_id,
        earlier.c.status == MessageStatus.PENDING.value,
        earlier.c.sequence_number < M.sequence_number,
    )
    query = (
        select(M.id)
        .join(webhook_endpoints, EP.id == M.endpoint_id)
        .where(
            M.status == MessageStatus.PENDING.value,
            M.due_at <= real_now,
            (M.lease_until.is_(None)) | (M.lease_until < real_now),
            EP.disabled_at.is_(None),
            ~and_(M.tracking_id.is_not(None), blocked),
        )
        .order_by(M.due_at, M.id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(of=webhook_messages, skip_locked=True)
    ids = list((await conn.execute(query)).scalars().all())
    if not ids:
        return []
    await conn.execute(update(webhook_messages).where(M.id.in_(ids)).values(lease_until=real_now + lease))
    rows = await conn.execute(
        select(
            M.id,
            M.event_id,
            M.seller_id,
            M.url,
            M.attempts,
            EV.payload,
            EP.secret,
            EP.previous_secret,
            EP.previous_secret_until,
            sellers.c.clock_offset_seconds,
        )
        .join(webhook_events, EV.id == M.event_id)
        .join(webhook_endpoints, EP.id == M.endpoint_id)
        .join(sellers, sellers.c.id == M.seller_id)
        .where(M.id.in_(ids))
        .order_by(M.due_at, M.id)
    )
    claimed = []
    for row in rows.mappings():
        offset = timedelta(seconds=row["clock_offset_seconds"])
        seller_now = real_now + offset
        secrets = [row["secret"]]
        until = row["previous_secret_until"]
        if row["previous_secret"] and until is not None and until > seller_now:
            secrets.append(row["previous_secret"])
        claimed.append(
            Claimed(
                row["id"],
                row["event_id"],
                row["seller_id"],
                row["url"],
                row["attempts"],
                dict(row["payload"]),
                tuple(secrets),
                offset,
            )
        )
    return claimed


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
    due_at: datetime | None


async def record_attempts(conn: AsyncConnection, recorded: Sequence[Recorded]) -> None:
    """Write a batch of attempts and move their deliveries on (two statements, however many)."""
    if not recorded:
        return
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
            {"mid": r.message_id, "new_status": r.status.value, "new_due": r.due_at, "at": r.attempt.at}
            for r in recorded
        ],
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
