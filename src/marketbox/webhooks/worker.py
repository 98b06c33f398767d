"""The delivery worker: claims due deliveries, signs them (Standard Webhooks), POSTs them, records the
attempt and schedules the next one. Any number of workers share one database safely."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import os
import random
import socket
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import asyncpg
import sqlalchemy.exc
from standardwebhooks.webhooks import Webhook

from marketbox import __version__
from marketbox.domain.clock import utc_now
from marketbox.domain.notifications import DEFAULT_SCHEDULE, MessageStatus, next_delay
from marketbox.domain.webhook_destinations import refusal
from marketbox.store import webhooks as store
from marketbox.store.database import TENANT_CHANNEL, Database

log = logging.getLogger(__name__)
EXCERPT = 500  # characters of a receiver's answer (or of an error) kept in the attempt log
READ_AT_MOST = EXCERPT * 4  # bytes of a receiver's answer read: what an excerpt needs, whatever it sends
PARK_AFTER = 5  # rounds an attempt that the database refuses (as if it were away) is tried before parking
USER_AGENT = f"marketbox-webhooks/{__version__}"
ANALYZE_EVERY = 60.0  # seconds between a busy worker's ANALYZEs of the deliveries
RECORD_EVERY = 0.02  # seconds between a worker's writes of attempts
REORDER_STEP = 0.05  # seconds between the deliveries a reorder fault sends newest first
BATCH_FACTOR = 16  # deliveries a worker holds claimed, per request in flight: claims come in big batches


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """`Retry-After` as seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def storable(text: str, limit: int = EXCERPT) -> str:
    """`text` as either database can store it: at most `limit` characters, no NUL (PostgreSQL's text
    cannot hold one), no lone surrogates (not UTF-8)."""
    text = text[:limit].encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")


async def read_prefix(content: aiohttp.StreamReader, limit: int = READ_AT_MOST) -> bytes:
    """Up to `limit` bytes of a body, however large or endless it is (the request's timeout bounds a
    body that stops coming)."""
    prefix = bytearray()
    while len(prefix) < limit:
        chunk = await content.read(limit - len(prefix))
        if not chunk:
            break
        prefix += chunk
    return bytes(prefix)


def _first_line(exc: BaseException) -> str:
    """An error's first line: SQLAlchemy's go on with the statement and every parameter."""
    return next(iter(str(exc).strip().splitlines()), "")


def _database_away(exc: BaseException) -> bool:
    """Whether a failed write says more about the database (down, restarting, busy, a deadlock) than
    about the rows written: then writing them again later may work."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(
            seen,
            OSError
            | TimeoutError
            | sqlalchemy.exc.TimeoutError  # no connection free in the pool: busy, not the rows' fault
            | sqlalchemy.exc.OperationalError
            | sqlalchemy.exc.InterfaceError
            | sqlalchemy.exc.DisconnectionError
            | asyncpg.PostgresConnectionError
            | asyncpg.TransactionRollbackError
            | asyncpg.InsufficientResourcesError
            | asyncpg.OperatorInterventionError
            | asyncpg.LockNotAvailableError
            | asyncpg.InterfaceError,
        ) or getattr(seen, "connection_invalidated", False):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass(frozen=True)
class Outcome:
    """What one POST came to (`at` in real time)."""

    at: datetime
    status_code: int | None
    excerpt: str | None
    error: str | None
    retry_after: float | None
    latency_ms: float


@dataclass
class Written:
    """What a `record` came to: whether a later notification of one of the orders is waiting, and what
    could not be written now because the database is away (to write again later)."""

    waiting: bool = False
    left: list[store.Recorded] = field(default_factory=list)
    left_unsent: list[int] = field(default_factory=list)


class DeliveryWorker:
    def __init__(
        self,
        db: Database,
        *,
        schedule: Sequence[float] = DEFAULT_SCHEDULE,
        timeout: float = 10.0,
        concurrency: int = 32,
        lease: timedelta = timedelta(seconds=60),
        poll_interval: float = 0.5,
        name: str | None = None,
        allowed_networks: Sequence[str] = (),
    ) -> None:
        self.db = db
        self.allowed_networks = tuple(allowed_networks)
        self.schedule = tuple(schedule)
        self.timeout = timeout
        self.concurrency = concurrency
        self.lease = max(lease, timedelta(seconds=timeout * 2))
        self.poll_interval = poll_interval
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.woken = asyncio.Event()
        self._rng = random.Random()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._signers: dict[str, Webhook] = {}  # a Webhook decodes its secret once
        self._refused: dict[int, int] = {}  # delivery → rounds its attempt could not be written

    def wake(self) -> None:
        """Look for work now (something was just written)."""
        self.woken.set()

    async def _listen(self, stop: asyncio.Event) -> None:
        """On PostgreSQL, wake on every tenant write of any process (they NOTIFY); polling stays the
        fallback while the connection is down."""
        dsn = self.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not stop.is_set():
            listener = None
            try:
                listener = await asyncpg.connect(dsn, timeout=10)
                await listener.add_listener(TENANT_CHANNEL, lambda *_: self.wake())
                while not stop.is_set():
                    await asyncio.sleep(5)
                    await listener.fetchval("SELECT 1", timeout=10)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("webhook worker %s: change listener lost (%s); polling", self.name, exc)
                await asyncio.sleep(1)
            finally:
                if listener is not None and not listener.is_closed():
                    listener.terminate()

    async def run(self, stop: asyncio.Event) -> None:
        listening = asyncio.create_task(self._listen(stop)) if self.db.is_postgresql else None
        try:
            await self._deliver_until(stop)
        finally:
            if listening is not None:
                listening.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listening

    async def _deliver_until(self, stop: asyncio.Event) -> None:
        connector = aiohttp.TCPConnector(limit=self.concurrency)
        # Answers are read only as far as an excerpt needs: compressed, they would be inflated first.
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        async with aiohttp.ClientSession(
            connector=connector, headers=headers, auto_decompress=False
        ) as session:
            await _Pipeline(self, session).run(stop)

    async def claim(self, limit: int, *, idle: bool) -> list[store.Claimed]:
        """Claim up to `limit` due deliveries. An `idle` worker first looks without writing, so that
        polling never takes SQLite's write lock; a busy one claims straight away."""
        now = utc_now()
        if idle:
            async with self.db.autocommit() as conn:
                if not await store.has_due(conn, now):
                    return []
        if self.db.is_postgresql:  # one statement: atomic without a transaction, one round trip
            async with self.db.autocommit() as conn:
                return await store.claim_due(conn, now, limit, self.lease)
        async with self.db.write() as conn:
            return await store.claim_due(conn, now, limit, self.lease)

    async def refresh_statistics(self) -> None:
        """ANALYZE the deliveries table. An outbox fills faster than autovacuum looks (a minute): with
        stale statistics the planner takes a backlog of thousands for a dozen rows and checks the
        order of every pending delivery before it sorts them, instead of reading the due ones in
        index order and stopping at the batch size (50 ms against 3 ms per claim, measured)."""
        if not self.db.is_postgresql:
            return
        try:
            async with self.db.autocommit() as conn:
                await store.analyze(conn)
        except Exception as exc:  # not the table's owner, say: the claims work, only slower
            log.warning("webhook worker %s: could not ANALYZE the deliveries (%s)", self.name, exc)

    async def record(self, recorded: Sequence[store.Recorded], unsent: Sequence[int]) -> Written:
        """Write outcomes (and give back `unsent`): the whole batch at once, or, when that fails, one
        by one, so that one attempt the database refuses holds up no other. An attempt refused on its
        own is parked as failed, with the reason, instead of being tried again and again; one that
        meets the database away (down, a deadlock) waits for the next round, PARK_AFTER rounds at
        most."""
        try:
            waiting = await self._record_batch(recorded, unsent)
        except Exception as exc:
            log.warning(
                "webhook worker %s: recording %d attempts at once failed (%s); recording them one by one",
                self.name,
                len(recorded),
                _first_line(exc),
            )
        else:
            for r in recorded:
                self._refused.pop(r.message_id, None)
            return Written(waiting)
        written = Written()
        if unsent:
            try:
                async with self.db.write() as conn:
                    await store.release(conn, unsent)
                written.waiting = True
            except Exception:
                log.exception("webhook worker %s: giving back unsent deliveries failed", self.name)
                written.left_unsent = list(unsent)
        for i, r in enumerate(recorded):
            try:
                written.waiting |= await self._record_batch([r], ())
            except Exception as exc:
                rounds = self._refused[r.message_id] = self._refused.get(r.message_id, 0) + 1
                if _database_away(exc) and rounds < PARK_AFTER:
                    written.left = list(recorded[i:])  # the others would meet it too
                    return written
                if not await self._park(r, exc):
                    written.left = list(recorded[i:])
                    return written
            self._refused.pop(r.message_id, None)
        return written

    async def _park(self, r: store.Recorded, exc: Exception) -> bool:
        """Record `r` as failed, with why its attempt could not be written; False if that fails too."""
        reason = storable(
            f"the attempt could not be recorded ({type(exc).__name__}: {_first_line(exc)}); parked as failed"
        )
        log.error("webhook worker %s: delivery %d: %s", self.name, r.message_id, reason)
        try:
            async with self.db.write() as conn:
                await store.park(conn, r, reason)
        except Exception:
            log.exception("webhook worker %s: parking delivery %d failed", self.name, r.message_id)
            return False
        return True

    async def _record_batch(self, recorded: Sequence[store.Recorded], unsent: Sequence[int]) -> bool:
        """Write outcomes (and give back `unsent`) in one transaction; returns whether a later
        notification of one of their orders is waiting to be claimed."""
        gone = [(r.message_id, r.attempt.at) for r in recorded if r.attempt.status_code == 410]
        if self.db.is_postgresql and not gone and not unsent:  # one statement, as claims are
            async with self.db.autocommit() as conn:
                return await store.record_attempts(conn, recorded)
        async with self.db.write() as conn:  # one transaction records a whole batch
            waiting = await store.record_attempts(conn, recorded)
            await store.release(conn, unsent)
            for message_id, at in gone:  # the receiver says: gone for good
                await store.disable_endpoint_of(conn, message_id, at)
        return waiting or bool(unsent)

    async def deliver(self, session: aiohttp.ClientSession, message: store.Claimed) -> Outcome:
        # Checked again here: the URL may have been written under another policy (an older server, a
        # setting changed since). A refusal is a failed attempt, retried on the schedule like any.
        refused = refusal(message.url, self.allowed_networks)
        if refused is not None:
            return Outcome(utc_now(), None, None, storable(f"not sent: {refused.reason}"), None, 0.0)
        faults = message.faults
        if faults.delay_ms:
            await asyncio.sleep(faults.delay_ms / 1000)
        body = message.body.encode()
        # Real time: receivers check it against their own clock (a stale-timestamp fault antedates it).
        sent_at = utc_now() - timedelta(seconds=faults.stale_seconds)
        headers = {
            "Content-Type": "application/json",
            "webhook-id": message.event_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": self._sign(message.event_id, sent_at, message.body, message.secrets),
        }
        code: int | None = None
        excerpt: str | None = None
        error: str | None = None
        retry_after: float | None = None
        started = time.perf_counter()
        try:
            async with session.post(
                message.url, data=body, headers=headers, timeout=self._timeout, allow_redirects=False
            ) as resp:
                code = resp.status
                if code in (429, 503):
                    retry_after = retry_after_seconds(resp.headers.get("Retry-After"), utc_now())
                excerpt = storable((await read_prefix(resp.content)).decode(errors="replace"))
        except TimeoutError:
            error = f"timeout after {self.timeout:g} s"
        except Exception as exc:  # whatever stops a POST is that attempt's error, not the worker's end
            error = storable(f"{type(exc).__name__}: {exc}")
        latency_ms = (time.perf_counter() - started) * 1000
        if faults.duplicate and self._rng.random() < faults.duplicate:
            await self._send_again(session, message.url, body, headers)
        return Outcome(utc_now(), code, excerpt, error, retry_after, latency_ms)

    async def _send_again(
        self, session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
    ) -> None:
        """A duplicate-delivery fault: the same request once more; its answer is not an attempt."""
        with contextlib.suppress(Exception):
            async with session.post(
                url, data=body, headers=headers, timeout=self._timeout, allow_redirects=False
            ) as resp:
                await read_prefix(resp.content)

    def _sign(self, event_id: str, at: datetime, body: str, secrets: Sequence[str]) -> str:
        """The `webhook-signature` header: one `v1,<base64>` per valid secret, space separated."""
        signers = self._signers
        for secret in secrets:
            if secret not in signers:
                if len(signers) > 10_000:
                    signers.clear()
                signers[secret] = Webhook(secret)
        return " ".join(signers[secret].sign(event_id, at, body) for secret in secrets)

    def outcome_of(self, message: store.Claimed, outcome: Outcome) -> store.Recorded:
        """Where an attempt leaves its delivery: delivered, failed, or due again after a delay (on the
        seller's clock: a stopped one keeps the attempt's time and the retry at its real instant)."""
        code = outcome.status_code
        clock = message.clock
        happened = clock.frozen_at if clock.frozen_at is not None else outcome.at
        attempt = store.Attempt(
            happened + clock.offset,
            message.url,
            code,
            outcome.latency_ms,
            outcome.excerpt,
            outcome.error,
        )
        if code is not None and 200 <= code < 300:
            return store.Recorded(message.id, attempt, MessageStatus.DELIVERED, None, clock.offset)
        if code == 410:
            return store.Recorded(message.id, attempt, MessageStatus.FAILED, None, clock.offset)
        delay = next_delay(message.attempts + 1, self.schedule, outcome.retry_after, self._rng)
        if delay is None:
            return store.Recorded(message.id, attempt, MessageStatus.FAILED, None, clock.offset)
        due = happened + timedelta(seconds=delay)
        return store.Recorded(message.id, attempt, MessageStatus.PENDING, due, clock.offset)


class _Pipeline:
    """One worker's delivery loop, in three parts that overlap: a claimer keeps a queue of claimed
    deliveries filled, `concurrency` senders POST from it, and a recorder writes their outcomes in
    batches. Claim and record cost database round trips; here they never leave the senders idle."""

    def __init__(self, worker: DeliveryWorker, session: aiohttp.ClientSession) -> None:
        self.worker = worker
        self.session = session
        self.capacity = worker.concurrency * BATCH_FACTOR
        # Claimed deliveries with the (monotonic) time their lease ends, less one request's timeout.
        # ...and, for a reorder fault, how long it waits so that newer notifications go first.
        self.queue: asyncio.Queue[tuple[store.Claimed, float, float] | None] = asyncio.Queue()
        self.in_flight = 0
        self.outcomes: list[store.Recorded] = []
        self.unsent: list[int] = []
        self.gone: set[str] = set()  # endpoints a receiver answered 410 for, in this worker's life
        self.outcome_ready = asyncio.Event()
        self.room = asyncio.Event()
        self.analyzed_at = -ANALYZE_EVERY

    @property
    def held(self) -> int:
        return self.queue.qsize() + self.in_flight

    async def run(self, stop: asyncio.Event) -> None:
        worker = self.worker
        senders = [asyncio.create_task(self._send()) for _ in range(worker.concurrency)]
        recording = asyncio.create_task(self._record_until(stop))
        try:
            await self._claim_until(stop)
        finally:
            while not self.queue.empty():  # claimed, not sent: give them back
                queued = self.queue.get_nowait()
                if queued is not None:
                    self.unsent.append(queued[0].id)
            for _ in senders:
                self.queue.put_nowait(None)
            await asyncio.gather(*senders, return_exceptions=True)  # each POST ends by its timeout
            self.outcome_ready.set()
            await recording

    async def _claim_until(self, stop: asyncio.Event) -> None:
        worker = self.worker
        polling = True  # not woken by a write: look before claiming
        while not stop.is_set():
            if self.held > self.capacity // 2:  # enough to do: claim again when half of it is sent
                self.room.clear()
                await _first(self.room.wait(), stop.wait())
                continue
            worker.woken.clear()
            limit = self.capacity - self.held
            try:
                claimed = await worker.claim(limit, idle=polling)
            except Exception:  # the database went away, say: keep the worker alive
                log.exception("webhook worker %s: claiming failed", worker.name)
                claimed = []
            send_by = time.monotonic() + (worker.lease.total_seconds() - worker.timeout)
            # A reorder fault: that URL's deliveries were claimed without waiting for each other; they
            # go newest first, REORDER_STEP apart (senders run in parallel: an order in the queue alone
            # would not hold on the wire).
            reordered = sorted((m for m in claimed if m.faults.reorder), key=lambda m: -m.id)
            for message in claimed:
                if not message.faults.reorder:
                    self.queue.put_nowait((message, send_by, 0.0))
            for rank, message in enumerate(reordered):
                self.queue.put_nowait((message, send_by, rank * REORDER_STEP))
            if len(claimed) >= self.capacity // 2 and time.monotonic() > self.analyzed_at + ANALYZE_EVERY:
                self.analyzed_at = time.monotonic()  # a backlog: make sure the planner knows it
                await worker.refresh_statistics()
            polling = False
            if len(claimed) < limit:  # all that was due is taken: wait for the next write
                await _first(worker.woken.wait(), stop.wait(), give_up_after=worker.poll_interval)
                polling = not worker.woken.is_set()

    async def _send(self) -> None:
        while (queued := await self.queue.get()) is not None:
            await self._send_one(*queued)
            self.outcome_ready.set()
            if self.held <= self.capacity // 2:  # sent or given back: either way, room to claim
                self.room.set()

    async def _send_one(self, message: store.Claimed, send_by: float, hold: float) -> None:
        worker = self.worker
        if hold:
            await asyncio.sleep(hold)
        # Gone, or waited so long (slow receivers) that its lease could end before its answer:
        # give it back rather than risk another worker sending it at the same time.
        if message.endpoint_id in self.gone or time.monotonic() > send_by:
            self.unsent.append(message.id)
            return
        self.in_flight += 1
        try:
            outcome = await worker.deliver(self.session, message)
        finally:
            self.in_flight -= 1
        if outcome.status_code == 410:
            self.gone.add(message.endpoint_id)
        self.outcomes.append(worker.outcome_of(message, outcome))

    async def _record_until(self, stop: asyncio.Event) -> None:
        """Outcomes wait here while the previous batch is written, and at least RECORD_EVERY between
        batches: a receipt does not wait for its record, so batches can grow with the load."""
        worker = self.worker
        loop = asyncio.get_running_loop()
        last = -RECORD_EVERY
        while True:
            await self.outcome_ready.wait()
            pause = last + RECORD_EVERY - loop.time()
            if pause > 0 and not stop.is_set():
                await _first(stop.wait(), give_up_after=pause)
            self.outcome_ready.clear()
            if self.outcomes or self.unsent:
                outcomes, self.outcomes = self.outcomes, []
                unsent, self.unsent = self.unsent, []
                last = loop.time()
                try:
                    written = await worker.record(outcomes, unsent)
                except Exception:
                    log.exception("webhook worker %s: recording failed; retrying", worker.name)
                    written = Written(False, outcomes, unsent)
                if written.waiting:  # the next notification of an order may go now
                    worker.wake()
                if written.left or written.left_unsent:  # the database is away: write them later
                    self.outcomes[:0] = written.left
                    self.unsent[:0] = written.left_unsent
                    if stop.is_set() and self.in_flight == 0:
                        return  # the leases run out: another worker sends these again
                    await asyncio.sleep(1)
                    self.outcome_ready.set()
                    continue
            if stop.is_set() and self.in_flight == 0 and self.queue.empty() and not self.outcomes:
                return


async def _first(*waits: Coroutine[Any, Any, Any], give_up_after: float | None = None) -> None:
    """Wait until the first of `waits` is done (or `give_up_after` seconds), cancelling the rest."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, timeout=give_up_after, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
