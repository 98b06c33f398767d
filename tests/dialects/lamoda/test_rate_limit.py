"""Per-seller rate limits: 429 in each Lamoda API's own body, with Retry-After; other sellers unaffected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from marketbox.httpapi.rate_limit import RateLimiter
from tests.conftest import BACKENDS, new_tenant
from tests.databases import fresh_database
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import running_server


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_one_request_per_interval() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, burst=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(0.5)
    assert limiter.acquire("b") == 0.0  # another key has its own bucket
    clock.now += 0.5
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == pytest.approx(0.5)
    clock.now += 10
    assert [limiter.acquire("a") for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(0.5)]


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)


@pytest.fixture(scope="module", params=BACKENDS)
def limited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    backend: str = request.param
    folder: Path = tmp_path_factory.mktemp(f"limited-{backend}")
    with (
        fresh_database(backend, folder) as url,
        running_server(url, backend, lamoda_rate_limit=0.2) as srv,
        httpx.Client(base_url=srv.base_url, timeout=30) as client,
    ):
        yield client


def test_a_seller_over_its_rate_gets_429_in_each_apis_body(limited: httpx.Client) -> None:
    seller, other = Lamoda(new_tenant(limited)), Lamoda(new_tenant(limited, "Other"))
    # burst of 1 at 0.2 requests/s: the first call passes, the next waits ~5 s
    assert seller.v2_get("orders").status_code == 200
    v1 = seller.v1_get("orders")
    assert v1.status_code == 429, v1.text
    assert v1.json()["code"] == 429 and v1.json()["message"] == "Too Many Requests"
    assert 1 <= int(v1.headers["retry-after"]) <= 5
    v2 = seller.v2_get("orders")
    assert v2.status_code == 429
    assert v2.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    assert 1 <= int(v2.headers["retry-after"]) <= 5
    # tokens are not throttled, other sellers are not either
    assert other.v1_get("orders").status_code == 200
