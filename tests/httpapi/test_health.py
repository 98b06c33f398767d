"""`GET /healthz` checks the database: 200 when it answers, 503 with the reason when it does not
(issue 10, item 11)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from marketbox.app import create_app
from marketbox.settings import Settings
from tests.dialects.lamoda.helpers import check_documented


def test_a_server_whose_database_answers_is_healthy(http: httpx.Client) -> None:
    resp = http.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}
    check_documented(http, resp)


@pytest.mark.parametrize(
    "database_url",
    [
        "postgresql://postgres@127.0.0.1:1/nowhere",  # nothing listens on port 1
        "sqlite:///{tmp}/not-a-database.sqlite3",
    ],
    ids=["postgresql", "sqlite"],
)
def test_a_server_that_cannot_reach_its_database_answers_503_with_the_reason(
    tmp_path: Path, database_url: str
) -> None:
    (tmp_path / "not-a-database.sqlite3").write_bytes(b"not a database, " * 1000)
    app = create_app(Settings(database_url=database_url.format(tmp=tmp_path), webhook_worker=False))

    async def probe() -> httpx.Response:
        # ASGITransport runs no lifespan, which would need the database.
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mbx") as client:
                return await client.get("/healthz")
        finally:
            await app.state.db.dispose()

    resp = asyncio.run(probe())
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "unavailable"
    assert body["reason"].startswith("database unreachable: ") and "\n" not in body["reason"]


def test_healthz_is_in_the_openapi_document(http: httpx.Client) -> None:
    operation = http.get("/openapi.json").json()["paths"]["/healthz"]["get"]
    assert set(operation["responses"]) == {"200", "503"}
