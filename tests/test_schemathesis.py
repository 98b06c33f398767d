"""schemathesis, with all its checks, over the OpenAPI document a real server serves (issue 10, item 7).

Bounded (tests/schemathesis.toml: a fixed seed, a few examples per operation) so that it fits the suite;
`schemathesis run http://127.0.0.1:8000/openapi.json -c all` against `marketbox serve --demo` is the
unbounded version, and must find nothing either."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import RunningServer, fresh_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
RUNNER = Path(__file__).with_name("schemathesis_runner.py")


@pytest.fixture(params=["sqlite", "postgresql"])
def own_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    """A server of its own: the run creates, resets and deletes tenants and moves clocks."""
    with fresh_server(request.param, tmp_path) as server:
        yield server


def test_schemathesis_finds_nothing(own_server: RunningServer, tmp_path: Path) -> None:
    pytest.importorskip("schemathesis", reason="schemathesis is a test dependency: pip install -e '.[test]'")
    with httpx.Client(base_url=own_server.base_url, timeout=30) as http:
        tenant = http.post("/sandbox/tenants", json={"name": "schemathesis"}).json()
        lamoda = tenant["lamoda"]
        token = http.get(
            "/auth/token",
            params={
                "client_id": lamoda["client_id"],
                "client_secret": lamoda["client_secret"],
                "grant_type": "client_credentials",
            },
        ).json()["access_token"]
    env = {
        **os.environ,
        "MBX_SELLER_ID": str(tenant["seller_id"]),
        "MBX_AE_TOKEN": tenant["aliexpress"]["token"],
        "MBX_LAMODA_TOKEN": token,
        "NO_COLOR": "1",
    }
    # The marketplace APIs first: the sandbox's own run resets, deletes and moves the tenant's clock
    # past its token's life. Every phase on SQLite; on PostgreSQL (which refuses what SQLite stores,
    # e.g. text over a column's length) the coverage phase, whose boundary values find exactly that.
    phases = ["--phases", "coverage"] if own_server.backend == "postgresql" else []
    failures = []
    for part in (["--exclude-path-regex", "^/sandbox"], ["--include-path-regex", "^/sandbox"]):
        result = subprocess.run(
            [
                sys.executable,
                str(RUNNER),
                "--config-file",
                str(CONFIG),
                "run",
                f"{own_server.base_url}/openapi.json",
                "--checks",
                "all",
                "--no-color",
                *phases,
                *part,
            ],
            env=env,
            cwd=tmp_path,  # where it keeps its cache
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            failures.append(f"{' '.join(part)}:\n{result.stdout[-20000:]}{result.stderr[-5000:]}")
    assert not failures, "\n\n".join(failures)
