"""A receiver that answers with NUL bytes, invalid UTF-8, 50 MB, a body that never ends, headers only, a
reset connection or no HTTP at all, beside a healthy one: its attempts are logged safely, and the
healthy tenant's deliveries are sent and recorded exactly once."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS, new_tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import RunningServer, fresh_server, receiver_process
from tests.webhooks.test_delivery import Receiver, messages, receiver, subscribe, unique, wait_for  # noqa: F401

HOSTILE = Path(__file__).with_name("hostile_receiver.py")
KINDS = ("nul", "binary", "huge", "endless", "headers", "stall", "reset", "garbage")
HUGE = 50 * 1024 * 1024
EXCERPT = 500


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A server of its own: a short timeout (a stalled answer costs a second) and lease (a delivery
    whose outcome was never recorded would go out again within the test)."""
    backend: str = request.param
    with fresh_server(
        backend, tmp_path_factory.mktemp(backend), webhook_timeout=1.0, webhook_lease=2.0
    ) as srv:
        yield srv


@dataclass
class Hostile:
    base_url: str
    log: Path

    def lines(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    log = tmp_path_factory.mktemp("hostile") / "requests.jsonl"
    with receiver_process(HOSTILE, log, "/nul/probe") as base:
        yield Hostile(base, log)


def test_a_hostile_receiver_holds_up_no_other_tenant(
    http: httpx.Client,
    receiver: Receiver,  # noqa: F811
    hostile: Hostile,
) -> None:
    bad, good = new_tenant(http, "Hostile"), new_tenant(http, "Healthy")
    run = uuid.uuid4().hex[:8]
    paths = {kind: f"/{kind}/{run}" for kind in KINDS}
    for path in paths.values():
        subscribe(bad, f"{hostile.base_url}{path}")
    healthy = unique("/ok")
    subscribe(good, receiver.url(healthy))

    Lamoda(bad).buyer_orders({"sku": "HOSTILE-1"})
    wait_for(lambda: {line["path"] for line in hostile.lines() if "at" in line} >= set(paths.values()))
    # Answered, and recorded (or failing to be) while the healthy tenant's deliveries go out.
    for n in range(6):
        Lamoda(good).buyer_orders({"sku": f"HEALTHY-{n}"})

    log = wait_for(lambda: [m for m in messages(good) if m["status"] == "delivered"][5:] and messages(good))
    assert [len(m["attempts"]) for m in log] == [1] * 6, log
    sent = Counter(r["headers"]["webhook-id"] for r in receiver.requests(healthy))
    assert sent == Counter({m["event_id"]: 1 for m in log})

    logged = wait_for(lambda: all(m["attempts"] for m in messages(bad)) and messages(bad))
    by_kind = {m["url"].removeprefix(hostile.base_url): m for m in logged}
    assert set(by_kind) == set(paths.values())
    for m in logged:
        for attempt in m["attempts"]:
            for text in (attempt["response_excerpt"], attempt["error"]):
                assert text is None or ("\x00" not in text and len(text) <= EXCERPT), (m["url"], attempt)

    def first(kind: str) -> dict[str, Any]:
        return dict(by_kind[paths[kind]]["attempts"][0])

    assert (first("nul")["status_code"], by_kind[paths["nul"]]["status"]) == (200, "delivered")
    assert first("nul")["response_excerpt"].startswith("ok")
    assert first("binary")["status_code"] == 500 and first("binary")["response_excerpt"].endswith(" bad")
    for kind in ("huge", "endless"):
        assert first(kind)["status_code"] == 200 and len(first(kind)["response_excerpt"]) == EXCERPT
    assert "timeout" in first("stall")["error"]
    for kind in ("headers", "reset", "garbage"):
        assert first(kind)["error"], first(kind)
    # The 50 MB were not read: the worker hung up after its excerpt.
    streamed = wait_for(
        lambda: [line["sent"] for line in hostile.lines() if line["path"] == paths["huge"] and "sent" in line]
    )
    assert streamed[0] < HUGE / 2
