"""A body where JSON is expected must be declared JSON: anything else is a 415 (issue 10, item 5).

Browsers send `text/plain` and form bodies cross-origin without a preflight; JSON they do not. So a
web page could POST `{"url": ...}` as text/plain to a local marketbox and subscribe its own webhook.
"""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Tenant
from tests.httpapi.helpers import Caller, assert_declared, error_message, operations

NOT_JSON = [
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
]


def test_every_operation_with_a_json_body_refuses_other_content_types_with_415(
    http: httpx.Client, tenant: Tenant
) -> None:
    document = http.get("/openapi.json").json()
    caller = Caller(tenant)
    failures = []
    checked = 0
    for op in operations(document):
        if not op.has_body:
            continue
        checked += 1
        url = caller.path(op.template) + (f"?{q}" if (q := caller.query(op)) else "")
        for content_type in [*NOT_JSON, None]:
            headers = dict(caller.headers)
            if content_type is not None:
                headers["content-type"] = content_type
            body = b'{"sellerId": %d}' % tenant.seller_id
            resp = http.request(op.method.upper(), url, content=body, headers=headers)
            try:
                message = error_message(resp, 415)
                assert "must be JSON (Content-Type: application/json)" in message, message
                assert_declared(document, op.template, op.method, 415)
            except AssertionError as exc:
                failures.append(f"{op} as {content_type}: {exc}")
    assert checked > 40
    assert not failures, "\n".join(failures[:40])


def test_a_text_plain_post_changes_nothing(http: httpx.Client, tenant: Tenant) -> None:
    before = [t["seller_id"] for t in http.get("/sandbox/tenants").json()["tenants"]]
    resp = http.post(
        "/sandbox/tenants", content=b'{"name": "drive-by"}', headers={"content-type": "text/plain"}
    )
    error_message(resp, 415)
    resp = http.post(
        f"/sandbox/tenants/{tenant.seller_id}/webhooks",
        content=b'{"url": "http://127.0.0.1:9/hook"}',
        headers={"content-type": "text/plain"},
    )
    error_message(resp, 415)
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}/webhooks").json() == {"webhooks": []}
    assert [t["seller_id"] for t in http.get("/sandbox/tenants").json()["tenants"]] == before


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.x+json"],
)
def test_json_media_types_with_parameters_and_json_suffixes_are_accepted(
    http: httpx.Client, content_type: str
) -> None:
    resp = http.post("/sandbox/tenants", content=b'{"name": "json"}', headers={"content-type": content_type})
    assert resp.status_code == 201, resp.text


def test_no_body_at_all_is_still_the_400_that_asks_for_one(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants")
    assert "request body is required" in error_message(resp, 400)
