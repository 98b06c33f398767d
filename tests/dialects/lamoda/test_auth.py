"""Lamoda client-credentials tokens (v1 and v2), and bearer checks on the seller's clock."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from marketbox.domain.errors import Unauthorized
from marketbox.domain.sellers import Seller
from marketbox.services import lamoda_auth
from marketbox.store.database import Database
from tests.conftest import Tenant
from tests.servers import RunningServer


def v1_token(http: httpx.Client, tenant: Tenant, **override: str) -> httpx.Response:
    params = {
        "client_id": tenant.body["lamoda"]["client_id"],
        "client_secret": tenant.body["lamoda"]["client_secret"],
        "grant_type": "client_credentials",
        **override,
    }
    return http.get("/auth/token", params=params)


def v2_token(http: httpx.Client, tenant: Tenant, **override: Any) -> httpx.Response:
    body = {
        "grant_type": "client_credentials",
        "client_id": tenant.body["lamoda"]["client_id"],
        "client_secret": tenant.body["lamoda"]["client_secret"],
        **override,
    }
    return http.post("/api/v2/auth-token", json=body)


def authenticate(server: RunningServer, header: str | None) -> Seller:
    async def run() -> Seller:
        db = Database(server.database_url)
        try:
            return await lamoda_auth.authenticate(db, header)
        finally:
            await db.dispose()

    return asyncio.run(run())


def test_v1_token(http: httpx.Client, tenant: Tenant) -> None:
    resp = v1_token(http, tenant)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"]


def test_v2_token_is_created(http: httpx.Client, tenant: Tenant) -> None:
    resp = v2_token(http, tenant)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    assert body["access_token"] != v2_token(http, tenant).json()["access_token"]


def test_v1_refusals_use_the_v1_error_body(http: httpx.Client, tenant: Tenant, other_tenant: Tenant) -> None:
    wrong = v1_token(http, tenant, client_secret="nope")
    assert wrong.status_code == 401
    assert wrong.json()["code"] == 401 and wrong.json()["message"] == "Unauthorized"
    foreign = v1_token(http, tenant, client_secret=other_tenant.body["lamoda"]["client_secret"])
    assert foreign.status_code == 401
    assert v1_token(http, tenant, client_id="unknown").status_code == 401
    grant = v1_token(http, tenant, grant_type="password")
    assert grant.status_code == 400
    assert grant.json()["errors"][0]["field"] == "grant_type"
    missing = http.get("/auth/token", params={"client_id": "x"})
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} == {"client_secret", "grant_type"}


def test_v2_refusals_use_the_v2_error_body(http: httpx.Client, tenant: Tenant) -> None:
    wrong = v2_token(http, tenant, client_secret="nope")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "UNAUTHORIZED"
    for body in (
        {},
        {"grant_type": "client_credentials"},
        [],
        {"grant_type": 1, "client_id": "a", "client_secret": "b"},
    ):
        resp = http.post("/api/v2/auth-token", json=body)
        assert resp.status_code == 400, body
        assert resp.json()["error"]["code"] == "VALIDATION_FAILED"
    oops = http.post("/api/v2/auth-token", content=b"{oops", headers={"content-type": "application/json"})
    assert oops.status_code == 400
    grant = v2_token(http, tenant, grant_type="password")
    assert grant.status_code == 400
    assert grant.json()["error"]["details"] == [
        {"field": "grant_type", "issue": "grant_type must be 'client_credentials'"}
    ]


def test_tokens_belong_to_their_seller_and_expire_on_its_clock(
    server: RunningServer, http: httpx.Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    token = v2_token(http, tenant).json()["access_token"]
    other = v1_token(http, other_tenant).json()["access_token"]
    assert authenticate(server, f"Bearer {token}").id == tenant.seller_id
    assert authenticate(server, f"bearer {other}").id == other_tenant.seller_id
    tenant.advance(899)
    assert authenticate(server, f"Bearer {token}").id == tenant.seller_id
    tenant.advance(2)
    with pytest.raises(Unauthorized, match="expired"):
        authenticate(server, f"Bearer {token}")
    assert authenticate(server, f"Bearer {other}").id == other_tenant.seller_id  # its clock did not move
    fresh = v1_token(http, tenant).json()["access_token"]  # issued on the moved clock: valid again
    assert authenticate(server, f"Bearer {fresh}").id == tenant.seller_id


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "Bearer unknown-token"])
def test_missing_or_unknown_tokens_are_refused(server: RunningServer, header: str | None) -> None:
    with pytest.raises(Unauthorized):
        authenticate(server, header)


def test_a_deleted_tenants_tokens_stop_working(
    server: RunningServer, http: httpx.Client, tenant: Tenant
) -> None:
    token = v1_token(http, tenant).json()["access_token"]
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    with pytest.raises(Unauthorized):
        authenticate(server, f"Bearer {token}")
