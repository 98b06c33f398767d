"""`marketbox faults`: add, list and clear a tenant's fault rules through a running server."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from marketbox.cli import app
from tests.conftest import Tenant
from tests.servers import RunningServer, free_port

runner = CliRunner()
PAGE = {"page": 1, "page_size": 10}


def test_add_list_and_clear_from_the_command_line(server: RunningServer, tenant: Tenant) -> None:
    base = ["--server", server.base_url, "--seller", str(tenant.seller_id)]
    rule = ["--status", "503", "--retry-after", "4", "--when", "after", "--count", "2"]
    result = runner.invoke(app, ["faults", "add", "/seller-api/v1/logistic-order/*", *base, *rule])
    assert result.exit_code == 0, result.output
    assert "503 after, Retry-After 4, 2 time(s)" in result.output
    result = runner.invoke(
        app, ["faults", "add", "/api/v2/*", *base, "--latency-ms", "250", "--method", "get"]
    )
    assert result.exit_code == 0, result.output

    resp = tenant.ae("logistic-order/get", PAGE)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "4"

    result = runner.invoke(app, ["faults", "list", *base, "--json"])
    assert result.exit_code == 0, result.output
    error, slow = json.loads(result.output)
    assert (error["status"], error["when"], error["remaining"], error["hits"]) == (503, "after", 1, 1)
    assert (slow["method"], slow["latency_ms"], slow["remaining"]) == ("GET", 250, None)
    result = runner.invoke(app, ["faults", "list", *base], env={"COLUMNS": "200"})
    assert (
        result.exit_code == 0
        and "+250 ms" in result.output
        and "/seller-api/v1/logistic-order/*" in result.output
    )

    result = runner.invoke(app, ["faults", "clear", *base, "--id", str(error["id"])])
    assert result.exit_code == 0 and f"fault {error['id']} removed" in result.output
    assert tenant.ae("logistic-order/get", PAGE).status_code == 200
    result = runner.invoke(app, ["faults", "clear", *base])
    assert result.exit_code == 0 and "all fault rules removed" in result.output
    result = runner.invoke(app, ["faults", "list", *base, "--json"])
    assert json.loads(result.output) == []


def test_errors_are_clear(server: RunningServer, tenant: Tenant) -> None:
    base = ["--server", server.base_url, "--seller", str(tenant.seller_id)]
    result = runner.invoke(app, ["faults", "add", "/x", *base, "--status", "404"])
    assert result.exit_code == 1 and "InvalidFault" in result.output and "status" in result.output
    result = runner.invoke(app, ["faults", "clear", *base, "--id", "999999999"])
    assert result.exit_code == 1 and "FaultNotFound" in result.output
    result = runner.invoke(app, ["faults", "list", "--server", server.base_url, "--seller", "999999"])
    assert result.exit_code == 1 and "TenantNotFound" in result.output
    nobody = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["faults", "list", "--server", nobody, "--seller", "1"])
    assert result.exit_code == 2 and "no marketbox answers" in result.output
