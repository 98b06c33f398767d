"""`marketbox faults ...`: add, list and clear a tenant's fault rules over a running server's sandbox API."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from marketbox.sandbox_client import DEFAULT_SERVER, AsJson, SellerId, Server, call, console, print_json

app = typer.Typer(
    help="Fault rules of a tenant on a running marketbox: latency, 429, 500, 503 on its marketplace calls.",
    no_args_is_help=True,
)


def describe(rule: dict[str, Any]) -> str:
    if rule["action"] == "latency":
        what = f"+{rule['latency_ms']} ms"
    else:
        what = f"{rule['status']} {rule['when']}"
        if rule["retry_after"] is not None:
            what += f", Retry-After {rule['retry_after']}"
    return what


@app.command()
def add(
    path: Annotated[str, typer.Argument(help="path glob, e.g. '/api/v2/orders*' (* also matches /)")],
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    method: Annotated[str, typer.Option(help="GET, POST, ... or * for any")] = "*",
    latency_ms: Annotated[int | None, typer.Option("--latency-ms", help="delay the call this long")] = None,
    status: Annotated[int | None, typer.Option(help="answer 429, 500 or 503 instead")] = None,
    retry_after: Annotated[int | None, typer.Option(help="Retry-After seconds (429, 503)")] = None,
    when: Annotated[
        str | None, typer.Option(help="before: nothing changes (default); after: the change is kept")
    ] = None,
    count: Annotated[int | None, typer.Option(help="spent after this many faults (default: none)")] = None,
    probability: Annotated[float, typer.Option(help="chance that a matching call is hit, 0..1")] = 1.0,
) -> None:
    """Add a fault rule for the tenant's calls matching PATH (and --method)."""
    body: dict[str, Any] = {"path": path, "method": method, "probability": probability}
    optional = {
        "latency_ms": latency_ms,
        "status": status,
        "retry_after": retry_after,
        "when": when,
        "count": count,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    rule = call(server, "POST", f"/sandbox/tenants/{seller}/faults", body)
    limit = f", {rule['count']} time(s)" if rule["count"] is not None else ""
    chance = f", p={rule['probability']:g}" if rule["probability"] < 1 else ""
    console.print(
        f"[green]fault {rule['id']}[/] {rule['method']} {rule['path']}: {describe(rule)}{limit}{chance}"
    )


@app.command("list")
def list_rules(
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    as_json: AsJson = False,
) -> None:
    """The tenant's fault rules, with the faults each has left and has caused."""
    found = call(server, "GET", f"/sandbox/tenants/{seller}/faults")["faults"]
    if as_json:
        print_json(found)
        return
    table = Table("id", "method", "path", "fault", "probability", "remaining", "hits")
    for rule in found:
        table.add_row(
            str(rule["id"]),
            rule["method"],
            rule["path"],
            describe(rule),
            f"{rule['probability']:g}",
            "∞" if rule["remaining"] is None else str(rule["remaining"]),
            str(rule["hits"]),
        )
    console.print(table)


@app.command()
def clear(
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    fault_id: Annotated[int | None, typer.Option("--id", help="only this rule")] = None,
) -> None:
    """Remove the tenant's fault rules (or only --id)."""
    path = f"/sandbox/tenants/{seller}/faults"
    call(server, "DELETE", path if fault_id is None else f"{path}/{fault_id}")
    done = "all fault rules removed" if fault_id is None else f"fault {fault_id} removed"
    console.print(f"[green]{done}[/]")
