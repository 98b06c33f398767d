"""Webhook delivery: marketbox's worker vs the bare limit, side by side in one run.

    .venv/bin/python bench/webhooks.py [--events 5000] [--rate 500] [--seconds 10]

Everything on 127.0.0.1, PostgreSQL (a fresh database, dropped afterwards):

1. a receiver: a bare uvicorn ASGI app (uvloop, httptools, no access log) in its own process that
   answers 200 and appends `webhook-id receipt-time` per request;
2. the bare loop: aiohttp posting `--events` small JSON bodies to it, 32 in flight, no database, no
   signing - the limit of this client and receiver on this machine;
3. marketbox throughput: `--events` notifications committed to the outbox first, then one
   `DeliveryWorker` (32 in flight) delivers them: deliveries per second;
4. marketbox latency: notifications committed one transaction each at `--rate` per second for
   `--seconds` while the worker runs; latency = receipt time - commit time, p50/p99.

Prints the figures and the target checks (>= 2,000 deliveries/s, p99 <= 50 ms at 500/s, >= 80% of
the bare loop), and writes them as JSON to bench/results/webhooks-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from tests.databases import fresh_database  # noqa: E402
from tests.servers import free_port, migrate  # noqa: E402

from marketbox.domain.notifications import Event, NotificationType  # noqa: E402
from marketbox.services import notifications, tenants  # noqa: E402
from marketbox.store.database import Database  # noqa: E402
from marketbox.store.tables import webhook_messages  # noqa: E402
from marketbox.webhooks.worker import DeliveryWorker  # noqa: E402

CONCURRENCY = 32
SELLERS = 8  # one seller's writes are serialized; the fixed-rate phase spreads over several
RECEIVER = """
import time
log = open(LOG_PATH, "a", buffering=1)

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                log.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    ids = [v for k, v in scope["headers"] if k == b"webhook-id"]
    log.write(f"{ids[0].decode() if ids else '-'} {time.time()}\\n")
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})
"""


def start_receiver(port: int, log: Path, folder: Path) -> subprocess.Popen[bytes]:
    script = folder / "receiver_app.py"
    script.write_text(RECEIVER.replace("LOG_PATH", repr(str(log))))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "receiver_app:app",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder)},
    )
    return process


def receipts(log: Path) -> dict[str, float]:
    found: dict[str, float] = {}
    if log.exists():
        for line in log.read_text().splitlines():
            key, _, at = line.partition(" ")
            found.setdefault(key, float(at))
    return found


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.post(url, data=b"{}") as resp:
                    await resp.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    raise RuntimeError("receiver did not start")


async def bare_loop(url: str, count: int) -> float:
    body = json.dumps({"type": "statusChanged", "trackingId": "261123-000001", "items": []}).encode()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def post_all() -> None:
            while not queue.empty():
                queue.get_nowait()
                async with session.post(url, data=body, headers={"content-type": "application/json"}) as r:
                    await r.read()

        started = time.perf_counter()
        await asyncio.gather(*(post_all() for _ in range(CONCURRENCY)))
        return count / (time.perf_counter() - started)


async def setup(url: str, target: str, count: int = SELLERS) -> tuple[Database, list[Any]]:
    db = Database(url, pool_size=20)
    sellers = []
    for n in range(count):
        seller, _ = await tenants.create_tenant(db, f"bench {n}")
        await notifications.subscribe(db, seller.id, target, None)
        sellers.append(seller)
    return db, sellers


def event(n: int, committed: float | None = None) -> Event:
    payload = {
        "type": "statusChanged",
        "trackingId": f"B{n:07d}",
        "sequenceNumber": 1,
        "committed": committed,
    }
    return Event(NotificationType.STATUS_CHANGED, f"B{n:07d}", 1, payload)


async def throughput(db: Database, seller: Any, count: int) -> float:
    for start in range(0, count, 1000):
        async with db.tenant_write(seller.id) as conn:
            await notifications.emit(conn, seller, [event(n) for n in range(start, min(count, start + 1000))])
    worker = DeliveryWorker(db, concurrency=CONCURRENCY)
    stop = asyncio.Event()
    started = time.perf_counter()
    running = asyncio.create_task(worker.run(stop))
    while await pending(db) > 0:  # noqa: ASYNC110 (the state is in the database)
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    stop.set()
    await running
    return count / elapsed


async def pending(db: Database) -> int:
    async with db.read() as conn:
        query = select(func.count()).where(webhook_messages.c.status != "delivered")
        return int((await conn.execute(query)).scalar_one())


async def latency(
    db_url: str, db: Database, sellers: list[Any], rate: float, seconds: float, log: Path
) -> list[float]:
    """Commits here (as an API process would), delivery by a `marketbox worker` process."""
    env = {**os.environ, "MARKETBOX_DATABASE_URL": db_url}
    worker = subprocess.Popen(  # noqa: ASYNC220 (started once, before anything is measured)
        [sys.executable, "-c", "from marketbox.cli import main; main()", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        await asyncio.sleep(3)  # started and listening
        committed: dict[str, float] = {}
        total = int(rate * seconds)
        started = time.perf_counter()
        writers = asyncio.Semaphore(16)  # commits overlap, as a busy API process's would

        async def commit(n: int) -> None:
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            seller = sellers[n % len(sellers)]
            async with writers, db.tenant_write(seller.id) as conn:
                (event_id,) = await notifications.emit(conn, seller, [event(10_000_000 + n)])
            committed[event_id] = time.time()

        await asyncio.gather(*(commit(n) for n in range(total)))
        achieved = total / (time.perf_counter() - started)
        print(f"committed {total} notifications at {achieved:.0f}/s (asked {rate:g}/s)")
        deadline = time.monotonic() + 30
        # the receipts are in another process's file: poll it
        while time.monotonic() < deadline and len(set(receipts(log)) & set(committed)) < total:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    got = receipts(log)
    return [(got[k] - t) * 1000 for k, t in committed.items() if k in got]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(
    db_url: str, url: str, log: Path, args: argparse.Namespace
) -> tuple[float, float, list[float]]:
    await wait_up(url)
    bare = await bare_loop(url, args.events)
    db, sellers = await setup(db_url, url)
    try:
        ours = await throughput(db, sellers[0], args.events)
        latencies = await latency(db_url, db, sellers, args.rate, args.seconds, log)
    finally:
        await db.dispose()
    return bare, ours, latencies


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mbx-hooks-"))
    log = folder / "receipts.log"
    port = free_port()
    receiver = start_receiver(port, log, folder)
    url = f"http://127.0.0.1:{port}/hook"
    try:
        with fresh_database("postgresql", folder) as db_url:
            migrate(db_url)
            bare, ours, latencies = asyncio.run(measure(db_url, url, log, args))
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    expected = int(args.rate * args.seconds)
    results = {
        "events": args.events,
        "bare_loop_per_s": round(bare),
        "marketbox_per_s": round(ours),
        "ratio_to_bare": round(ours / bare, 3),
        "rate": args.rate,
        "latency_samples": len(latencies),
        "latency_expected": expected,
        "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "latency_p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
    }
    checks = {
        ">= 2000 deliveries/s": ours >= 2000,
        "p99 <= 50 ms at 500/s": bool(latencies)
        and percentile(latencies, 99) <= 50
        and len(latencies) == expected,
        ">= 80% of the bare loop": ours >= 0.8 * bare,
    }
    print(json.dumps(results, indent=2))
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"webhooks-{stamp}-{uuid.uuid4().hex[:4]}.json"
    (out / name).write_text(json.dumps({**results, "checks": checks}, indent=2))


if __name__ == "__main__":
    main()
