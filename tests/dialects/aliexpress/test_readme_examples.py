"""The README's curl commands (the AliExpress documentation's examples) run as printed against the demo."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.dialects.aliexpress.conftest import DemoTenant
from tests.servers import RunningServer

README = Path(__file__).resolve().parents[3] / "README.md"
PRINTED_HOST = "http://127.0.0.1:8000"


def readme_curl_commands() -> dict[str, str]:
    """The documentation's examples in the README, keyed by the API method they call."""
    blocks = re.findall(r"```sh\n(curl --location.*?)```", README.read_text(encoding="utf-8"), re.S)
    commands = {}
    for block in blocks:
        method = re.search(r"/seller-api/v1/([\w/-]+)'", block)
        assert method, block
        commands[method.group(1)] = block
    return commands


def run_printed(command: str, server: RunningServer) -> dict[str, Any]:
    assert PRINTED_HOST in command
    result = subprocess.run(
        ["bash", "-c", command.replace(PRINTED_HOST, server.base_url).rstrip() + " --silent --show-error"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(result.stdout))


@pytest.fixture(scope="module")
def curl() -> str:
    path = shutil.which("curl")
    if path is None:
        pytest.skip("curl is not installed")
    return path


def test_readme_holds_the_documented_examples() -> None:
    assert set(readme_curl_commands()) == {
        "logistic-order/create",
        "logistic-order/get",
        "labels/orders/get",
        "logistic-order/delete",
    }


def test_readme_examples_run_as_printed(curl: str, server: RunningServer, demo: DemoTenant) -> None:
    commands = readme_curl_commands()
    assert all("x-auth-token: mbx-demo-token" in c for c in commands.values())
    assert demo.token == "mbx-demo-token"

    created = run_printed(commands["logistic-order/create"], server)
    assert "error" not in created or created["error"] is None
    [order] = created["data"]["orders"]
    assert order["trade_order_id"] == 2207197727599807
    assert order["logistic_orders"][0]["lines"] == [
        {"sku_id": 12000027037707016, "product_source_id": 0, "quantity": 1}
    ]

    got = run_printed(commands["logistic-order/get"], server)
    assert got["error"] is None
    # The README says the first page is then the order the create example made.
    [newest] = got["data"]["logistic_orders"]
    assert newest["logistic_order_id"] == order["logistic_orders"][0]["id"]
    assert got["data"]["page_info"]["page_size"] == 1

    label = run_printed(commands["labels/orders/get"], server)
    assert label["error"] is None
    pdf = httpx.get(label["data"]["label_url"].replace(PRINTED_HOST, server.base_url), timeout=30)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    deleted = run_printed(commands["logistic-order/delete"], server)
    assert deleted == {
        "data": {
            "deletion_result_map": {
                "1113736": {
                    "deleted_at": None,
                    "error_message": (
                        "Failed to delete logistic order 1113736: it doesn't belong to seller 1042630114"
                    ),
                }
            }
        },
        "error": None,
    }
