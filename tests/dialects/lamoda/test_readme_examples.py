"""The README's Lamoda session runs as printed against the demo tenant."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.dialects.aliexpress.conftest import DemoTenant, demo  # noqa: F401  (the fixture)
from tests.servers import RunningServer

README = Path(__file__).resolve().parents[3] / "README.md"
PRINTED_HOST = "http://127.0.0.1:8000"


def lamoda_session() -> str:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if "client_id=mbx-demo-client" in b]
    assert len(found) == 1, "the README holds one Lamoda demo session"
    return found[0]


def outputs(script: str, server: RunningServer) -> list[Any]:
    """Run the session with `set -e`; every curl's answer, parsed (each curl prints one JSON document)."""
    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script.replace(PRINTED_HOST, server.base_url) + "\n"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    decoder = json.JSONDecoder()
    text, documents, at = result.stdout, [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        documents.append(document)
    return documents


def test_readme_lamoda_session_runs_as_printed(server: RunningServer, demo: DemoTenant) -> None:  # noqa: F811
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    new_orders, confirmed, v2_orders, returns, supply = outputs(lamoda_session(), server)
    assert new_orders["_embedded"]["orders"], new_orders
    assert {o["status"] for o in new_orders["_embedded"]["orders"]} == {"New"}
    assert confirmed["status"] == "Confirmed" and confirmed["isConfirmed"] is True
    assert v2_orders["meta"]["total"] >= 4 and all(o["sellerId"] == demo.seller_id for o in v2_orders["data"])
    assert [(r["returnType"], r["status"]) for r in returns["data"]] == [("NOT_BOUGHT", "SENT_TO_SELLER")]
    by_sku = {i["sku"]: i for i in supply["items"]}
    assert supply["status"] == "accepted"
    assert by_sku["DEMO-DRESS-RED-42"] == {
        **by_sku["DEMO-DRESS-RED-42"],
        "quantity": 5,
        "receipt": 5,
        "accepted": 4,
        "damaged": 1,
        "missing": 0,
    }
    assert by_sku["DEMO-SCARF-GREY"]["missing"] == 1
