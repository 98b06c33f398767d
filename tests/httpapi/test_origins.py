"""Web pages of other origins cannot drive the sandbox, nor change anything (issue 10, item 5).

Browsers send `Origin` on every cross-origin request and on every same-origin one that is not a
read; curl, SDKs and test clients send none, and pass.
"""

from __future__ import annotations

import httpx
import pytest

from marketbox.settings import Settings, SettingsError
from tests.conftest import Tenant
from tests.httpapi.conftest import ALLOWED_ORIGIN, SMALL_LIMIT
from tests.httpapi.helpers import Caller, error_message, operations
from tests.servers import RunningServer

FOREIGN = ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1", "not an origin"]


def tenant_ids(http: httpx.Client) -> list[int]:
    return [t["seller_id"] for t in http.get("/sandbox/tenants").json()["tenants"]]


@pytest.mark.parametrize("origin", FOREIGN)
def test_a_foreign_origin_cannot_use_the_sandbox(http: httpx.Client, tenant: Tenant, origin: str) -> None:
    before = tenant_ids(http)
    for method, path, body in [
        ("POST", "/sandbox/tenants", {"name": "drive-by"}),
        ("GET", "/sandbox/tenants", None),
        ("POST", f"/sandbox/tenants/{tenant.seller_id}/webhooks", {"url": "http://127.0.0.1:9/hook"}),
        ("GET", f"/sandbox/tenants/{tenant.seller_id}/webhooks/messages", None),
        ("POST", f"/sandbox/tenants/{tenant.seller_id}/reset", None),
        ("DELETE", f"/sandbox/tenants/{tenant.seller_id}", None),
    ]:
        resp = http.request(method, path, json=body, headers={"Origin": origin})
        assert "cross-origin request" in error_message(resp, 403)
        assert "access-control-allow-origin" not in resp.headers
    assert tenant_ids(http) == before
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}/webhooks").json() == {"webhooks": []}


def test_a_foreign_origin_cannot_change_anything_in_the_marketplace_apis(tenant: Tenant) -> None:
    caller = Caller(tenant)
    headers = {**caller.headers, "Origin": "http://evil.example"}
    resp = caller.http.post(
        "/seller-api/v1/logistic-order/get", json={"page": 1, "page_size": 1}, headers=headers
    )
    error_message(resp, 403)
    resp = caller.http.post(
        "/api/v2/auth-token",
        json={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
        headers=headers,
    )
    error_message(resp, 403)
    resp = caller.http.post("/api/v1/orders/RU1/events", json={"type": "confirm"}, headers=headers)
    error_message(resp, 403)
    # A read outside the sandbox goes through: without CORS headers the page cannot read the answer.
    resp = caller.http.get("/api/v1/orders", headers=headers)
    assert resp.status_code == 200, resp.text
    assert "access-control-allow-origin" not in resp.headers


def test_the_servers_own_pages_and_clients_without_origin_pass(server: RunningServer) -> None:
    port = server.base_url.rsplit(":", 1)[1]
    with httpx.Client(base_url=server.base_url) as http:
        for origin in [server.base_url, f"http://localhost:{port}", f"HTTP://LOCALHOST:{port}", None]:
            headers = {"Origin": origin} if origin else {}
            resp = http.post("/sandbox/tenants", json={"name": "own page"}, headers=headers)
            assert resp.status_code == 201, (origin, resp.text)


def test_configured_origins_pass_with_cors_headers_and_no_wildcard(configured: httpx.Client) -> None:
    resp = configured.post("/sandbox/tenants", json={"name": "dashboard"}, headers={"Origin": ALLOWED_ORIGIN})
    assert resp.status_code == 201, resp.text
    assert resp.headers["access-control-allow-origin"] == ALLOWED_ORIGIN

    preflight = configured.options(
        "/sandbox/tenants",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]

    for method in ("POST", "OPTIONS"):
        resp = configured.request(
            method,
            "/sandbox/tenants",
            json={"name": "x"} if method == "POST" else None,
            headers={"Origin": "http://localhost:3001", "Access-Control-Request-Method": "POST"},
        )
        error_message(resp, 403)
        assert "access-control-allow-origin" not in resp.headers


@pytest.mark.parametrize(
    "value", ["*", "http://a.example/path", "a.example", "ftp://a.example", "http://a.example,*"]
)
def test_a_wildcard_or_a_non_origin_in_the_setting_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="MARKETBOX_ALLOWED_ORIGINS must list web origins"):
        Settings.from_env({"MARKETBOX_ALLOWED_ORIGINS": value})


def test_the_setting_is_read_as_normalized_origins() -> None:
    settings = Settings.from_env(
        {"MARKETBOX_ALLOWED_ORIGINS": " HTTP://LocalHost:3000 , https://a.example:443/ "}
    )
    assert settings.allowed_origins == ("http://localhost:3000", "https://a.example")


def test_the_document_declares_the_403_wherever_an_origin_can_be_refused(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    undeclared = [
        str(op)
        for op in operations(document)
        if (op.template.startswith("/sandbox/") or op.method not in ("get", "head", "options"))
        and "403" not in op.spec["responses"]
    ]
    assert not undeclared, undeclared


def test_a_configured_origin_can_read_why_the_guard_refused_it(configured: httpx.Client) -> None:
    resp = configured.get("/sandbox/tenants/1%00", headers={"Origin": ALLOWED_ORIGIN})
    error_message(resp, 400)
    assert resp.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    too_large = b"x" * (SMALL_LIMIT + 1)
    resp = configured.post("/sandbox/tenants", content=too_large, headers={"Origin": ALLOWED_ORIGIN})
    error_message(resp, 413)
    assert resp.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
