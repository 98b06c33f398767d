"""`marketbox tenants ...`: create, list, show, delete, reset, export and import tenants; their settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from marketbox.sandbox_client import DEFAULT_SERVER, AsJson, Server, call, console, print_json

app = typer.Typer(help="Tenants (sellers) of a running marketbox.", no_args_is_help=True)
Seller = Annotated[int, typer.Argument(help="the tenant's seller id")]


def _show(tenant: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(tenant)
        return
    console.print(
        f"[green]{tenant['seller_id']}[/] {tenant['name']}  (clock {tenant['now']})\n"
        f"  AliExpress x-auth-token: [bold]{tenant['aliexpress']['token']}[/]\n"
        f"  Lamoda client_id: [bold]{tenant['lamoda']['client_id']}[/]  "
        f"client_secret: [bold]{tenant['lamoda']['client_secret']}[/]",
        highlight=False,
    )


@app.command()
def create(
    name: str,
    server: Server = DEFAULT_SERVER,
    now: Annotated[str | None, typer.Option(help="ISO 8601 moment its clock starts at")] = None,
    as_json: AsJson = False,
) -> None:
    """Create a tenant; prints its id and credentials for both marketplaces."""
    body: dict[str, Any] = {"name": name}
    if now is not None:
        body["now"] = now
    _show(call(server, "POST", "/sandbox/tenants", body), as_json)


@app.command("list")
def list_(server: Server = DEFAULT_SERVER, as_json: AsJson = False) -> None:
    """Every tenant with its credentials."""
    tenants = call(server, "GET", "/sandbox/tenants")["tenants"]
    if as_json:
        print_json(tenants)
        return
    table = Table("seller", "name", "clock", "AliExpress token", "Lamoda client_id")
    for t in tenants:
        table.add_row(
            str(t["seller_id"]), t["name"], t["now"], t["aliexpress"]["token"], t["lamoda"]["client_id"]
        )
    console.print(table)


@app.command()
def show(seller: Seller, server: Server = DEFAULT_SERVER, as_json: AsJson = False) -> None:
    """One tenant and its credentials."""
    _show(call(server, "GET", f"/sandbox/tenants/{seller}"), as_json)


@app.command()
def delete(seller: Seller, server: Server = DEFAULT_SERVER) -> None:
    """Delete a tenant and everything it owns."""
    call(server, "DELETE", f"/sandbox/tenants/{seller}")
    console.print(f"deleted tenant {seller}")


@app.command()
def reset(seller: Seller, server: Server = DEFAULT_SERVER, as_json: AsJson = False) -> None:
    """Empty a tenant (orders, shipments, webhooks...), keeping its id and credentials."""
    _show(call(server, "POST", f"/sandbox/tenants/{seller}/reset"), as_json)


@app.command()
def export(
    seller: Seller,
    server: Server = DEFAULT_SERVER,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default: stdout)")] = None,
) -> None:
    """A tenant's whole state as JSON (restore it with `import`)."""
    document = call(server, "GET", f"/sandbox/tenants/{seller}/export")
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if output is None:
        print(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    console.print(f"exported tenant {seller} to {output}")


@app.command("import")
def import_(
    document: Annotated[Path, typer.Argument(help="a file written by `export`", exists=True, dir_okay=False)],
    server: Server = DEFAULT_SERVER,
    as_json: AsJson = False,
) -> None:
    """Restore a tenant from an export (same id and credentials)."""
    try:
        body = json.loads(document.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        console.print(f"[red]cannot read {document}: {exc}[/]")
        raise typer.Exit(2) from None
    _show(call(server, "POST", "/sandbox/tenants/import", body), as_json)


@app.command()
def progression(
    seller: Seller,
    mode: Annotated[str | None, typer.Argument(help="manual, immediate or timed (default: show)")] = None,
    server: Server = DEFAULT_SERVER,
) -> None:
    """How the world moves the tenant's parcels, shipments and supplies: show it, or set it."""
    path = f"/sandbox/tenants/{seller}/progression"
    answer = call(server, "GET", path) if mode is None else call(server, "PUT", path, {"mode": mode})
    console.print(answer["mode"])


@app.command()
def marking(
    seller: Seller,
    mode: Annotated[
        str | None,
        typer.Argument(
            help="lenient (a marked item may ship without its DataMatrix code) or strict (default: show)"
        ),
    ] = None,
    server: Server = DEFAULT_SERVER,
) -> None:
    """May the tenant's marked items ship (FBS) without their DataMatrix code: show it, or set it."""
    path = f"/sandbox/tenants/{seller}/marking"
    answer = call(server, "GET", path) if mode is None else call(server, "PUT", path, {"mode": mode})
    console.print(answer["mode"])
