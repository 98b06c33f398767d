"""`marketbox tenants|clock|orders|events|webhooks tail` against a running server."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from marketbox.cli import app
from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import RunningServer, free_port

runner = CliRunner()


def run(*args: str) -> Any:
    """The command's JSON output (it must succeed)."""
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_tenants_create_list_show_and_delete(server: RunningServer) -> None:
    at = ["--server", server.base_url]
    created = run("tenants", "create", "CLI Seller", *at, "--now", "2026-01-02T03:04:05+00:00")
    seller = str(created["seller_id"])
    assert created["name"] == "CLI Seller" and created["aliexpress"]["token"]
    assert created["now"].startswith("2026-01-02T03:04")
    assert int(seller) in [t["seller_id"] for t in run("tenants", "list", *at)]
    assert run("tenants", "show", seller, *at)["lamoda"] == created["lamoda"]
    shown = runner.invoke(app, ["tenants", "show", seller, *at])
    assert created["aliexpress"]["token"] in shown.output
    assert runner.invoke(app, ["tenants", "delete", seller, *at]).exit_code == 0
    gone = runner.invoke(app, ["tenants", "show", seller, *at])
    assert gone.exit_code == 1 and "404 TenantNotFound" in gone.output


def test_clock_show_advance_set_freeze_resume(server: RunningServer, tenant: Tenant) -> None:
    at = ["--server", server.base_url, "--seller", str(tenant.seller_id)]
    frozen = run("clock", "freeze", *at)
    assert frozen["frozen"] is True
    moved = run("clock", "advance", "3600", *at)
    assert datetime.fromisoformat(moved["now"]) - datetime.fromisoformat(frozen["now"]) == timedelta(hours=1)
    assert run("clock", "set", "2040-02-03T04:05:06+00:00", *at)["now"] == "2040-02-03T04:05:06.000000+00:00"
    assert run("clock", "show", *at)["frozen"] is True
    assert run("clock", "resume", *at)["frozen"] is False
    refused = runner.invoke(app, ["clock", "set", "2001-01-01T00:00:00+00:00", *at])
    assert refused.exit_code == 1 and "ClockGoesForward" in refused.output


def test_orders_and_events_move_the_world(server: RunningServer, tenant: Tenant) -> None:
    at = ["--server", server.base_url, "--seller", str(tenant.seller_id)]
    ae = run("orders", "aliexpress", "101:2", "102", *at)
    assert [(line["sku_id"], line["quantity"]) for line in ae["lines"]] == [(101, 2), (102, 1)]
    order = run("orders", "lamoda", "DRESS-1:2", *at)
    assert len(order["items"]) == 2 and order["fulfillment_type"] == "FBS"
    lamoda = Lamoda(tenant)
    assert lamoda.v1_post(f"orders/{order['order_nr']}/events", {"type": "confirm"}).status_code == 200
    item = order["items"][0]["id"]
    moved = run("events", "lamoda-item", order["order_nr"], str(item), "Canceled", *at)
    assert [i["status"] for i in moved["items"] if i["id"] == item] == ["Canceled"]
    raw = runner.invoke(
        app,
        ["events", "send", f"lamoda/orders/{order['order_nr']}/items/{item}/status", *at, "--data", "{}"],
    )
    assert raw.exit_code == 1 and "400 ValidationError" in raw.output
    bad = runner.invoke(app, ["orders", "aliexpress", "not-a-number", *at])
    assert bad.exit_code == 2 and "numbers" in bad.output


def test_webhooks_tail_prints_attempts_as_they_happen(server: RunningServer, tenant: Tenant) -> None:
    at = ["--server", server.base_url, "--seller", str(tenant.seller_id)]
    nobody = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens: each attempt is an error
    assert runner.invoke(app, ["webhooks", "subscribe", nobody, *at]).exit_code == 0
    ordering = threading.Timer(0.5, lambda: Lamoda(tenant).buyer_orders({"sku": "TAIL-1"}))
    ordering.start()  # while the tail runs
    started = time.monotonic()
    result = runner.invoke(app, ["webhooks", "tail", *at, "--interval", "0.1", "--count", "1"])
    ordering.join()
    assert result.exit_code == 0, result.output
    assert "statusChanged" in result.output and "ClientConnectorError" in result.output
    assert time.monotonic() - started < 4  # the first attempt, not the retry 5 s later


def test_tenants_export_reset_and_import_round_trip(
    server: RunningServer, tenant: Tenant, tmp_path: Path
) -> None:
    at = ["--server", server.base_url]
    seller = str(tenant.seller_id)
    order = run("orders", "lamoda", "SNAP-1", *at, "--seller", seller)
    saved = tmp_path / "tenant.json"
    result = runner.invoke(app, ["tenants", "export", seller, *at, "--output", str(saved)])
    assert result.exit_code == 0, result.output
    assert json.loads(saved.read_text())["seller_id"] == tenant.seller_id
    assert run("tenants", "reset", seller, *at)["seller_id"] == tenant.seller_id
    assert Lamoda(tenant).v1_get(f"orders/{order['order_nr']}").status_code == 404
    again = runner.invoke(app, ["tenants", "import", str(saved), *at])
    assert again.exit_code == 1 and "409" in again.output  # the tenant still exists
    assert runner.invoke(app, ["tenants", "delete", seller, *at]).exit_code == 0
    restored = run("tenants", "import", str(saved), *at)
    assert restored["seller_id"] == tenant.seller_id
    assert Lamoda(tenant).v1_get(f"orders/{order['order_nr']}").status_code == 200
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    unreadable = runner.invoke(app, ["tenants", "import", str(broken), *at])
    assert unreadable.exit_code == 2 and "cannot read" in unreadable.output


def test_tenants_progression_shows_and_sets_the_mode(server: RunningServer, tenant: Tenant) -> None:
    at = ["--server", server.base_url]
    shown = runner.invoke(app, ["tenants", "progression", str(tenant.seller_id), *at])
    assert shown.exit_code == 0 and shown.output.strip() == "manual"
    changed = runner.invoke(app, ["tenants", "progression", str(tenant.seller_id), "timed", *at])
    assert changed.exit_code == 0 and changed.output.strip() == "timed"
    refused = runner.invoke(app, ["tenants", "progression", str(tenant.seller_id), "fast", *at])
    assert refused.exit_code == 1 and "invalid_mode" in refused.output


def test_commands_say_so_when_no_marketbox_answers() -> None:
    result = runner.invoke(
        app, ["clock", "show", "--server", f"http://127.0.0.1:{free_port()}", "--seller", "1"]
    )
    assert result.exit_code == 2 and "no marketbox answers" in result.output


def test_server_without_a_scheme_is_taken_as_http(server: RunningServer) -> None:
    bare = server.base_url.removeprefix("http://")
    assert bare != server.base_url
    assert isinstance(run("tenants", "list", "--server", bare), list)


def test_a_server_that_is_not_an_address_is_a_clear_error() -> None:
    result = runner.invoke(app, ["tenants", "list", "--server", "ftp://example.invalid"])
    assert result.exit_code == 2 and "not an http(s) address" in result.output
