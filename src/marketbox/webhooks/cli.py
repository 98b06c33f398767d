"""`marketbox webhooks ...`: subscribe, the delivery log, re-send: over a running server's sandbox API."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Webhooks of a tenant on a running marketbox (its sandbox API).", no_args_is_help=True)
console = Console()

Server = Annotated[str, typer.Option("--server", envvar="MARKETBOX_URL", help="the marketbox to talk to")]
SellerId = Annotated[int, typer.Option("--seller", help="the tenant's seller id")]


def _call(server: str, method: str, path: str, body: Any = None, query: dict[str, str] | None = None) -> Any:
    url = server.rstrip("/") + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    admin_token = os.environ.get("MARKETBOX_ADMIN_TOKEN", "").strip()
    if admin_token:  # a shared deployment guards its sandbox with it
        headers["Authorization"] = f"Bearer {admin_token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        try:
            error = json.loads(exc.read())["error"]
            message = f"{error['code']}: {error['message']}"
        except (ValueError, KeyError, TypeError):
            message = str(exc)
        console.print(f"[red]{exc.code} {message}[/]")
        raise typer.Exit(1) from None
    except (urllib.error.URLError, OSError) as exc:
        console.print(f"[red]no marketbox answers at {server}: {exc}[/]")
        raise typer.Exit(2) from None
    return json.loads(raw) if raw else None


@app.command()
def subscribe(
    url: str,
    seller: SellerId,
    server: Server = "http://127.0.0.1:8000",
    types: Annotated[list[str] | None, typer.Option("--type", help="only this type (repeatable)")] = None,
) -> None:
    """Subscribe URL; prints its id and signing secret."""
    body: dict[str, Any] = {"url": url}
    if types:
        body["types"] = types
    hook = _call(server, "POST", f"/sandbox/tenants/{seller}/webhooks", body)
    console.print(f"[green]{hook['id']}[/] {hook['url']}\nsecret: [bold]{hook['secret']}[/]")


@app.command()
def messages(
    seller: SellerId,
    server: Server = "http://127.0.0.1:8000",
    status: Annotated[str | None, typer.Option(help="pending, delivered or failed")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="notification type")] = None,
    order: Annotated[str | None, typer.Option(help="tracking id (order number without RU)")] = None,
    since: Annotated[str | None, typer.Option(help="ISO 8601")] = None,
    until: Annotated[str | None, typer.Option(help="ISO 8601")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the raw JSON")] = False,
) -> None:
    """The delivery log: messages, their status and last attempt."""
    query = {"status": status, "type": type_, "tracking_id": order, "since": since, "until": until}
    found = _call(
        server,
        "GET",
        f"/sandbox/tenants/{seller}/webhooks/messages",
        query={k: v for k, v in query.items() if v is not None},
    )["messages"]
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    table = Table("id", "type", "order", "seq", "status", "attempts", "last", "next")
    for m in found:
        last = m["attempts"][-1] if m["attempts"] else None
        outcome = (str(last["status_code"]) if last["status_code"] else last["error"] or "") if last else ""
        table.add_row(
            str(m["id"]),
            m["type"],
            m["tracking_id"] or "",
            str(m["sequence_number"]),
            m["status"],
            str(len(m["attempts"])),
            outcome,
            m["next_attempt_at"] or "",
        )
    console.print(table)


@app.command()
def resend(
    seller: SellerId,
    server: Server = "http://127.0.0.1:8000",
    message: Annotated[list[int] | None, typer.Option("--message", help="message id (repeatable)")] = None,
    order: Annotated[str | None, typer.Option(help="every message of this tracking id")] = None,
    since: Annotated[str | None, typer.Option(help="ISO 8601")] = None,
    until: Annotated[str | None, typer.Option(help="ISO 8601")] = None,
    only_failed: Annotated[bool, typer.Option("--only-failed")] = False,
    to: Annotated[str | None, typer.Option("--to", help="a new URL (the migration case)")] = None,
) -> None:
    """Send messages again (same webhook-id), to their URL or to --to."""
    body = {
        "message_ids": message,
        "tracking_id": order,
        "since": since,
        "until": until,
        "only_failed": only_failed,
        "url": to,
    }
    result = _call(server, "POST", f"/sandbox/tenants/{seller}/webhooks/resend", body)
    console.print(f"[green]{len(result['message_ids'])} message(s) queued again[/]")
