"""`marketbox webhooks`: subscribe, read the log and re-send through a running server."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from marketbox.cli import app
from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import RunningServer, free_port
from tests.webhooks.test_delivery import Receiver, messages, receiver, unique, wait_for  # noqa: F401

runner = CliRunner()


def test_subscribe_log_and_resend_from_the_command_line(
    server: RunningServer,
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    base = ["--server", server.base_url, "--seller", str(tenant.seller_id)]
    failing = unique("/fail")
    result = runner.invoke(
        app, ["webhooks", "subscribe", receiver.url(failing), *base, "--type", "statusChanged"]
    )
    assert result.exit_code == 0, result.output
    assert "whsec_" in result.output
    Lamoda(tenant).buyer_orders({"sku": "CLI-1"})
    wait_for(lambda: [m for m in messages(tenant) if m["attempts"]])

    result = runner.invoke(app, ["webhooks", "messages", *base, "--json"])
    assert result.exit_code == 0, result.output
    (listed,) = json.loads(result.output)
    assert listed["status"] == "pending" and listed["attempts"][0]["status_code"] == 500
    result = runner.invoke(
        app, ["webhooks", "messages", *base, "--status", "pending"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0 and "statusChanged" in result.output

    moved = unique("/ok")
    result = runner.invoke(
        app, ["webhooks", "resend", *base, "--message", str(listed["id"]), "--to", receiver.url(moved)]
    )
    assert result.exit_code == 0, result.output
    assert "1 message(s) queued again" in result.output
    (got,) = wait_for(lambda: receiver.requests(moved))
    assert got["headers"]["webhook-id"] == listed["event_id"]


def test_errors_are_clear(server: RunningServer) -> None:
    result = runner.invoke(app, ["webhooks", "messages", "--server", server.base_url, "--seller", "999999"])
    assert result.exit_code == 1 and "TenantNotFound" in result.output
    nobody = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["webhooks", "messages", "--server", nobody, "--seller", "1"])
    assert result.exit_code == 2 and "no marketbox answers" in result.output
