"""Two `marketbox worker` processes on PostgreSQL, killed with SIGKILL at random moments while they
deliver 5,000 notifications: every notification arrives at least once, a duplicate always carries the
same `webhook-id`, and each order's notifications first arrive in sequence."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketbox.domain.notifications import Event, NotificationType
from marketbox.services import notifications, tenants
from marketbox.store.database import Database
from marketbox.store.tables import webhook_messages
from tests.databases import fresh_database
from tests.servers import migrate
from tests.webhooks.test_delivery import Receiver, receiver, unique  # noqa: F401

EVENTS = 5_000
ORDERS = 100


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path) as url:
        yield url


async def _setup(url: str, target: str) -> list[str]:
    db = Database(url)
    try:
        seller, _ = await tenants.create_tenant(db, "Crash test")
        await notifications.subscribe(db, seller.id, target, None)
        ids: list[str] = []
        per_order: dict[str, int] = defaultdict(int)
        for start in range(0, EVENTS, 500):
            batch = []
            for n in range(start, start + 500):
                order = f"O{n % ORDERS:03d}"
                per_order[order] += 1
                seq = per_order[order]
                payload = {"type": "statusChanged", "trackingId": order, "sequenceNumber": seq, "n": n}
                batch.append(Event(NotificationType.STATUS_CHANGED, order, seq, payload))
            async with db.tenant_write(seller.id) as conn:
                ids += await notifications.emit(conn, seller, batch)
        return ids
    finally:
        await db.dispose()


async def _pending(url: str) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            query = select(func.count()).where(webhook_messages.c.status != "delivered")
            return int((await conn.execute(query)).scalar_one())
    finally:
        await db.dispose()


def _start_worker(url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MARKETBOX_DATABASE_URL": url,
        "MARKETBOX_WEBHOOK_TIMEOUT": "1",
        "MARKETBOX_WEBHOOK_LEASE": "2",
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from marketbox.cli import main; main()", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_workers_lose_nothing(pg_url: str, receiver: Receiver) -> None:  # noqa: F811
    migrate(pg_url)
    path = unique("/ok")
    event_ids = asyncio.run(_setup(pg_url, receiver.url(path)))
    rng = random.Random(7)
    workers = [_start_worker(pg_url), _start_worker(pg_url)]
    kills = 0
    deadline = time.monotonic() + 180
    try:
        while asyncio.run(_pending(pg_url)) > 0:
            assert time.monotonic() < deadline, "deliveries did not finish"
            time.sleep(rng.uniform(1.0, 2.5))
            victim = rng.randrange(len(workers))
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait()
            kills += 1
            workers[victim] = _start_worker(pg_url)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
    assert kills >= 3
    got = receiver.requests(path)
    delivered_ids = [r["headers"]["webhook-id"] for r in got]
    assert set(delivered_ids) == set(event_ids)  # everything at least once, nothing else
    by_id: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for request in got:
        body = json.loads(request["body"])
        by_id[request["headers"]["webhook-id"]].add(request["body"])
        if request["headers"]["webhook-id"] not in seen:
            seen.add(request["headers"]["webhook-id"])
            first_seen[body["trackingId"]].append(body["sequenceNumber"])
    assert all(len(bodies) == 1 for bodies in by_id.values())  # a duplicate is the same message
    for order, numbers in first_seen.items():
        assert numbers == sorted(numbers), order
    print(f"\n{EVENTS} events, {len(got)} deliveries ({len(got) - EVENTS} duplicates), {kills} kills")
