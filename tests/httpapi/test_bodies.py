"""What a JSON body may hold, as the served OpenAPI document says it (issue 10, item 7): a number of zero
fraction is the integer it equals, and NUL counts only in the fields the API reads."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from marketbox.httpapi.openapi import NO_NUL
from tests.conftest import Tenant
from tests.httpapi.helpers import error_message


def test_an_integral_float_is_taken_as_the_integer(tenant: Tenant) -> None:
    resp = tenant.ae("logistic-order/get", {"page_size": 2.0, "page": 1.0})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["page_info"]["page_size"] == 2


def test_a_fraction_is_still_refused_naming_the_field(tenant: Tenant) -> None:
    resp = tenant.ae("logistic-order/get", {"page_size": 2.5, "page": 1})
    assert resp.status_code == 400
    assert resp.json()["error"]["details"] == {"field": "page_size"}
    assert "Expected `int`, got `float`" in resp.json()["error"]["message"]


def test_nul_in_a_field_is_refused_naming_it(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "a\u0000b"})
    assert "name: must not contain NUL" in error_message(resp, 400)
    assert resp.json()["error"]["details"] == {"field": "name"}


def test_nul_in_a_member_the_api_ignores_is_ignored_with_it(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Plain", "note\u0000": "x\u0000y"})
    assert resp.status_code == 201, resp.text
    http.delete(f"/sandbox/tenants/{resp.json()['seller_id']}")


def test_the_text_backslash_u0000_is_not_a_nul(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "C:\\u0000"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["name"] == "C:\\u0000"
    http.delete(f"/sandbox/tenants/{resp.json()['seller_id']}")


def test_the_document_says_free_text_holds_no_nul(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    free = list(_free_strings(document, "#"))
    assert not free, free
    schemas = document["components"]["schemas"]
    assert schemas["Envelope"]["properties"]["error"]["anyOf"]  # the walk reaches nested schemas
    assert NO_NUL == "^[^\\u0000]*$"  # JSON Schema (ECMA 262) regex: any text without NUL
    assert schemas["TenantOut"]["properties"]["name"]["pattern"] == NO_NUL
    # A pattern of its own that could let NUL through (a negated class, a dot) gets the rule beside it.
    assert {"pattern": NO_NUL} in schemas["TenantCreate"]["properties"]["name"]["allOf"]


def _free_strings(node: object, where: str) -> Iterator[str]:
    """Where a string schema says nothing of what it may hold (no pattern, enum, const or format)."""
    if isinstance(node, dict):
        kind = node.get("type")
        if (kind == "string" or (isinstance(kind, list) and "string" in kind)) and not {
            "pattern",
            "enum",
            "const",
            "format",
        } & node.keys():
            yield where
        for key, child in node.items():
            if key not in ("example", "examples", "default"):
                yield from _free_strings(child, f"{where}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _free_strings(child, f"{where}/{i}")


def test_a_nul_in_a_key_is_named_without_repeating_the_nul(http: httpx.Client) -> None:
    exported = http.post("/sandbox/tenants", json={"name": "Keys"}).json()
    seller = exported["seller_id"]
    snapshot = http.get(f"/sandbox/tenants/{seller}/export").json()
    http.delete(f"/sandbox/tenants/{seller}")
    snapshot["tables"]["bad\u0000table"] = []
    resp = http.post("/sandbox/tenants/import", json=snapshot)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["details"] == {"field": "tables.bad\\u0000table"}
    assert "\x00" not in error["message"]


def test_a_float_where_none_is_taken_is_named_as_the_client_sent_it(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "x", "now": 5.0})
    assert "now: Expected `str | null`, got `float`" in error_message(resp, 400)


def test_the_field_named_for_a_deep_nul_is_capped(http: httpx.Client) -> None:
    exported = http.post("/sandbox/tenants", json={"name": "Deep"}).json()
    seller = exported["seller_id"]
    snapshot = http.get(f"/sandbox/tenants/{seller}/export").json()
    http.delete(f"/sandbox/tenants/{seller}")
    nested: object = "\u0000"
    for _ in range(300):
        nested = [nested]
    snapshot["tables"]["sellers"][0]["name"] = nested
    resp = http.post("/sandbox/tenants/import", json=snapshot)
    assert resp.status_code == 400, resp.text
    assert len(resp.json()["error"]["message"]) < 1000


def test_an_unknown_member_named_with_a_nul_is_refused_without_repeating_the_nul(
    http: httpx.Client, tenant: Tenant
) -> None:
    # This body forbids unknown members, and the refusal quotes the member's name.
    resp = http.post(
        f"/sandbox/tenants/{tenant.seller_id}/aliexpress/logistic-orders/1/cut-off",
        json={"cut_off_date": None, "x\u0000": {}},
    )
    message = error_message(resp, 400)
    assert "\x00" not in message and "x\\u0000" in message, message
