"""`marketbox webhooks ...`: subscribe, the delivery log, re-send: over a running server's sandbox API."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from marketbox.sandbox_client import SellerId, Server, console
from marketbox.sandbox_client import call as _call

app = typer.Typer(help="Webhooks of a tenant on a running marketbox (its sandbox API).", no_args_is_help=True)


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


@app.command()
def tail(
    seller: SellerId,
    server: Server = "http://127.0.0.1:8000",
    interval: Annotated[float, typer.Option(help="seconds between looks")] = 1.0,
    count: Annotated[int | None, typer.Option(help="stop after this many attempts (default: never)")] = None,
) -> None:
    """Follow the delivery log live: one line per attempt as it happens (Ctrl-C stops)."""
    started = _call(server, "GET", f"/sandbox/tenants/{seller}/clock")["now"]
    since = datetime.fromisoformat(started)
    seen: dict[int, int] = {}
    shown = 0
    while count is None or shown < count:
        found = _call(
            server,
            "GET",
            f"/sandbox/tenants/{seller}/webhooks/messages",
            query={"attempted_since": started, "limit": "1000"},
        )["messages"]
        for m in found:
            for attempt in m["attempts"][seen.get(m["id"], 0) :]:
                if datetime.fromisoformat(attempt["at"]) < since:
                    continue  # attempted before the tail began
                outcome = str(attempt["status_code"]) if attempt["status_code"] else attempt["error"] or ""
                console.print(
                    f"{attempt['at']}  #{m['id']} {m['type']} {m['tracking_id'] or '-'} "
                    f"seq {m['sequence_number']}  {outcome}  {attempt['latency_ms']:.0f} ms  "
                    f"→ {m['status']}  {attempt['url']}",
                    highlight=False,
                )
                shown += 1
                if count is not None and shown >= count:
                    return
            seen[m["id"]] = len(m["attempts"])
        time.sleep(interval)
