"""How fast `marketbox seed` fills a database: orders/s and elapsed time, on PostgreSQL or SQLite.

    .venv/bin/python bench/seed.py postgresql://postgres@127.0.0.1:5432/marketbox_bench_seed \
        --sellers 10 --orders 100000          # 1,000,000 orders
    .venv/bin/python bench/seed.py sqlite:///bench/results/seed.sqlite3 --orders 100000

Starts from an empty database (PostgreSQL: dropped and created again; SQLite: the file removed), runs
the real command (`marketbox seed ... --json`, a process of its own, progress bar on stderr), then
counts what it wrote. Prints one JSON line: the command's own figures (`seconds`: tenants, orders and
ANALYZE, without the migrations), the process's wall time, orders/s and rows/s, rows per table, and
the AliExpress status groups and Lamoda order statuses it produced. `--keep` keeps the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from marketbox.store.database import Database

ROOT = Path(__file__).resolve().parent.parent
TABLES = (
    "sellers", "products", "trade_orders", "trade_order_lines", "logistic_orders", "handover_lists",
    "lamoda_nomenclatures", "lamoda_orders", "lamoda_order_items", "lamoda_containers",
    "lamoda_marking_codes", "lamoda_shipments", "lamoda_return_items", "lamoda_return_boxes",
)  # fmt: skip


def _admin_dsn(url: str) -> tuple[str, str]:
    parsed = make_url(url)
    name = parsed.database or ""
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to drop database {name!r}")
    admin = parsed.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), name


async def _recreate(url: str) -> None:
    dsn, name = _admin_dsn(url)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop(url: str) -> None:
    dsn, name = _admin_dsn(url)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _remove_sqlite(url: str) -> None:
    path = make_url(url).database
    if path:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(path + suffix).unlink(missing_ok=True)


async def _census(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            rows = {t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES}
            groups = await conn.execute(
                text("SELECT status_group, sum(n) FROM logistic_order_counts GROUP BY 1 ORDER BY 2 DESC")
            )
            statuses = await conn.execute(
                text("SELECT status, count(*) FROM lamoda_orders GROUP BY 1 ORDER BY 2 DESC")
            )
            return {
                "rows_per_table": rows,
                "aliexpress_status_groups": {g: int(n) for g, n in groups.all()},
                "lamoda_order_statuses": {s: int(n) for s, n in statuses.all()},
            }
    finally:
        await db.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("url", help="postgresql://user@127.0.0.1:5432/dbname or sqlite:///path")
    p.add_argument("--sellers", type=int, default=1)
    p.add_argument("--orders", type=int, default=100_000, help="per seller")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--now", default="2026-11-23T12:00:00+03:00", help="the history's end (ISO 8601)")
    p.add_argument("--batch-size", type=int, default=5000)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = p.parse_args(argv)
    postgres = make_url(args.url).get_backend_name() in ("postgresql", "postgres")
    if postgres:
        asyncio.run(_recreate(args.url))
    else:
        _remove_sqlite(args.url)
    command = [
        str(ROOT / ".venv" / "bin" / "marketbox"), "seed", "--database-url", args.url, "--json",
        "--sellers", str(args.sellers), "--orders", str(args.orders), "--seed", str(args.seed),
        "--now", args.now, "--batch-size", str(args.batch_size),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, env=os.environ.copy())
    wall = time.perf_counter() - started
    summary = json.loads(done.stdout)
    census = asyncio.run(_census(args.url))
    if not args.keep:
        if postgres:
            asyncio.run(_drop(args.url))
        else:
            _remove_sqlite(args.url)
    rows = sum(census["rows_per_table"].values())
    print(
        json.dumps(
            {
                "backend": "postgresql" if postgres else "sqlite",
                "sellers": args.sellers,
                "orders": summary["orders"],
                "seconds": summary["seconds"],
                "wall_seconds": round(wall, 2),
                "orders_per_second": summary["orders_per_second"],
                "rows": rows,
                "rows_per_second": round(rows / summary["seconds"]),
                **census,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
