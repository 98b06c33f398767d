"""`marketbox clock ...`: read, advance, set, freeze and resume a tenant's clock."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from marketbox.sandbox_client import DEFAULT_SERVER, AsJson, SellerId, Server, call, console, print_json

app = typer.Typer(help="A tenant's virtual clock on a running marketbox.", no_args_is_help=True)


def _show(clock: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(clock)
    else:
        console.print(f"{clock['now']}{'  (frozen)' if clock['frozen'] else ''}", highlight=False)


def _clock(server: str, seller: int, action: str = "", body: Any = None) -> dict[str, Any]:
    path = f"/sandbox/tenants/{seller}/clock"
    if not action:
        return dict(call(server, "GET", path))
    return dict(call(server, "POST", f"{path}/{action}", body))


@app.command()
def show(seller: SellerId, server: Server = DEFAULT_SERVER, as_json: AsJson = False) -> None:
    """The tenant's time now."""
    _show(_clock(server, seller), as_json)


@app.command()
def advance(
    seconds: Annotated[float, typer.Argument(help="how far (>= 0)")],
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    as_json: AsJson = False,
) -> None:
    """Move the clock forward: timestamps, token expiry, cut-offs and webhook retries follow."""
    _show(_clock(server, seller, "advance", {"seconds": seconds}), as_json)


@app.command("set")
def set_(
    moment: Annotated[str, typer.Argument(help="ISO 8601, not before the clock's time")],
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    as_json: AsJson = False,
) -> None:
    """Jump forward to a moment."""
    _show(_clock(server, seller, "set", {"now": moment}), as_json)


@app.command()
def freeze(seller: SellerId, server: Server = DEFAULT_SERVER, as_json: AsJson = False) -> None:
    """Stop the clock (advance and set still move it)."""
    _show(_clock(server, seller, "freeze"), as_json)


@app.command()
def resume(seller: SellerId, server: Server = DEFAULT_SERVER, as_json: AsJson = False) -> None:
    """Let the clock run on from where it stands."""
    _show(_clock(server, seller, "resume"), as_json)
