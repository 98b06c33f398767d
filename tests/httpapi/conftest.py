"""A second server per database, configured the way a shared deployment would be."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import BACKENDS
from tests.servers import RunningServer, fresh_server

PUBLIC_URL = "https://mbx.example/base"
ALLOWED_ORIGIN = "http://localhost:3000"
SMALL_LIMIT = 64 * 1024


@pytest.fixture(scope="package", params=BACKENDS)
def configured_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    backend: str = request.param
    with fresh_server(
        backend,
        tmp_path_factory.mktemp(f"configured-{backend}"),
        public_url=PUBLIC_URL,
        allowed_origins=(ALLOWED_ORIGIN,),
        max_body_bytes=SMALL_LIMIT,
    ) as srv:
        yield srv


@pytest.fixture
def configured(configured_server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=configured_server.base_url, timeout=30) as client:
        yield client
