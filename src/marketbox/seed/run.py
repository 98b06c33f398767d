"""Seeding: new tenants, each with a catalogue and a history of orders on both marketplaces.

Tenants are made by services/tenants.create_tenant, exactly as the sandbox makes them. Their orders
are generated batch after batch (the next batch in a thread while the current one is written) and
written in bulk (store/bulk.py), with ids drawn from the tables' own sequences, so that the app goes
on numbering after them. Content depends only on the seed and the options: each seller and each
marketplace has a random stream of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Table

from marketbox.domain.errors import NotFound
from marketbox.domain.sellers import Seller, SellerCredentials
from marketbox.seed import aliexpress, lamoda
from marketbox.seed.common import Window
from marketbox.seed.plan import SeedPlan
from marketbox.services import tenants
from marketbox.store import tables
from marketbox.store.bulk import IdBlocks, Load, Loader, open_loader
from marketbox.store.database import Database


def window_of(plan: SeedPlan) -> Window:
    """Without a given `now`, the history ends at today's 00:00 UTC: runs on one day agree."""
    end = plan.now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return Window(end, plan.days)


@dataclass(frozen=True)
class SeededTenant:
    seller: Seller
    credentials: SellerCredentials
    aliexpress_orders: int
    lamoda_orders: int


@dataclass(frozen=True)
class SeedResult:
    tenants: tuple[SeededTenant, ...]
    window: Window
    rows: int
    seconds: float

    @property
    def orders(self) -> int:
        return sum(t.aliexpress_orders + t.lamoda_orders for t in self.tenants)


class _Seeder(Protocol):
    def batch(self, ids: IdBlocks, start: int, count: int) -> Load: ...

    def finish(self) -> Load: ...


SHOPS = (
    "Северный ветер", "Модный квартал", "Городской стиль", "Уютный дом", "Спорт-Лайн", "Золотая нить",
    "ТехноМаркет", "Лесная сказка", "Мастерская уюта", "Белый кролик", "Ситец и лён", "Полярная звезда",
)  # fmt: skip
TOUCHED: tuple[Table, ...] = (
    tables.products, tables.trade_orders, tables.trade_order_lines, tables.handover_lists,
    tables.logistic_orders, tables.logistic_order_counts, tables.lamoda_nomenclatures, tables.lamoda_orders,
    tables.lamoda_order_items, tables.lamoda_containers, tables.lamoda_marking_codes,
    tables.lamoda_return_boxes, tables.lamoda_return_items, tables.lamoda_shipments,
)  # fmt: skip


def seller_name(seed: int, index: int) -> str:
    rng = random.Random(f"marketbox-seed/{seed}/{index}/name")
    return f"ООО «{rng.choice(SHOPS)}» №{index + 1}"


async def seed(db: Database, plan: SeedPlan, progress: Callable[[int], None] = lambda _: None) -> SeedResult:
    """Create `plan.sellers` tenants and fill them; on any failure the new tenants are removed again.
    `progress` is told of every batch of orders written."""
    started = time.perf_counter()
    window = window_of(plan)
    made: list[SeededTenant] = []
    rows = 0
    loader = await open_loader(db)
    ids = IdBlocks(loader)
    try:
        for index in range(plan.sellers):
            seller, credentials = await tenants.create_tenant(
                db, seller_name(plan.seed, index), start=plan.now
            )
            ae_orders, lamoda_orders = plan.split()
            made.append(SeededTenant(seller, credentials, ae_orders, lamoda_orders))
            stream = f"marketbox-seed/{plan.seed}/{index}"
            if ae_orders:
                ae = aliexpress.AliExpressSeeder(
                    seller.id, ae_orders, plan.products, window, random.Random(f"{stream}/aliexpress")
                )
                rows += await _fill(
                    loader, ids, ae, ae.products(), ae_orders, plan.batch_size, aliexpress.id_needs, progress
                )
            if lamoda_orders:
                la = lamoda.LamodaSeeder(
                    seller.id, lamoda_orders, plan.products, window, random.Random(f"{stream}/lamoda")
                )
                rows += await _fill(
                    loader,
                    ids,
                    la,
                    la.nomenclature(),
                    lamoda_orders,
                    plan.batch_size,
                    lamoda.id_needs,
                    progress,
                )
            # What every tenant write does: a new revision (read caches) and, on PostgreSQL, a NOTIFY.
            async with db.tenant_write(seller.id):
                pass
        await ids.give_back()
        await loader.analyze(TOUCHED)
    except BaseException:
        await loader.close()
        for tenant in made:
            with contextlib.suppress(NotFound):
                await tenants.delete_tenant(db, tenant.seller.id)
        raise
    await loader.close()
    return SeedResult(tuple(made), window, rows, time.perf_counter() - started)


async def _fill(
    loader: Loader,
    ids: IdBlocks,
    seeder: _Seeder,
    catalogue: Load,
    count: int,
    batch_size: int,
    needs: Callable[[int], dict[Table, int]],
    progress: Callable[[int], None],
) -> int:
    """Write the catalogue, then the orders batch by batch; returns the rows written."""
    await loader.write(catalogue)
    rows = catalogue.rows
    plan = [(start, min(batch_size, count - start)) for start in range(0, count, batch_size)]
    await ids.ensure(needs(plan[0][1]))
    upcoming = asyncio.ensure_future(asyncio.to_thread(seeder.batch, ids, *plan[0]))
    try:
        for k, (_, n) in enumerate(plan):
            load = await upcoming
            if k + 1 < len(plan):
                # The ids the next batch may take are reserved before it starts, so that the thread
                # making it never waits for the database.
                await ids.ensure(needs(plan[k + 1][1]))
                upcoming = asyncio.ensure_future(asyncio.to_thread(seeder.batch, ids, *plan[k + 1]))
            await loader.write(load)
            rows += load.rows
            progress(n)
        last = seeder.finish()
        await loader.write(last)
        return rows + last.rows
    finally:
        if not upcoming.done():
            with contextlib.suppress(BaseException):
                await upcoming
