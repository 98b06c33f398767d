"""Where the time of one `logistic-order/get` page goes, without HTTP: SQL plans and per-stage timings.

    .venv/bin/python bench/explain.py postgresql://postgres@127.0.0.1:5432/marketbox_bench_1m \
        --token-file bench/results/marketbox_bench_1m.json [--iterations 300]

1. Captures the SQL marketbox runs for the page (`find_logistic_orders`) through SQLAlchemy's
   `before_cursor_execute` hook, and prints `EXPLAIN (ANALYZE, BUFFERS)` of each statement, warm.
2. Times each stage of the endpoint in-process, sequentially (one request at a time): the token
   lookup (cold), body decoding, each statement on bare asyncpg, the same through SQLAlchemy (pool
   checkout and result rows included), the whole service call (`find_logistic_orders`: SQL and rows
   to domain objects), domain to wire objects (`mapping.logistic_order`), JSON encoding.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
from sqlalchemy import event

from marketbox.dialects.aliexpress import mapping
from marketbox.dialects.aliexpress import schemas as w
from marketbox.dialects.aliexpress.routes import ok
from marketbox.services import logistic_orders
from marketbox.store import sellers as seller_store
from marketbox.store.database import Database

FIXED_BODY = {
    "page": 1,
    "page_size": 50,
    "filter_status": "AWAITING_ADDING_TO_HANDOVER",
    "sort_params": {"order_sort_type": "GMT_CREATE", "query_sort": "DESC"},
}


def _dollar(sql: str) -> str:
    """SQLAlchemy's asyncpg dialect hands the driver `%s`-style SQL; asyncpg itself wants $1, $2..."""
    n = 0

    def repl(_: re.Match[str]) -> str:
        nonlocal n
        n += 1
        return f"${n}"

    return re.sub(r"%s", repl, sql)


async def timed(iterations: int, fn: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    for _ in range(min(20, iterations)):
        await fn()
    samples = []
    for _ in range(iterations):
        t = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {
        "mean_ms": statistics.fmean(samples),
        "p50_ms": samples[len(samples) // 2],
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    token = json.loads(args.token_file.read_text())["token"]
    db = Database(args.url)
    captured: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        captured.append((statement, parameters))

    raw = msgspec.json.encode(FIXED_BODY)
    decoder = msgspec.json.Decoder(w.GetLogisticOrdersRequest)
    body = decoder.decode(raw)
    query, full = mapping.logistic_order_query(body)
    dsn = args.url.replace("postgresql+asyncpg://", "postgresql://")
    pg = await asyncpg.connect(dsn)
    out: dict[str, Any] = {"plans": {}, "stages": {}}
    try:
        seller_id = await pg.fetchval("SELECT id FROM sellers WHERE aliexpress_token = $1", token)
        async with db.read() as conn:
            seller = await seller_store.get_seller(conn, seller_id)
        assert seller is not None
        event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
        page, total = await logistic_orders.find_logistic_orders(db, seller, query)
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
        out["total"] = total
        statements = {f"statement {i + 1}": c for i, c in enumerate(captured)}
        for name, (sql, params) in statements.items():
            explain = "EXPLAIN (ANALYZE, BUFFERS) " + _dollar(sql)
            for _ in range(3):  # warm: the plan printed is the third run's
                rows = await pg.fetch(explain, *params)
            out["plans"][name] = {"sql": sql, "plan": [r[0] for r in rows]}

        n = args.iterations
        stages = out["stages"]
        directory = _directory(db)
        if directory is not None:
            stages["token lookup in the database (directory, uncached)"] = await timed(
                n, lambda: directory.aliexpress(token)
            )
        stages["decode request body"] = await timed(n, _sync(lambda: decoder.decode(raw)))
        for name, (sql, params) in statements.items():
            stages[f"{name}, bare asyncpg (fetch)"] = await timed(
                n, lambda sql=sql, params=params: pg.fetch(_dollar(sql), *params)
            )

        async def via_sqlalchemy(sql: str, params: Any) -> None:
            async with db.engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                result = await conn.exec_driver_sql(sql, tuple(params))
                result.mappings().all()

        for name, (sql, params) in statements.items():
            stages[f"{name}, SQLAlchemy (pool + result rows)"] = await timed(
                n, lambda sql=sql, params=params: via_sqlalchemy(sql, params)
            )
        stages["find_logistic_orders (service: SQL + rows -> domain)"] = await timed(
            n, lambda: logistic_orders.find_logistic_orders(db, seller, query)
        )

        def to_wire() -> w.LogisticOrdersPage:
            return w.LogisticOrdersPage(
                logistic_orders=[mapping.logistic_order(d, full=full) for d in page],
                page_info=w.PageInfo(current=body.page, page_size=body.page_size, total=total),
            )

        wire = to_wire()
        stages["domain -> wire objects (mapping.logistic_order x50)"] = await timed(n, _sync(to_wire))
        stages["encode JSON (msgspec)"] = await timed(n, _sync(lambda: msgspec.json.encode(ok(wire))))
        stages["size of the page (bytes)"] = {"bytes": float(len(msgspec.json.encode(ok(wire))))}
    finally:
        await pg.close()
        await db.dispose()
    return out


def _directory(db: Database) -> Any:
    """The app's token lookup, not started: every call asks the database (the cold path)."""
    try:
        from marketbox.services.tenant_directory import TenantDirectory
    except ImportError:
        return None
    return TenantDirectory(db)


def _sync(fn: Callable[[], Any]) -> Callable[[], Awaitable[Any]]:
    async def run() -> Any:
        return fn()

    return run


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("url")
    p.add_argument("--token-file", type=Path, required=True, help="written by fill.py")
    p.add_argument("--iterations", type=int, default=300)
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args()
    out = asyncio.run(main_async(args))
    for name, plan in out["plans"].items():
        print(f"--- {name}: {' '.join(plan['sql'].split())[:300]}")
        print("\n".join(plan["plan"]))
    print(f"\n--- stages (sequential, {args.iterations} iterations, total = {out['total']:,})")
    for name, t in out["stages"].items():
        print(f"{name:<58} " + "  ".join(f"{k} {v:8.3f}" for k, v in t.items()))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
