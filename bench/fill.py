"""Fill a PostgreSQL database with one seller and N logistic orders (default 1,000,000), fast.

    .venv/bin/python bench/fill.py postgresql://postgres@127.0.0.1:5432/marketbox_bench_1m \
        --count 1000000 --seed 42 --fresh --token-file bench/results/marketbox_bench_1m.json

What it does, in order:

1. (`--fresh`) drops and re-creates the database; runs marketbox's migrations
   (`marketbox.store.migrate.upgrade`);
2. creates one seller through `marketbox.services.tenants.create_tenant` (so the seller row, the
   credentials and the zeroed `logistic_order_counts` rows are exactly what the app makes);
3. reserves id ranges from the identity sequences the app itself draws from (one `setval` past
   the block), so ids look like the app's and the app keeps working after the load;
4. streams products, trade orders, trade order lines, handover lists and logistic orders with
   asyncpg's binary COPY (`copy_records_to_table`) in batches, behind a rich progress bar;
5. adds the per-status-group live counts to `logistic_order_counts` (the app's `total` comes from
   there), bumps the seller's data version and sends the tenant NOTIFY as an app write would,
   checks the foreign keys with anti-joins, and runs VACUUM ANALYZE (statistics for the
   planner, and the visibility map so the page query's index-only scans are what they would be on a
   database that autovacuum has seen).

The data is deterministic for a given `--seed`, `--count` and `--anchor`: one logistic order per
trade order with 1-3 lines; `gmt_create` rises with the id and spreads over the `--days` (90) days
before the anchor; the status mix (below) is that of a seller with three months of history; the
status and status group always agree with `GROUP_OF`; tracking codes are `tracking_code_for(id)`;
`lines` are `line_document()` output serialized by the JSON serializer of marketbox's engine. A few
not-yet-shipped orders are soft-deleted, as sellers do, and are left out of the counts.

Foreign-key triggers are switched off for the load (`session_replication_role = replica`, the
usual bulk-load switch; needs a superuser such as `postgres`) because every reference is correct by
construction; step 5 proves it afterwards. `--keep-fk-triggers` loads with them on (about 2x slower).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text
from sqlalchemy.engine import make_url

from marketbox.domain.logistic_orders import (
    GROUP_OF,
    JewelryCodes,
    LogisticOrderLine,
    LogisticStatus,
    ProblemState,
    StatusGroup,
    tracking_code_for,
)
from marketbox.domain.shipping_dates import calculated_cut_off, shipping_deadline
from marketbox.seed.aliexpress import (
    LINE_COLUMNS,
    LIST_COLUMNS,
    LOGISTIC_COLUMNS,
    PRODUCT_COLUMNS,
    TRADE_ORDER_COLUMNS,
)
from marketbox.services import fake_data, tenants
from marketbox.store import database as database_module
from marketbox.store.database import Database
from marketbox.store.logistic_orders import line_document
from marketbox.store.migrate import upgrade

console = Console(stderr=True)

SELLER_NAME = "marketbox-bench"
S = LogisticStatus

# (status, weight): three months of a busy seller. Group shares: DELIVERED 55%, DELIVERING 15%,
# AWAITING_ADDING_TO_HANDOVER 10%, CANCELLED 7%, AWAITING_REPORT_AS_SHIP 5%, NEW 2%,
# RETURNING_TO_SENDER 2%, RETURNED_TO_SENDER 2%, WITH_ERRORS 2%.
STATUS_MIX: tuple[tuple[LogisticStatus, float], ...] = (
    (S.PROVIDER_POSTING_DELIVERED, 55.0),
    (S.ORDER_RECEIVED_FROM_SELLER, 2.0),
    (S.CROSS_DOC_SORTING, 1.5),
    (S.CROSS_DOC_SENT, 1.5),
    (S.PROVIDER_POSTING_RECEIVE, 1.5),
    (S.PROVIDER_POSTING_LEFT_THE_RECEPTION, 1.5),
    (S.PROVIDER_POSTING_ARRIVED_AT_SORTING, 1.0),
    (S.PROVIDER_POSTING_SORTING, 1.0),
    (S.PROVIDER_POSTING_LEFT_THE_SORTING, 1.0),
    (S.PROVIDER_POSTING_ARRIVED, 2.0),
    (S.PROVIDER_POSTING_UNSUCCESSFUL_ATTEMPT_OF_DELIVERY, 1.0),
    (S.PROVIDER_POSTING_TEMPORARY_STORAGE, 1.0),
    (S.AWAITING_HANDOVER_LIST, 10.0),
    (S.AWAITING_CONFIRMATION, 2.0),
    (S.AWAITING_DISPATCH, 3.0),
    (S.NEW, 1.0),
    (S.AWAITING_CREATE_ORDER, 1.0),
    (S.ORDER_CREATION_PROBLEMS, 1.0),
    (S.ADDING_TO_HANDOVER_PROBLEMS, 1.0),
    (S.PROVIDER_POSTING_IN_RETURN, 2.0),
    (S.PROVIDER_POSTING_RETURNED, 2.0),
    (S.CANCELLED, 5.0),
    (S.REJECTED, 2.0),
)
# Statuses in which the order sits in a handover list, and that list's status.
IN_CREATED_LIST = {S.AWAITING_DISPATCH}
HANDED_OVER = {
    s for s in LogisticStatus if GROUP_OF[s] in {StatusGroup.DELIVERING, StatusGroup.DELIVERED}
} | {S.PROVIDER_POSTING_IN_RETURN, S.PROVIDER_POSTING_RETURNED, S.REJECTED}
DELETABLE = {S.NEW, S.AWAITING_CREATE_ORDER, S.AWAITING_HANDOVER_LIST, S.ORDER_CREATION_PROBLEMS}
DELETED_SHARE = 0.01  # of the deletable ones
ORDERS_PER_LIST = 100
CATALOGUE_SIZE = 400
JEWELRY_SHARE = 0.03  # of the catalogue: needs a marking code per unit


_serializer: Any = json.dumps


def _json(value: Any) -> str:
    # The serializer of marketbox's own engine (set in `fill`), so the bytes in the column match.
    return str(_serializer(value))


@dataclass(frozen=True)
class Sku:
    sku_id: int
    item_id: int
    name: str
    item_price: int
    img_url: str
    marking_required: bool
    jewelry: bool


def catalogue(seller_id: int, rng: random.Random) -> list[Sku]:
    skus = []
    for n in range(CATALOGUE_SIZE):
        sku_id = 12000030000000000 + n * 7919
        p = fake_data.product(seller_id, sku_id, rng, jewelry=rng.random() < JEWELRY_SHARE)
        skus.append(Sku(sku_id, p.item_id, p.name, p.item_price, p.img_url, p.marking_required, p.jewelry))
    return skus


@dataclass(frozen=True)
class Ids:
    trade_order: int
    trade_order_line: int
    logistic_order: int
    handover_list: int


@dataclass(frozen=True)
class Batch:
    products: list[tuple[Any, ...]]
    handover_lists: list[tuple[Any, ...]]
    trade_orders: list[tuple[Any, ...]]
    trade_order_lines: list[tuple[Any, ...]]
    logistic_orders: list[tuple[Any, ...]]
    groups: dict[str, int]


def _trade_statuses(status: LogisticStatus) -> tuple[str, str, str, str | None]:
    """(status, delivery_status, display_status, finish_reason) of the trade order behind `status`."""
    group = GROUP_OF[status]
    if group is StatusGroup.DELIVERED:
        return "Finished", "Delivered", "Finish", None
    if group is StatusGroup.CANCELLED:
        return "Cancelled", "Cancelled", "Close", "SellerSendGoodsTimeout"
    if group is StatusGroup.RETURNED_TO_SENDER:
        return "Finished", "Cancelled", "Close", "BuyerNotReceived"
    if status in HANDED_OVER:
        return "InProgress", "Shipped", "WaitAcceptGoods", None
    return "InProgress", "Init", "WaitSendGoods", None


class Generator:
    """Rows for orders number `start .. start+n-1` (0-based); every value comes from the seeded rng."""

    def __init__(self, seller_id: int, count: int, seed: int, anchor: datetime, days: int, ids: Ids) -> None:
        self.seller_id = seller_id
        self.count = count
        self.ids = ids
        self.anchor = anchor
        self.span = timedelta(days=days).total_seconds()
        self.begin = anchor - timedelta(days=days)
        rng = random.Random(seed)
        self.rng = rng
        self.skus = catalogue(seller_id, rng)
        self.statuses = [s for s, _ in STATUS_MIX]
        self.cum_weights = []
        total = 0.0
        for _, w in STATUS_MIX:
            total += w
            self.cum_weights.append(total)
        # Pools of pre-serialized documents: generating 1M addresses one by one would dominate.
        self.addresses = [_json(_address_doc(fake_data.address(rng))) for _ in range(2000)]
        self.names = [fake_data.person_name(rng) for _ in range(500)]
        self.line_json: dict[tuple[int, int], str] = {}
        self.next_line_id = ids.trade_order_line
        self.next_list_id = ids.handover_list
        self.open_lists: dict[str, tuple[int, int]] = {}  # list status -> (list id, orders in it)
        self.lists_made = 0

    def _line_doc(self, sku: Sku, quantity: int, codes: tuple[JewelryCodes, ...]) -> str:
        key = (sku.sku_id, quantity)
        if not codes and key in self.line_json:
            return self.line_json[key]
        doc = _json(
            line_document(
                LogisticOrderLine(
                    sku_id=sku.sku_id,
                    quantity=quantity,
                    product_source_id=0,
                    item_id=sku.item_id,
                    name=sku.name,
                    item_price=sku.item_price,
                    currency="RUB",
                    img_url=sku.img_url,
                    properties=(),
                    marking_required=sku.marking_required,
                    jewelry=sku.jewelry,
                    jewelry_codes=codes,
                )
            )
        )
        if not codes:
            self.line_json[key] = doc
        return doc

    def products(self) -> list[tuple[Any, ...]]:
        return [
            (self.seller_id, s.sku_id, s.item_id, s.name, s.item_price, "RUB", s.img_url, "[]",
             s.marking_required, s.jewelry)
            for s in self.skus
        ]  # fmt: skip

    def _list_for(self, status: LogisticStatus, at: datetime, out: list[tuple[Any, ...]]) -> int | None:
        if status in IN_CREATED_LIST:
            list_status = "Created"
        elif status in HANDED_OVER:
            list_status = "Transferred" if GROUP_OF[status] is StatusGroup.DELIVERING else "Accepted"
        else:
            return None
        list_id, used = self.open_lists.get(list_status, (0, ORDERS_PER_LIST))
        if used >= ORDERS_PER_LIST:
            list_id = self.next_list_id
            self.next_list_id += 1
            self.lists_made += 1
            shipment = "Pickup" if list_id % 3 else "Dropoff"
            arrival = at + timedelta(days=1) if shipment == "Pickup" else None
            out.append((list_id, self.seller_id, list_status, shipment, arrival, at, at))
            used = 0
        self.open_lists[list_status] = (list_id, used + 1)
        return list_id

    def batch(self, start: int, n: int) -> Batch:
        rng = self.rng
        rnd = rng.random
        skus = self.skus
        seller_id = self.seller_id
        trade_rows: list[tuple[Any, ...]] = []
        line_rows: list[tuple[Any, ...]] = []
        lo_rows: list[tuple[Any, ...]] = []
        list_rows: list[tuple[Any, ...]] = []
        groups: dict[str, int] = {}
        step = self.span / self.count
        for i in range(start, start + n):
            trade_id = self.ids.trade_order + i
            lo_id = self.ids.logistic_order + i
            # Monotonic in i (ids are handed out in creation order), jittered within its slot.
            gmt_create = self.begin + timedelta(seconds=(i + rnd()) * step)
            paid_at = gmt_create - timedelta(seconds=60 + rnd() * 7200)
            cut_off = calculated_cut_off(paid_at)
            r = rnd() * self.cum_weights[-1]
            k = 0
            while self.cum_weights[k] < r:
                k += 1
            status = self.statuses[k]
            group = GROUP_OF[status].value
            t_status, delivery, display, finish = _trade_statuses(status)
            updated_at = gmt_create if status in DELETABLE else gmt_create + timedelta(hours=2 + rnd() * 96)
            deleted_at = None
            if status in DELETABLE and rnd() < DELETED_SHARE:
                deleted_at = gmt_create + timedelta(minutes=5 + rnd() * 600)
                updated_at = deleted_at
            else:
                groups[group] = groups.get(group, 0) + 1
            docs = []
            items = 0
            amount = 0
            n_lines = 1 if rnd() < 0.6 else (2 if rnd() < 0.7 else 3)
            for sku in rng.sample(skus, n_lines):
                qty = 1 if rnd() < 0.75 else rng.randint(2, 3)
                codes: tuple[JewelryCodes, ...] = ()
                if sku.jewelry and sku.marking_required:
                    codes = tuple(JewelryCodes(u, (f"{rng.randrange(10**15, 10**16)}",)) for u in range(qty))
                docs.append(self._line_doc(sku, qty, codes))
                items += qty
                amount += sku.item_price * qty
                line_rows.append(
                    (self.next_line_id, trade_id, sku.sku_id, 0, sku.item_id, sku.name, sku.item_price,
                     "RUB", qty, sku.img_url, "[]", sku.marking_required, sku.jewelry,
                     f"SKU-{sku.sku_id}", "")
                )  # fmt: skip
                self.next_line_id += 1
            problem = None
            error = None
            if status is S.ORDER_CREATION_PROBLEMS:
                problem = ProblemState.CREATION_ERROR.value
                error = "Не удалось создать отправление у перевозчика: адрес вне зоны доставки"
            elif status is S.ADDING_TO_HANDOVER_PROBLEMS:
                problem = ProblemState.HANDOVER_ERROR.value
            elif status is S.PROVIDER_POSTING_UNSUCCESSFUL_ATTEMPT_OF_DELIVERY:
                problem = ProblemState.DELIVERY_PROBLEM.value
            list_id = None if deleted_at else self._list_for(status, gmt_create, list_rows)
            trade_rows.append(
                (trade_id, seller_id, t_status, "Paid", delivery, "Passed", display,
                 self.names[int(rnd() * 500)], f"+79{rng.randrange(10**8, 10**9)}", "643",
                 self.addresses[int(rnd() * 2000)], paid_at, paid_at, updated_at, cut_off,
                 shipping_deadline(cut_off), amount, "LocalTrade", finish)
            )  # fmt: skip
            weight = round(0.1 + rnd() * 4.9, 2)
            lo_rows.append(
                (lo_id, seller_id, trade_id, status.value, group, problem, tracking_code_for(lo_id),
                 list_id, cut_off, 0, gmt_create, updated_at, rng.randint(10, 60), rng.randint(5, 40),
                 rng.randint(2, 30), weight, items, amount, "[" + ",".join(docs) + "]", error, deleted_at)
            )  # fmt: skip
        return Batch([], list_rows, trade_rows, line_rows, lo_rows, groups)


def _address_doc(a: Any) -> dict[str, str]:
    document: dict[str, str] = asdict(a)  # the shape store/trade_orders.order_row() stores
    return document


class RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "… rows/s", style="cyan")


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def recreate_database(url: str) -> None:
    parsed = make_url(url)
    name = parsed.database
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to recreate database {name!r}")
    admin = await asyncpg.connect(asyncpg_dsn(parsed.set(database="postgres").render_as_string(False)))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def reserve(conn: asyncpg.Connection, table: str, n: int) -> int:
    """First id of a block of `n` ids taken from `table`'s identity sequence (the app continues after it)."""
    first: int = await conn.fetchval("SELECT nextval(pg_get_serial_sequence($1, 'id'))", table)
    if n > 1:
        await conn.execute("SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", table, first + n - 1)
    return first


async def _copy(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if rows:
        await conn.copy_records_to_table(table, records=rows, columns=list(columns))


def _batches(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(size, count - start)


async def fill(args: argparse.Namespace) -> dict[str, Any]:
    if args.fresh:
        await recreate_database(args.url)
    db = Database(args.url)
    global _serializer
    _serializer = getattr(db.engine.dialect, "_json_serializer", None) or json.dumps
    try:
        await upgrade(db)
        seller, credentials = await tenants.create_tenant(db, SELLER_NAME)
    finally:
        await db.dispose()

    conn = await asyncpg.connect(asyncpg_dsn(args.url))
    try:
        await conn.execute("SET synchronous_commit = off")
        if not args.keep_fk_triggers:
            await conn.execute("SET session_replication_role = replica")
        max_lists = args.count // ORDERS_PER_LIST + 3
        ids = Ids(
            trade_order=await reserve(conn, "trade_orders", args.count),
            trade_order_line=await reserve(conn, "trade_order_lines", args.count * 3),
            logistic_order=await reserve(conn, "logistic_orders", args.count),
            handover_list=await reserve(conn, "handover_lists", max_lists),
        )
        anchor = args.anchor or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        gen = Generator(seller.id, args.count, args.seed, anchor, args.days, ids)
        await _copy(conn, "products", PRODUCT_COLUMNS, gen.products())
        groups: dict[str, int] = {}
        started = time.perf_counter()

        async def write(batch: Batch) -> None:
            async with conn.transaction():
                # Parents first, so that a load with FK triggers on also passes.
                await _copy(conn, "handover_lists", LIST_COLUMNS, batch.handover_lists)
                await _copy(conn, "trade_orders", TRADE_ORDER_COLUMNS, batch.trade_orders)
                await _copy(conn, "trade_order_lines", LINE_COLUMNS, batch.trade_order_lines)
                await _copy(conn, "logistic_orders", LOGISTIC_COLUMNS, batch.logistic_orders)

        columns = (
            TextColumn("[bold]logistic orders"),
            BarColumn(),
            MofNCompleteColumn(),
            RowsPerSecond(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        plan = list(_batches(args.count, args.batch))
        with Progress(*columns, console=console, disable=args.quiet) as progress:
            task = progress.add_task("fill", total=args.count)
            # Batch k+1 is generated in a thread while batch k streams to PostgreSQL (whose backend
            # works on the other core), in order: a handover list always arrives before its members.
            upcoming = asyncio.ensure_future(asyncio.to_thread(gen.batch, *plan[0]))
            for k, (_, n) in enumerate(plan):
                batch = await upcoming
                if k + 1 < len(plan):
                    upcoming = asyncio.ensure_future(asyncio.to_thread(gen.batch, *plan[k + 1]))
                for g, m in batch.groups.items():
                    groups[g] = groups.get(g, 0) + m
                await write(batch)
                progress.advance(task, n)
        elapsed = time.perf_counter() - started
        rate = args.count / elapsed
        console.print(
            f"[green]inserted {args.count:,} logistic orders[/] (+ {args.count:,} trade orders, "
            f"{gen.next_line_id - ids.trade_order_line:,} lines, {gen.lists_made:,} handover lists) "
            f"in {elapsed:.1f} s: [bold]{rate:,.0f} logistic orders/s[/]"
        )
        # Move the sequences to just past what was used (the reservation may have taken more).
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('trade_order_lines', 'id'), $1)", gen.next_line_id - 1
        )
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('handover_lists', 'id'), $1)", gen.next_list_id - 1
        )
        async with conn.transaction():
            for g, m in groups.items():
                await conn.execute(
                    "UPDATE logistic_order_counts SET n = n + $3 WHERE seller_id = $1 AND status_group = $2",
                    seller.id, g, m,
                )  # fmt: skip
        await tell_the_app(conn, seller.id)
        t = time.perf_counter()
        await check(conn, seller.id)
        console.print(f"foreign keys and counts checked in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        await conn.execute("SET session_replication_role = origin")
        for table in ("products", "handover_lists", "trade_orders", "trade_order_lines", "logistic_orders",
                      "logistic_order_counts", "sellers"):  # fmt: skip
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        console.print(f"VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")
    finally:
        await conn.close()
    return {
        "url": args.url,
        "seller_id": seller.id,
        "token": credentials.aliexpress_token,
        "count": args.count,
        "seed": args.seed,
        "anchor": anchor.isoformat(),
        "groups": dict(sorted(groups.items())),
        "seconds": round(elapsed, 2),
        "rows_per_second": round(rate),
    }


async def tell_the_app(conn: asyncpg.Connection, seller_id: int) -> None:
    """What a tenant write of the app does after it: bump the tenant's data version (read caches are
    keyed on it) and notify running marketbox processes, when this version of the schema has them."""
    has_version = await conn.fetchval(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'sellers' "
        "AND column_name = 'data_version'"
    )
    if has_version:
        await conn.execute("UPDATE sellers SET data_version = data_version + 1 WHERE id = $1", seller_id)
    channel = getattr(database_module, "TENANT_CHANNEL", None)
    if channel:
        await conn.execute("SELECT pg_notify($1, $2)", channel, str(seller_id))


async def check(conn: asyncpg.Connection, seller_id: int) -> None:
    """Every reference resolves and the counters equal a real count (what FK triggers would have ensured)."""
    problems = {
        "logistic_orders.trade_order_id": "SELECT count(*) FROM logistic_orders lo WHERE NOT EXISTS "
        "(SELECT 1 FROM trade_orders t WHERE t.id = lo.trade_order_id)",
        "logistic_orders.handover_list_id": "SELECT count(*) FROM logistic_orders lo WHERE "
        "lo.handover_list_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM handover_lists h WHERE h.id = "
        "lo.handover_list_id)",
        "trade_order_lines.trade_order_id": "SELECT count(*) FROM trade_order_lines l WHERE NOT EXISTS "
        "(SELECT 1 FROM trade_orders t WHERE t.id = l.trade_order_id)",
        "seller_id": "SELECT (SELECT count(*) FROM logistic_orders WHERE seller_id NOT IN (SELECT id FROM "
        "sellers)) + (SELECT count(*) FROM trade_orders WHERE seller_id NOT IN (SELECT id FROM sellers))",
        "logistic_order_counts": "SELECT count(*) FROM logistic_order_counts c FULL JOIN (SELECT "
        "status_group, count(*) AS n FROM logistic_orders WHERE seller_id = $1 AND deleted_at IS NULL "
        "GROUP BY status_group) r USING (status_group) WHERE c.seller_id = $1 AND c.n <> coalesce(r.n, 0)",
    }
    for what, sql in problems.items():
        params = (seller_id,) if "$1" in sql else ()
        bad = await conn.fetchval(sql, *params)
        if bad:
            raise SystemExit(f"integrity check failed: {bad} bad rows in {what}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("url", help="postgresql://user@127.0.0.1:5432/dbname")
    p.add_argument("--count", type=int, default=1_000_000, help="logistic orders (default 1,000,000)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--days", type=int, default=90, help="gmt_create spread (default 90 days)")
    p.add_argument(
        "--anchor",
        type=lambda s: datetime.fromisoformat(s).astimezone(UTC),
        default=None,
        help="newest gmt_create, ISO 8601 (default: today 00:00 UTC)",
    )
    p.add_argument("--batch", type=int, default=10_000, help="logistic orders per COPY batch")
    p.add_argument("--fresh", action="store_true", help="drop and re-create the database first")
    p.add_argument("--keep-fk-triggers", action="store_true", help="load with FK triggers on (slower)")
    p.add_argument("--token-file", type=Path, help="write the seller id, token and load stats here (JSON)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    if args.count < 1:
        p.error("--count must be >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    info = asyncio.run(fill(args))
    if args.token_file:
        args.token_file.parent.mkdir(parents=True, exist_ok=True)
        args.token_file.write_text(json.dumps(info, indent=2) + "\n")
    console.print(f"seller {info['seller_id']} x-auth-token: [bold]{info['token']}[/]")
    print(json.dumps(info))


if __name__ == "__main__":
    sys.exit(main())
