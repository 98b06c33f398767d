"""The `marketbox` command: serve, worker, migrate, and the sandbox (tenants, clock, orders, events,
webhooks, faults) of a running server."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from marketbox import __version__
from marketbox.commands import clock as clock_cli
from marketbox.commands import events as events_cli
from marketbox.commands import tenants as tenants_cli
from marketbox.domain.errors import DomainError
from marketbox.domain.sellers import SellerCredentials
from marketbox.runtime import freeze_startup_objects
from marketbox.sandbox import faults_cli
from marketbox.seed import cli as seed_cli
from marketbox.settings import Settings, SettingsError
from marketbox.webhooks import cli as webhooks_cli

app = typer.Typer(help="marketbox: a stateful emulator of marketplace seller APIs.", no_args_is_help=True)
app.add_typer(tenants_cli.app, name="tenants")
app.add_typer(clock_cli.app, name="clock")
app.add_typer(events_cli.orders, name="orders")
app.add_typer(events_cli.events, name="events")
app.add_typer(webhooks_cli.app, name="webhooks")
app.add_typer(faults_cli.app, name="faults")
app.command("seed")(seed_cli.seed)
console = Console()


def _print_version(value: bool) -> None:
    if value:
        print(f"marketbox {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="print the version and exit"),
    ] = False,
) -> None:
    """marketbox: a stateful emulator of marketplace seller APIs."""


DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="MARKETBOX_DATABASE_URL",
        help="sqlite:///file.db (default marketbox.sqlite3) or postgresql://user@host/db",
    ),
]


def _settings(**overrides: Any) -> Settings:
    """Settings from the environment; a bad MARKETBOX_* value is one line on stderr and exit status 2."""
    try:
        return Settings.from_env(**overrides)
    except SettingsError as exc:
        typer.echo(f"marketbox: {exc}", err=True)
        raise typer.Exit(2) from None


def _run_fast(main: Coroutine[Any, Any, None]) -> None:
    """Run on uvloop where it is installed (it comes with uvicorn[standard]): a worker spends most of
    its time in the event loop, and uvloop's costs a third less per delivery (docs/benchmarks.md)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - Windows
        asyncio.run(main)
        return
    uvloop.run(main)


async def _prepare(settings: Settings, demo: bool, serving: bool = False) -> None:
    from marketbox.services.demo import ensure_demo
    from marketbox.store.database import Database
    from marketbox.store.migrate import upgrade

    db = Database(settings.database_url)
    try:
        # Refuse a second server on the same SQLite file before it migrates anything; the lifespan
        # claims the file again for as long as it serves.
        if serving:
            db.claim_sole_server()()
        await upgrade(db)
        if demo:
            result = await ensure_demo(db)
            _print_demo(settings, result.seller.id, result.credentials, result.created)
    finally:
        await db.dispose()


def _print_demo(settings: Settings, seller_id: int, credentials: SellerCredentials, created: bool) -> None:
    token = credentials.aliexpress_token
    client_id, secret = credentials.lamoda_client_id, credentials.lamoda_client_secret
    base = f"http://{settings.host}:{settings.port}"
    console.print(f"[bold green]Demo seller {seller_id}[/] ({'created' if created else 'already there'})")
    console.print(f"  AliExpress x-auth-token: [bold]{token}[/]")
    console.print(f"  API docs: {base}/docs")
    console.print("\nTry it:\n")
    api = f"{base}/seller-api/v1"
    header = f"--header 'Content-Type: application/json' --header 'x-auth-token: {token}'"
    for path, body in (
        ("logistic-order/get", '{"page_size": 1, "page": 1}'),
        (
            "logistic-order/create",
            '{"orders": [{"trade_order_id": 2207197727599807, "total_length": 20, '
            '"total_width": 10, "total_height": 5, "total_weight": 1.5, '
            '"items": [{"quantity": 1, "sku_id": 12000027037707016}]}]}',
        ),
        ("labels/orders/get", '{"logistic_order_ids": [88236]}'),
        ("logistic-order/delete", '{"logistic_order_ids": [1113736]}'),
    ):
        print(f"curl -s -X POST '{api}/{path}' {header} --data-raw '{body}'\n")
    console.print(f"Lamoda (client {client_id} / {secret}; the README has a whole session):\n")
    print(
        f"curl -s '{base}/auth/token?client_id={client_id}&client_secret={secret}"
        "&grant_type=client_credentials'\n"
    )
    print(f"curl -s '{base}/api/v1/orders?filter=status=New' -H 'Authorization: Bearer <access_token>'\n")


@app.command()
def serve(
    # Read by Settings (not typer) from MARKETBOX_HOST / MARKETBOX_PORT, so a bad value is one line.
    host: Annotated[str | None, typer.Option(help="[default: MARKETBOX_HOST or 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="[default: MARKETBOX_PORT or 8000]")] = None,
    database_url: DatabaseUrl = None,
    demo: Annotated[bool, typer.Option("--demo", help="create (once) a demo seller with data")] = False,
    workers: Annotated[int, typer.Option(help="API processes")] = 1,
) -> None:
    """Serve every API on one port (migrations are applied first)."""
    import uvicorn

    from marketbox.store.database import SoleServerError

    settings = _settings(host=host, port=port, database_url=database_url)
    if workers > 1 and not settings.database_url.startswith("postgres"):
        # Each process keeps what it knows of tenants; only PostgreSQL tells the others of a change.
        console.print("[red]--workers > 1 needs PostgreSQL (--database-url postgresql://...)[/]")
        raise typer.Exit(2)
    try:
        asyncio.run(_prepare(settings, demo, serving=True))
    except SoleServerError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    except (OSError, ValueError, SQLAlchemyError) as exc:
        console.print(f"[red]cannot use the database {settings.database_url}: {exc}[/]")
        raise typer.Exit(1) from exc
    except DomainError as exc:
        console.print(f"[red]cannot create the demo tenant: {exc.message}[/]")
        raise typer.Exit(1) from exc
    if workers > 1:
        import os

        # Each worker process builds its app from the environment (marketbox.asgi): hand it what the
        # options said, or its document URLs and own origins would name another address.
        os.environ.update(
            MARKETBOX_DATABASE_URL=settings.database_url,
            MARKETBOX_HOST=settings.host,
            MARKETBOX_PORT=str(settings.port),
        )
        uvicorn.run(
            "marketbox.asgi:app",
            host=settings.host,
            port=settings.port,
            workers=workers,
            log_level="info",
            access_log=False,
        )
        return
    from marketbox.app import create_app

    application = create_app(settings)
    freeze_startup_objects()
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="info", access_log=False)


@app.command()
def worker(
    database_url: DatabaseUrl = None,
    concurrency: Annotated[int, typer.Option(help="deliveries in flight at once")] = 32,
) -> None:
    """Deliver webhooks (beside `serve`, on this or other machines sharing its PostgreSQL)."""
    from marketbox.app import delivery_worker
    from marketbox.store.database import Database

    settings = _settings(database_url=database_url)

    async def run() -> None:
        await _prepare(settings, demo=False)
        db = Database(settings.database_url)
        worker = delivery_worker(db, settings)
        worker.concurrency = concurrency
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        console.print(f"[green]delivering webhooks[/] from {settings.database_url} ({worker.name})")
        freeze_startup_objects()
        try:
            await worker.run(stop)
        finally:
            await db.dispose()

    _run_fast(run())


@app.command()
def migrate(database_url: DatabaseUrl = None) -> None:
    """Apply database migrations and exit."""
    settings = _settings(database_url=database_url)
    asyncio.run(_prepare(settings, demo=False))
    console.print(f"[green]schema up to date[/] ({settings.database_url})")


def main() -> None:
    app()
