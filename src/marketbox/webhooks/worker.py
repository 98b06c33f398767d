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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
import asyncpg
import msgspec
from standardwebhooks.webhooks import Webhook

from marketbox import __version__
from marketbox.domain.clock import utc_now
from marketbox.domain.notifications import DEFAULT_SCHEDULE, MessageStatus, next_delay
from marketbox.store import webhooks as store
from marketbox.store.database import TENANT_CHANNEL, Database

log = logging.getLogger(__name__)
EXCERPT = 500
USER_AGENT = f"marketbox-webhooks/{__version__}"
BATCH_FACTOR = 8  # deliveries claimed per round, per request in flight: a claim costs the same for 32 or 256


def sign(event_id: str, at: datetime, body: str, secrets: Sequence[str]) -> str:
    """The `webhook-signature` header: one `v1,<base64>` per valid secret, space separated."""
    return " ".join(Webhook(secret).sign(event_id, at, body) for secret in secrets)


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


@dataclass(frozen=True)
class Outcome:
    """What one POST came to (`at` in real time)."""

    at: datetime
    status_code: int | None
    excerpt: str | None
    error: str | None
    retry_after: float | None
    latency_ms: float


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
    ) -> None:
        self.db = db
        self.schedule = tuple(schedule)
        self.timeout = timeout
        self.concurrency = concurrency
        self.lease = max(lease, timedelta(seconds=timeout * 2))
        self.poll_interval = poll_interval
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self._wake = asyncio.Event()
        self._rng = random.Random()

    def wake(self) -> None:
        """Look for work now (something was just written)."""
        self._wake.set()

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
        async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}) as session:
            while not stop.is_set():
                try:
                    delivered = await self.run_once(session)
                except Exception:  # the database went away, say: keep the worker alive
                    log.exception("webhook worker %s: delivery round failed", self.name)
                    delivered = 0
                if delivered:
                    continue
                self._wake.clear()
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait(
                    {waiter, stopper}, timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED
                )
                waiter.cancel()
                stopper.cancel()

    async def run_once(self, session: aiohttp.ClientSession) -> int:
        """Claim one batch of due deliveries and send them; returns how many were attempted."""
        async with self.db.write() as conn:
            claimed = await store.claim_due(
                conn,
                utc_now(),
                self.concurrency * BATCH_FACTOR,
                self.lease,
                skip_locked=self.db.is_postgresql,
            )
        if not claimed:
            return 0
        in_flight = asyncio.Semaphore(self.concurrency)

        async def deliver(message: store.Claimed) -> Outcome:
            async with in_flight:
                return await self._deliver(session, message)

        outcomes = await asyncio.gather(*(deliver(c) for c in claimed))
        recorded = [self._outcome(c, o) for c, o in zip(claimed, outcomes, strict=True)]
        async with self.db.write() as conn:  # one transaction records the whole batch
            await store.record_attempts(conn, recorded)
            for r in recorded:
                if r.attempt.status_code == 410:  # the receiver says: gone for good
                    await store.disable_endpoint_of(conn, r.message_id, r.attempt.at)
        return len(claimed)

    async def _deliver(self, session: aiohttp.ClientSession, message: store.Claimed) -> Outcome:
        body = msgspec.json.encode(message.payload).decode()
        sent_at = utc_now()  # real time: receivers check it against their own clock
        headers = {
            "Content-Type": "application/json",
            "webhook-id": message.event_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": sign(message.event_id, sent_at, body, message.secrets),
        }
        code: int | None = None
        excerpt: str | None = None
        error: str | None = None
        retry_after: float | None = None
        started = time.perf_counter()
        try:
            async with session.post(
                message.url,
                data=body.encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                allow_redirects=False,
            ) as resp:
                code = resp.status
                excerpt = (await resp.content.read(EXCERPT * 4)).decode(errors="replace")[:EXCERPT]
                if code in (429, 503):
                    retry_after = retry_after_seconds(resp.headers.get("Retry-After"), utc_now())
        except TimeoutError:
            error = f"timeout after {self.timeout:g} s"
        except aiohttp.ClientError as exc:
            error = f"{type(exc).__name__}: {exc}"[:EXCERPT]
        latency_ms = (time.perf_counter() - started) * 1000
        return Outcome(utc_now(), code, excerpt, error, retry_after, latency_ms)

    def _outcome(self, message: store.Claimed, outcome: Outcome) -> store.Recorded:
        """Where an attempt leaves its delivery: delivered, failed, or due again after a delay."""
        code = outcome.status_code
        attempt = store.Attempt(
            outcome.at + message.clock_offset,
            message.url,
            code,
            outcome.latency_ms,
            outcome.excerpt,
            outcome.error,
        )
        if code is not None and 200 <= code < 300:
            return store.Recorded(message.id, attempt, MessageStatus.DELIVERED, None)
        if code == 410:
            return store.Recorded(message.id, attempt, MessageStatus.FAILED, None)
        delay = next_delay(message.attempts + 1, self.schedule, outcome.retry_after, self._rng)
        if delay is None:
            return store.Recorded(message.id, attempt, MessageStatus.FAILED, None)
        return store.Recorded(
            message.id, attempt, MessageStatus.PENDING, outcome.at + timedelta(seconds=delay)
        )
