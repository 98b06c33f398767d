"""Webhook delivery: marketbox's worker vs the bare limit, side by side in one run.

    .venv/bin/python bench/webhooks.py [--events 20000] [--rounds 3] [--rate 500] [--seconds 10]

Everything on 127.0.0.1, PostgreSQL (a fresh database, dropped afterwards), uvloop as `marketbox
worker` runs it (`--loop asyncio` for the standard loop, applied to both sides):

1. a receiver: a bare uvicorn ASGI app (uvloop, httptools, no access log) in its own process that
   answers 200 and appends `webhook-id receipt-time` per request;
2. each round, side by side: the bare loop - aiohttp posting `--events` small JSON bodies to it, 32
   in flight, no database, no signing: the limit of this client and receiver on this machine - then
   marketbox: `--events` notifications committed to the outbox first, then one `DeliveryWorker` (32
   in flight) delivers them; deliveries per second until the outbox is empty; medians over rounds;
3. latency: `--committers` processes commit notifications one transaction each (as API processes
   would), `--rate` per second in all for `--seconds`, while a `marketbox worker` process delivers
   them; latency = receipt time - commit time, p50/p99, with the commit rate reached.

CPU per delivery is read from /proc for the bench process (the client: bare loop or worker), the
receiver and all PostgreSQL processes.

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

from sqlalchemy import exists, literal_column, select  # noqa: E402
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


def event(n: int) -> Event:
    payload = {"type": "statusChanged", "trackingId": f"B{n:09d}", "sequenceNumber": 1}
    return Event(NotificationType.STATUS_CHANGED, f"B{n:09d}", 1, payload)


def cpu_seconds(receiver_pid: int) -> dict[str, float]:
    """CPU time so far of this process, the receiver and all of PostgreSQL's processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")

    def of(pid: str) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    postgres = 0.0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == "postgres":
                    postgres += of(pid)
            except OSError:
                continue
    return {"client": time.process_time(), "receiver": of(str(receiver_pid)), "postgres": postgres}


def cpu_per_item(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """Microseconds of CPU per delivery, per process."""
    return {k: round((after[k] - before[k]) / count * 1e6) for k in before}


async def throughput(
    db: Database, seller: Any, first: int, count: int, receiver_pid: int
) -> tuple[float, dict[str, float]]:
    for start in range(first, first + count, 1000):
        async with db.tenant_write(seller.id) as conn:
            await notifications.emit(
                conn, seller, [event(n) for n in range(start, min(first + count, start + 1000))]
            )
    worker = DeliveryWorker(db, concurrency=CONCURRENCY)
    stop = asyncio.Event()
    cpu = cpu_seconds(receiver_pid)
    started = time.perf_counter()
    running = asyncio.create_task(worker.run(stop))
    while await pending(db):  # noqa: ASYNC110 (the state is in the database)
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    spent = cpu_per_item(cpu, cpu_seconds(receiver_pid), count)
    stop.set()
    await running
    return count / elapsed, spent


async def pending(db: Database) -> bool:
    """Whether any delivery is still pending (from the workers' own partial index, so that polling
    costs PostgreSQL next to nothing)."""
    async with db.autocommit() as conn:
        query = select(exists().where(webhook_messages.c.status == literal_column("'pending'")))
        return bool((await conn.execute(query)).scalar_one())


async def commit_at_rate(
    db_url: str, seller_ids: list[int], first: int, count: int, rate: float, warmup: int
) -> str:
    """One committer process: `warmup` + `count` notifications at `rate`/s, one transaction each, over
    its sellers; returns `event-id commit-time` per measured notification and the time they took."""
    db = Database(db_url, pool_size=20)
    committed: list[tuple[str, float]] = []
    try:
        async with db.read() as conn:
            sellers = [await tenants.tenant_seller(conn, s) for s in seller_ids]
        writers = asyncio.Semaphore(len(sellers))  # one transaction per seller at a time
        started = time.perf_counter()

        async def commit(n: int) -> None:
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            seller = sellers[n % len(sellers)]
            async with writers, db.tenant_write(seller.id) as conn:
                (event_id,) = await notifications.emit(conn, seller, [event(first + n)])
            if n >= warmup:
                committed.append((event_id, time.time()))

        await asyncio.gather(*(commit(n) for n in range(warmup + count)))
        elapsed = time.perf_counter() - started - warmup / rate
    finally:
        await db.dispose()
    return "".join(f"{k} {t}\n" for k, t in committed) + f"# {elapsed}\n"


async def latency(
    db_url: str, sellers: list[Any], args: argparse.Namespace, log: Path, folder: Path
) -> tuple[list[float], float]:
    """Committer processes commit (as API processes would), a `marketbox worker` process delivers."""
    env = {**os.environ, "MARKETBOX_DATABASE_URL": db_url}
    worker = subprocess.Popen(  # noqa: ASYNC220 (started once, before anything is measured)
        [sys.executable, "-c", "from marketbox.cli import main; main()", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    total = int(args.rate * args.seconds)
    outs = [folder / f"committed-{k}.txt" for k in range(args.committers)]
    try:
        await asyncio.sleep(3)  # started and listening
        share = total // args.committers
        committers = [
            subprocess.Popen(  # noqa: ASYNC220
                [
                    sys.executable,
                    __file__,
                    "--commit",
                    json.dumps(
                        {
                            "db": db_url,
                            "sellers": [s.id for s in sellers[k :: args.committers]],
                            "first": 100_000_000 + k * 10_000_000,
                            "count": share,
                            "rate": args.rate / args.committers,
                            "warmup": int(args.warmup * args.rate / args.committers),
                            "out": str(outs[k]),
                            "loop": args.loop,
                        }
                    ),
                ],
            )
            for k in range(args.committers)
        ]
        for c in committers:
            while c.poll() is None:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        committed: dict[str, float] = {}
        slowest = 0.0
        for out in outs:
            for line in out.read_text().splitlines():
                if line.startswith("# "):
                    slowest = max(slowest, float(line[2:]))
                else:
                    key, _, at = line.partition(" ")
                    committed[key] = float(at)
        reached = len(committed) / slowest if slowest else 0.0
        print(f"committed {len(committed)} notifications at {reached:.0f}/s (asked {args.rate:g}/s)")
        deadline = time.monotonic() + 30
        # the receipts are in another process's file: poll it
        while time.monotonic() < deadline and len(set(receipts(log)) & set(committed)) < len(committed):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    got = receipts(log)
    return [(got[k] - t) * 1000 for k, t in committed.items() if k in got], reached


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(
    db_url: str, url: str, log: Path, folder: Path, args: argparse.Namespace, receiver_pid: int
) -> tuple[list[float], list[float], dict[str, Any], list[float], float]:
    await wait_up(url)
    db, sellers = await setup(db_url, url, max(SELLERS, 8 * args.committers))
    bare: list[float] = []
    ours: list[float] = []
    cpu: dict[str, Any] = {"bare loop": [], "marketbox": []}
    try:
        for r in range(args.rounds):
            before = cpu_seconds(receiver_pid)
            bare.append(await bare_loop(url, args.events))
            cpu["bare loop"].append(cpu_per_item(before, cpu_seconds(receiver_pid), args.events))
            rate, spent = await throughput(db, sellers[0], r * args.events, args.events, receiver_pid)
            ours.append(rate)
            cpu["marketbox"].append(spent)
            print(
                f"round {r + 1}: bare loop {bare[-1]:.0f}/s (CPU us/request {cpu['bare loop'][-1]}), "
                f"marketbox {ours[-1]:.0f}/s (CPU us/delivery {spent})"
            )
    finally:
        await db.dispose()
    latencies, reached = await latency(db_url, sellers[1:], args, log, folder)
    return bare, ours, cpu, latencies, reached


def run(main: Any, loop: str) -> Any:
    if loop == "uvloop":
        import uvloop

        return uvloop.run(main)
    return asyncio.run(main)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--committers", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=2, help="seconds committed before measuring")
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop")
    parser.add_argument("--commit", help=argparse.SUPPRESS)  # a committer process's orders
    args = parser.parse_args()
    if args.commit:
        o = json.loads(args.commit)
        done = run(
            commit_at_rate(o["db"], o["sellers"], o["first"], o["count"], o["rate"], o["warmup"]), o["loop"]
        )
        Path(o["out"]).write_text(done)
        return
    folder = Path(tempfile.mkdtemp(prefix="mbx-hooks-"))
    log = folder / "receipts.log"
    port = free_port()
    receiver = start_receiver(port, log, folder)
    url = f"http://127.0.0.1:{port}/hook"
    try:
        with fresh_database("postgresql", folder) as db_url:
            migrate(db_url)
            bare, ours, cpu, latencies, reached = run(
                measure(db_url, url, log, folder, args, receiver.pid), args.loop
            )
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    expected = int(args.rate * args.seconds) // args.committers * args.committers
    ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    results = {
        "loop": args.loop,
        "events": args.events,
        "rounds": args.rounds,
        "bare_loop_per_s": [round(b) for b in bare],
        "marketbox_per_s": [round(o) for o in ours],
        "ratio_to_bare": [round(r, 3) for r in ratios],
        "median_bare_loop_per_s": round(statistics.median(bare)),
        "median_marketbox_per_s": round(statistics.median(ours)),
        "median_ratio": round(statistics.median(ratios), 3),
        "cpu_us_per_delivery": cpu,
        "rate_asked": args.rate,
        "rate_reached": round(reached),
        "latency_samples": len(latencies),
        "latency_expected": expected,
        "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "latency_p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
    }
    checks = {
        ">= 2000 deliveries/s": statistics.median(ours) >= 2000,
        "p99 <= 50 ms at 500/s": bool(latencies)
        and percentile(latencies, 99) <= 50
        and len(latencies) == expected
        and reached >= 0.95 * args.rate,
        ">= 80% of the bare loop": statistics.median(ratios) >= 0.8,
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
