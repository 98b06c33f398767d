"""Experiment behind suggestion 1 of docs/benchmarks.md: PostgreSQL builds the page's JSON itself.

    .venv/bin/python bench/pg_json_page.py postgresql://postgres@127.0.0.1:5432/marketbox_bench_1m \
        --token-file bench/results/marketbox_bench_1m.json

Times (prepared, warm, sequential) one statement that selects the same 50 ids as marketbox's page
query (index-only scan of the partial index) and returns the page as one JSON text value built with
json_agg/json_build_object - most of the fields of `LogisticOrderOut`, not all - and prints the
statement's EXPLAIN ANALYZE execution time. Python then has one string to splice into the response.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import asyncpg

SQL = """
SELECT json_build_object('data', json_build_object('logistic_orders', coalesce(json_agg(json_build_object(
  'logistic_order_id', lo.id, 'trade_order_id', lo.trade_order_id,
  'handover_list_id', coalesce(lo.handover_list_id, 0), 'cut_off_date', lo.cut_off_date,
  'status', lo.status_group, 'platform_tracking_code', lo.tracking_code, 'items_count', lo.items_count,
  'gmt_create', lo.gmt_create, 'trade_order_source', t.trade_order_source,
  'total_amount', t.total_amount, 'buyer_name', t.buyer_name, 'buyer_country_code', t.buyer_country_code,
  'addresses', json_build_object('receiver_address', t.receiver_address), 'items', lo.lines)
  ORDER BY lo.gmt_create DESC, lo.id DESC), '[]'),
  'page_info', json_build_object('current', 1, 'page_size', 50, 'total',
     (SELECT n FROM logistic_order_counts WHERE seller_id = $1 AND status_group = $2))), 'error', null)::text
FROM (SELECT id FROM logistic_orders WHERE seller_id = $1 AND status_group = $2 AND deleted_at IS NULL
      ORDER BY gmt_create DESC, id DESC LIMIT 50 OFFSET 0) p
JOIN logistic_orders lo ON lo.id = p.id
JOIN trade_orders t ON t.id = lo.trade_order_id
"""


async def main_async(url: str, seller_id: int, group: str, iterations: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        statement = await conn.prepare(SQL)
        for _ in range(50):
            page = await statement.fetchval(seller_id, group)
        samples = []
        for _ in range(iterations):
            t = time.perf_counter()
            page = await statement.fetchval(seller_id, group)
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        print(
            f"page JSON built by PostgreSQL: {len(page):,} bytes, round trip p50 "
            f"{samples[len(samples) // 2]:.3f} ms, mean {sum(samples) / len(samples):.3f} ms"
        )
        plan = await conn.fetch("EXPLAIN ANALYZE " + SQL, seller_id, group)
        print(plan[-1][0])
    finally:
        await conn.close()


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("url")
    p.add_argument("--token-file", type=Path, required=True, help="written by fill.py")
    p.add_argument("--group", default="AWAITING_ADDING_TO_HANDOVER")
    p.add_argument("--iterations", type=int, default=300)
    args = p.parse_args()
    seller_id = json.loads(args.token_file.read_text())["seller_id"]
    asyncio.run(main_async(args.url, seller_id, args.group, args.iterations))


if __name__ == "__main__":
    main()
