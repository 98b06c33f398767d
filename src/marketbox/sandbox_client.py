"""The command line's client of a running marketbox: its sandbox API over HTTP, errors made readable."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console()


def server_url(value: str) -> str:
    """`localhost:9400` means `http://localhost:9400`: a scheme is only required to say https."""
    value = value.strip()
    if not value:
        raise typer.BadParameter("give the marketbox's address, e.g. http://127.0.0.1:8000")
    if "://" not in value:
        value = f"http://{value}"
    parsed = urllib.parse.urlsplit(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise typer.BadParameter(f"{value!r} is not an http(s) address, e.g. http://127.0.0.1:8000")
    return value.rstrip("/")


Server = Annotated[
    str,
    typer.Option(
        "--server",
        envvar="MARKETBOX_URL",
        callback=server_url,
        help="the marketbox to talk to (host:port or URL)",
    ),
]
SellerId = Annotated[int, typer.Option("--seller", help="the tenant's seller id")]
AsJson = Annotated[bool, typer.Option("--json", help="print the raw JSON")]
DEFAULT_SERVER = "http://127.0.0.1:8000"


def call(server: str, method: str, path: str, body: Any = None, query: dict[str, str] | None = None) -> Any:
    """One sandbox call; exits 1 with the API's error, or 2 when no marketbox answers."""
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


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))
