"""The delivery worker's recorder, on SQLite and PostgreSQL: an attempt the database refuses is parked as
failed with the reason and holds up no other; a database that is away loses and parks nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy.exc

from marketbox.domain.clock import utc_now
from marketbox.domain.notifications import Event, NotificationType
from marketbox.services import notifications, tenants
from marketbox.store import webhooks as store
from marketbox.store.database import Database
from marketbox.webhooks import worker as worker_module
from marketbox.webhooks.worker import PARK_AFTER, DeliveryWorker, Outcome, storable
from tests.conftest import BACKENDS
from tests.databases import fresh_database
from tests.servers import migrate

POISON = "\ud800 a lone surrogate"  # no database stores it (a NUL would stop PostgreSQL only)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        migrate(url)
        yield url


def _events(n: int) -> list[Event]:
    return [
        Event(NotificationType.STATUS_CHANGED, f"T{i}", 1, {"type": "statusChanged", "trackingId": f"T{i}"})
        for i in range(n)
    ]


async def _claimed(db: Database) -> tuple[list[store.Claimed], int]:
    """Deliveries of two tenants, claimed: three of one, two of another (whose id is returned)."""
    ids = []
    for name, count in (("Healthy", 3), ("Hostile", 2)):
        seller, _ = await tenants.create_tenant(db, name)
        await notifications.subscribe(db, seller.id, "http://127.0.0.1:9/hook", None)
        async with db.tenant_write(seller.id) as conn:
            await notifications.emit(conn, seller, _events(count))
        ids.append(seller.id)
    worker = DeliveryWorker(db)
    claimed = await worker.claim(100, idle=False)
    assert len(claimed) == 5
    return claimed, ids[1]


def test_an_attempt_the_database_refuses_is_parked_and_holds_up_no_other(database_url: str) -> None:
    async def run() -> None:
        db = Database(database_url)
        try:
            claimed, hostile = await _claimed(db)
            worker = DeliveryWorker(db)
            poisoned = next(m for m in claimed if m.seller_id == hostile)
            outcomes = [
                worker.outcome_of(
                    m, Outcome(utc_now(), 200, POISON if m is poisoned else "ok", None, None, 1.0)
                )
                for m in claimed
            ]
            written = await worker.record(outcomes, [])
            assert (written.left, written.left_unsent) == ([], [])
            logged = {}
            for m in claimed:
                found = await notifications.messages(db, store.MessageQuery(m.seller_id))
                logged.update({message.id: message for message in found})
            for m in claimed:
                message = logged[m.id]
                (attempt,) = message.attempts  # recorded once, nothing left to record again
                if m is poisoned:
                    assert message.status == "failed"
                    assert attempt.response_excerpt is None and attempt.status_code == 200
                    assert attempt.error and "could not be recorded" in attempt.error
                else:
                    assert (message.status, attempt.response_excerpt) == ("delivered", "ok")
            assert not await worker.claim(100, idle=False)
        finally:
            await db.dispose()

    asyncio.run(run())


def test_a_database_away_parks_nothing_and_keeps_the_attempts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    migrate(url)

    async def run() -> None:
        live = Database(url)
        try:
            claimed, _ = await _claimed(live)
        finally:
            await live.dispose()
        away = Database(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.sqlite3'}")
        worker = DeliveryWorker(away)
        outcomes = [worker.outcome_of(m, Outcome(utc_now(), 200, "ok", None, None, 1.0)) for m in claimed]
        try:
            for _ in range(PARK_AFTER + 1):  # parking fails too: nothing is given up
                written = await worker.record(outcomes, [3])
                assert (written.left, written.left_unsent) == (outcomes, [3])
        finally:
            await away.dispose()

    asyncio.run(run())


def test_what_a_receiver_answers_is_stored_as_text_either_database_holds() -> None:
    assert storable("ok\x00\x00" + POISON) == "ok\ufffd\ufffd? a lone surrogate"
    assert storable("é" * 600) == "é" * 500


def test_a_pool_with_no_free_connection_is_the_database_busy_not_a_bad_row() -> None:
    # SQLAlchemy's pool timeout is not the built-in TimeoutError; taken for a row fault, it would park
    # healthy deliveries as failed whenever the API keeps every connection busy.
    busy = sqlalchemy.exc.TimeoutError("QueuePool limit of size 20 overflow 0 reached")
    assert worker_module._database_away(busy)
    assert not worker_module._database_away(sqlalchemy.exc.DataError("x", {}, ValueError("NUL")))
