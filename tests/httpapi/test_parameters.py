"""Path and query parameters that no database can hold are a 400 in the API's own body (issue 10, item 4).

PostgreSQL cannot store or compare text holding NUL: such a parameter that reached a query was a 500
there (and answered something else on SQLite). Every operation of the served OpenAPI document is swept.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.httpapi.helpers import Caller, Operation, assert_declared, error_message, operations


@pytest.fixture
def document(http: httpx.Client) -> dict[str, Any]:
    return dict(http.get("/openapi.json").json())


def _send(caller: Caller, op: Operation, path: str, query: str) -> httpx.Response:
    url = path + (f"?{query}" if query else "")
    body = {"sellerId": caller.tenant.seller_id} if op.has_body else None
    return caller.http.request(op.method.upper(), url, json=body, headers=caller.headers)


def test_nul_in_any_path_or_query_parameter_of_any_operation_is_a_400(
    document: dict[str, Any], tenant: Tenant
) -> None:
    caller = Caller(tenant)
    failures = []
    swept = 0
    for op in operations(document):
        for param in op.params:
            name = param["name"]
            if param["in"] == "path":
                resp = _send(caller, op, caller.path(op.template, **{name: "a%00b"}), caller.query(op))
            elif param["in"] == "query":
                resp = _send(caller, op, caller.path(op.template), caller.query(op, **{name: "a%00b"}))
            else:
                continue
            swept += 1
            try:
                message = error_message(resp, 400)
                assert "must not contain NUL characters" in message, message
                assert_declared(document, op.template, op.method, 400)
            except AssertionError as exc:
                failures.append(f"{op} ({param['in']} {name}): {exc}")
    assert swept > 100  # every dialect's parameters, not a handful
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/auth/token?client_id=a%00b&client_secret=x&grant_type=client_credentials", "client_id"),
        ("/sandbox/tenants/{sid}/webhooks/messages?tracking_id=a%00b", "tracking_id"),
        ("/api/v2/orders?sellerId={sid}&unknownParameter=%00", "unknownParameter"),
        ("/sandbox/tenants?a%00=1", "a\\x00"),
    ],
)
def test_the_400_names_the_query_parameter(tenant: Tenant, url: str, field: str) -> None:
    caller = Caller(tenant)
    resp = caller.http.get(url.format(sid=tenant.seller_id), headers=caller.headers)
    message = error_message(resp, 400)
    assert message == f"{field} must not contain NUL characters"
    body = resp.json()
    details = body.get("errors") or body.get("error", {}).get("details")
    assert details in (
        [{"field": field, "message": message}],
        [{"field": field, "issue": message}],
        {"field": field},
    )


@pytest.mark.parametrize(
    "encoded",
    ["%FF", "%C3", "%ED%A0%80", "%C0%80", "%F4%90%80%80"],
    ids=["invalid byte", "truncated", "encoded surrogate", "overlong NUL", "past U+10FFFF"],
)
@pytest.mark.parametrize(
    "url",
    [
        "/sandbox/tenants/{sid}/webhooks/messages?tracking_id=a{bad}",
        "/sandbox/tenants/{sid}/webhooks/a{bad}",
        "/api/v1/orders/a{bad}",
        "/api/v2/fbs/order-containers/a{bad}?sellerId={sid}",
        "/auth/token?client_id=a{bad}&client_secret=x&grant_type=client_credentials",
        "/documents/a{bad}",
    ],
)
def test_percent_encoded_bytes_that_are_not_utf8_are_a_400(tenant: Tenant, url: str, encoded: str) -> None:
    caller = Caller(tenant)
    method = "DELETE" if "/webhooks/a" in url else "GET"
    resp = caller.http.request(method, url.format(sid=tenant.seller_id, bad=encoded), headers=caller.headers)
    assert "must be valid UTF-8 when percent-decoded" in error_message(resp, 400)


def test_valid_utf8_and_plus_signs_in_parameters_still_pass(tenant: Tenant) -> None:
    caller = Caller(tenant)
    resp = caller.http.get(
        f"/sandbox/tenants/{tenant.seller_id}/webhooks/messages",
        params={"tracking_id": "заказ 1+2 ✓"},
        headers=caller.headers,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"messages": []}
