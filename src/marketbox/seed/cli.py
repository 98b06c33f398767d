"""`marketbox seed`: options, checks (every bad value is refused before anything is written), output."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
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
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from marketbox.domain.errors import DomainError
from marketbox.seed.plan import Marketplace, SeedPlan
from marketbox.settings import Settings

if TYPE_CHECKING:
    from marketbox.seed.run import SeedResult

console = Console()
errors = Console(stderr=True)


def _database_url(value: str | None) -> str | None:
    from marketbox.store.database import normalize_url

    if value is not None:
        try:
            normalize_url(value)
        except (ValueError, ArgumentError) as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


def _moment(value: str | None) -> str | None:
    from marketbox.services.tenants import EARLIEST_YEAR, LATEST_YEAR

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 moment (e.g. 2026-11-23T12:00:00+03:00)"
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{value!r} has no UTC offset (add Z or +03:00)")
    if not EARLIEST_YEAR <= moment.year < LATEST_YEAR:
        raise typer.BadParameter(f"the clock must start between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


class OrdersPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} orders/s" if speed else "… orders/s", style="cyan")


def seed(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="MARKETBOX_DATABASE_URL",
            help="sqlite:///file.db (default marketbox.sqlite3) or postgresql://user@host/db",
            callback=_database_url,
        ),
    ] = None,
    sellers: Annotated[int, typer.Option(min=1, max=10_000, help="new tenants to create")] = 1,
    orders: Annotated[
        int, typer.Option(min=0, max=100_000_000, help="orders per seller, both marketplaces together")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="the same seed and options give the same data")] = 0,
    marketplace: Annotated[
        Marketplace, typer.Option(case_sensitive=False, help="whose orders to make")
    ] = Marketplace.BOTH,
    products: Annotated[
        int, typer.Option(min=1, max=100_000, help="catalogue size per seller and marketplace")
    ] = 200,
    days: Annotated[int, typer.Option(min=1, max=3650, help="the orders spread over this many days")] = 90,
    now: Annotated[
        str | None,
        typer.Option(
            help="ISO 8601 moment the tenants' clocks start at and the history ends at "
            "(default: real time, history up to today 00:00 UTC)",
            callback=_moment,
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=100, max=100_000, help="orders per transaction")] = 5000,
    as_json: Annotated[bool, typer.Option("--json", help="print the tenants and figures as JSON")] = False,
) -> None:
    """Create tenants with products and a history of orders in realistic states (migrations first)."""
    settings = Settings.from_env(database_url=database_url)
    plan = SeedPlan(
        sellers=sellers,
        orders=orders,
        seed=seed,
        marketplace=marketplace,
        products=products,
        days=days,
        now=datetime.fromisoformat(now).astimezone(UTC) if now else None,
        batch_size=batch_size,
    )
    try:
        result = asyncio.run(_seed(settings.database_url, plan))
    except (OSError, ValueError, SQLAlchemyError) as exc:
        errors.print(f"[red]cannot use the database {settings.database_url}: {exc}[/]")
        raise typer.Exit(1) from exc
    except DomainError as exc:
        errors.print(f"[red]cannot seed: {exc.message}[/]")
        raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps(_summary(result, plan), ensure_ascii=False, indent=2))
        return
    for t in result.tenants:
        c = t.credentials
        console.print(
            f"[bold green]seller {t.seller.id}[/] {t.seller.name}: "
            f"{t.aliexpress_orders:,} AliExpress and {t.lamoda_orders:,} Lamoda orders"
        )
        # Plain print: credentials are copied from here, and rich would wrap them on a narrow terminal.
        print(f"  AliExpress x-auth-token: {c.aliexpress_token}")
        print(f"  Lamoda client_id: {c.lamoda_client_id}  client_secret: {c.lamoda_client_secret}")
    rate = result.orders / result.seconds if result.seconds else 0.0
    console.print(
        f"[green]seeded {result.orders:,} orders[/] ({result.rows:,} rows) in {result.seconds:.1f} s: "
        f"[bold]{rate:,.0f} orders/s[/]; history {result.window.begin:%Y-%m-%d %H:%M} .. "
        f"{result.window.end:%Y-%m-%d %H:%M} UTC"
    )


async def _seed(url: str, plan: SeedPlan) -> SeedResult:
    from marketbox.seed.run import seed as run_seed
    from marketbox.store.database import Database
    from marketbox.store.migrate import upgrade

    db = Database(url)
    columns = (
        TextColumn("[bold]orders"),
        BarColumn(),
        MofNCompleteColumn(),
        OrdersPerSecond(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    try:
        await upgrade(db)
        with Progress(*columns, console=errors) as bar:
            task = bar.add_task("seed", total=plan.sellers * plan.orders)
            return await run_seed(db, plan, lambda n: bar.advance(task, n))
    finally:
        await db.dispose()


def _summary(result: SeedResult, plan: SeedPlan) -> dict[str, Any]:
    return {
        "tenants": [
            {
                "seller_id": t.seller.id,
                "name": t.seller.name,
                "aliexpress": {"token": t.credentials.aliexpress_token},
                "lamoda": {
                    "client_id": t.credentials.lamoda_client_id,
                    "client_secret": t.credentials.lamoda_client_secret,
                },
                "orders": {"aliexpress": t.aliexpress_orders, "lamoda": t.lamoda_orders},
            }
            for t in result.tenants
        ],
        "seed": plan.seed,
        "history": {"from": result.window.begin.isoformat(), "to": result.window.end.isoformat()},
        "orders": result.orders,
        "rows": result.rows,
        "seconds": round(result.seconds, 3),
        "orders_per_second": round(result.orders / result.seconds) if result.seconds else 0,
    }
