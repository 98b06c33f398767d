"""The OpenAPI document and the Swagger UI the server publishes about itself."""

from __future__ import annotations

from typing import Any

import httpx
import openapi_spec_validator
import pytest

AE_PREFIX = "/seller-api/v1/"
AE_PATHS = {
    "order/get-order-list",
    "logistic-order/create",
    "logistic-order/get",
    "logistic-order/delete",
    "logistic-order/pass-today",
    "labels/orders/get",
    "labels/handover-lists/get",
    "handover-list/create",
    "handover-list/get-by-filter",
    "handover-list/add-logistic-orders",
    "handover-list/remove-logistic-orders",
    "handover-list/transfer",
}
SANDBOX_PATHS = {
    "/sandbox/tenants": {"post", "get"},
    "/sandbox/tenants/{seller_id}": {"get", "delete"},
    "/sandbox/tenants/import": {"post"},
    "/sandbox/tenants/{seller_id}/export": {"get"},
    "/sandbox/tenants/{seller_id}/reset": {"post"},
    "/sandbox/tenants/{seller_id}/aliexpress/orders": {"post"},
    "/sandbox/tenants/{seller_id}/aliexpress/orders/{trade_order_id}/cancel": {"post"},
    "/sandbox/tenants/{seller_id}/aliexpress/logistic-orders/{logistic_order_id}/events": {"post"},
    "/sandbox/tenants/{seller_id}/aliexpress/logistic-orders/{logistic_order_id}/cut-off": {"post"},
    "/sandbox/tenants/{seller_id}/aliexpress/handover-lists/{handover_list_id}/accept": {"post"},
    "/sandbox/tenants/{seller_id}/clock": {"get"},
    "/sandbox/tenants/{seller_id}/faults": {"post", "get", "delete"},
    "/sandbox/tenants/{seller_id}/faults/{fault_id}": {"delete"},
    "/sandbox/tenants/{seller_id}/clock/advance": {"post"},
    "/sandbox/tenants/{seller_id}/clock/freeze": {"post"},
    "/sandbox/tenants/{seller_id}/clock/resume": {"post"},
    "/sandbox/tenants/{seller_id}/clock/set": {"post"},
    "/sandbox/tenants/{seller_id}/progression": {"get", "put"},
    "/sandbox/tenants/{seller_id}/marking": {"get", "put"},
    "/sandbox/tenants/{seller_id}/lamoda/orders": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/orders/{order_nr}/items/{item_id}/status": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/orders/{order_nr}/cancel": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/orders/{order_nr}/buyout": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/orders/{order_nr}/marking-codes": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/returns": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/shipments/{shipment_id}/receive": {"post"},
    "/sandbox/tenants/{seller_id}/lamoda/supplies/{code}/status": {"post"},
    "/sandbox/tenants/{seller_id}/webhooks": {"post", "get"},
    "/sandbox/tenants/{seller_id}/webhooks/messages": {"get"},
    "/sandbox/tenants/{seller_id}/webhooks/resend": {"post"},
    "/sandbox/tenants/{seller_id}/webhooks/{webhook_id}/faults": {"put", "delete"},
    "/sandbox/tenants/{seller_id}/webhooks/{webhook_id}": {"delete"},
    "/sandbox/tenants/{seller_id}/webhooks/{webhook_id}/rotate-secret": {"post"},
}
# What issue 3 names for Lamoda's two APIs (method, path).
LAMODA_OPERATIONS = {
    ("get", "/auth/token"),
    ("post", "/api/v2/auth-token"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{id}"),
    ("post", "/api/v1/orders/{id}/events"),
    ("get", "/api/v1/orders/{id}/statuses"),
    ("post", "/api/v1/shipments/out"),
    ("get", "/api/v1/shipments"),
    ("post", "/api/v1/shipments/fulfilment"),
    ("get", "/api/v1/shipments/fulfilment/{code}"),
    ("get", "/api/v1/nomenclatures"),
    ("post", "/api/v1/nomenclatures"),
    ("get", "/api/v1/stock/goods"),
    ("get", "/api/v1/ordersTracking/{trackingId}"),
    ("get", "/api/v1/packsTracking/{barcode}"),
    # Issue 10: the rest of v1 (orders the seller creates, reference lists).
    ("post", "/api/v1/orders"),
    ("patch", "/api/v1/orders/{id}"),
    ("post", "/api/v1/orders/{id}/items"),
    ("get", "/api/v1/orders/{id}/customer"),
    ("post", "/api/v1/orders/{id}/customer"),
    ("get", "/api/v1/mapping/categories"),
    ("get", "/api/v1/minimal_prices"),
    ("get", "/api/v1/goods"),
    ("get", "/api/v1/addresses/city"),
    ("get", "/api/v1/addresses/street"),
    ("get", "/api/v1/addresses/building"),
    ("get", "/api/v2/orders"),
    ("get", "/api/v2/orders/{id}"),
    ("get", "/api/v2/orders/{id}/item-statuses"),
    ("get", "/api/v2/orders/{id}/status-history"),
    ("post", "/api/v2/orders/{id}/assembly"),
    ("post", "/api/v2/orders/{id}/packs"),
    ("post", "/api/v2/labels/order-items"),
    ("post", "/api/v2/labels/order-packs"),
    ("post", "/api/v2/labels/pallets"),
    ("post", "/api/v2/fbs/shipments"),
    ("get", "/api/v2/fbs/shipments"),
    ("get", "/api/v2/fbs/shipments/{id}"),
    ("get", "/api/v2/fbs/shipments/{id}/items"),
    ("get", "/api/v2/fbs/order-containers/{barcode}"),
    ("get", "/api/v2/fbs/return-items"),
    ("get", "/api/v2/fbs/return-items/{id}/status-history"),
    ("get", "/api/v2/fbs/return-boxes"),
    ("get", "/api/v2/fbs/return-boxes/{id}"),
    ("post", "/api/v2/fbs/return-boxes/{id}/confirm"),
    ("get", "/api/v2/nomenclatures"),
    ("get", "/api/v2/stocks-summary"),
    ("get", "/api/v2/fbo/shipments"),
}
PUBLIC_LAMODA = {
    "/auth/token",
    "/api/v2/auth-token",
    "/api/v1/ordersTracking/{trackingId}",
    "/api/v1/packsTracking/{barcode}",
}


@pytest.fixture
def document(http: httpx.Client) -> dict[str, Any]:
    resp = http.get("/openapi.json")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/json")
    return dict(resp.json())


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references are expected, got {ref!r}"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref!r} does not resolve (at {part!r})"
        node = node[part]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def schema_of(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return dict(resolve(document, schema["$ref"])) if "$ref" in schema else schema


def test_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"]
    assert document["info"]["version"]


def test_every_aliexpress_operation_is_documented(document: dict[str, Any]) -> None:
    ae = {
        path.removeprefix(AE_PREFIX): ops
        for path, ops in document["paths"].items()
        if path.startswith(AE_PREFIX)
    }
    assert set(ae) == AE_PATHS
    for path, operations in ae.items():
        assert set(operations) == {"post"}, path
    assert sum(len(ops) for ops in ae.values()) == 12


def test_sandbox_paths_are_documented(document: dict[str, Any]) -> None:
    for path, methods in SANDBOX_PATHS.items():
        assert path in document["paths"], path
        assert methods <= set(document["paths"][path]), path
    parameters = document["paths"]["/sandbox/tenants/{seller_id}"]["get"]["parameters"]
    assert {k: parameters[0][k] for k in ("name", "in", "required")} == {
        "name": "seller_id",
        "in": "path",
        "required": True,
    }


def test_the_delivery_log_documents_its_filters(document: dict[str, Any]) -> None:
    operation = document["paths"]["/sandbox/tenants/{seller_id}/webhooks/messages"]["get"]
    query = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert query == {"type", "tracking_id", "status", "since", "until", "attempted_since", "limit"}


def test_aliexpress_operations_have_a_body_schema_and_the_token_security(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    for path in AE_PATHS:
        operation = document["paths"][AE_PREFIX + path]["post"]
        body = operation["requestBody"]
        assert body["required"] is True, path
        schema = schema_of(document, body["content"]["application/json"]["schema"])
        assert schema["type"] == "object", path
        assert schema["properties"], path
        assert "200" in operation["responses"], path

        assert operation["security"], path
        for requirement in operation["security"]:
            for name in requirement:
                assert schemes[name] == {
                    **schemes[name],
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-auth-token",
                }, path


def test_request_schemas_say_what_is_required(document: dict[str, Any]) -> None:
    def body_schema(path: str) -> dict[str, Any]:
        op = document["paths"][AE_PREFIX + path]["post"]
        return schema_of(document, op["requestBody"]["content"]["application/json"]["schema"])

    assert set(body_schema("logistic-order/get")["required"]) == {"page", "page_size"}
    assert body_schema("logistic-order/create")["required"] == ["orders"]
    assert set(body_schema("handover-list/create")["required"]) == {"logistic_order_ids"}
    edit = body_schema("handover-list/add-logistic-orders")
    assert set(edit["required"]) == {"handover_list_id", "order_ids"}
    item_types = {alt.get("type") for alt in edit["properties"]["order_ids"]["items"]["anyOf"]}
    assert item_types == {"integer", "string"}  # numbers and numeric strings are both accepted
    labels = body_schema("labels/orders/get")["properties"]["logistic_order_ids"]
    assert (labels["minItems"], labels["maxItems"]) == (1, 100)


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    found = refs(document)
    assert found
    for ref in found:
        resolve(document, ref)


def test_document_validates(document: dict[str, Any]) -> None:
    openapi_spec_validator.validate(document)


def test_documented_aliexpress_paths_are_served(http: httpx.Client, document: dict[str, Any]) -> None:
    for path in document["paths"]:
        if path.startswith(AE_PREFIX):
            resp = http.post(path, json={})
            assert resp.status_code == 401, (path, resp.text)  # routed, and guarded by the token


def test_swagger_ui_is_served_with_its_assets(http: httpx.Client) -> None:
    page = http.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/docs/static/swagger-ui-bundle.js" in page.text
    assert "/openapi.json" in page.text

    bundle = http.get("/docs/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "javascript" in bundle.headers["content-type"]
    assert len(bundle.content) > 100_000
    assert "SwaggerUIBundle" in bundle.text
    assert http.get("/docs/static/swagger-ui.css").status_code == 200


# Statuses each operation answers with for someone else's object (403), an unknown one (404) and a state
# that forbids the call (409), as the tests of those operations show; the document must list them.
ERROR_STATUSES = {
    "handover-list/create": {"403", "404", "409"},
    "handover-list/add-logistic-orders": {"403", "404", "409"},
    "handover-list/remove-logistic-orders": {"403", "404", "409"},
    "handover-list/transfer": {"403", "404", "409"},
    "logistic-order/pass-today": {"403", "404", "409"},
    "labels/orders/get": {"403", "404"},
    "labels/handover-lists/get": {"403", "404"},
}


@pytest.mark.parametrize("path", sorted(ERROR_STATUSES))
def test_error_statuses_the_operation_answers_with_are_documented(
    document: dict[str, Any], path: str
) -> None:
    responses = document["paths"][AE_PREFIX + path]["post"]["responses"]
    missing = ERROR_STATUSES[path] - set(responses)
    assert not missing, f"{path} answers {sorted(missing)} but does not document them"
    for status in ERROR_STATUSES[path]:
        schema = schema_of(document, responses[status]["content"]["application/json"]["schema"])
        assert {"data", "error"} <= set(schema["properties"])


def test_every_lamoda_operation_is_documented_with_bearer_security(document: dict[str, Any]) -> None:
    served = {
        (method, path)
        for path, operations in document["paths"].items()
        if path.startswith("/api/") or path == "/auth/token"
        for method in operations
    }
    assert served == LAMODA_OPERATIONS
    scheme = document["components"]["securitySchemes"]["lamodaBearer"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    for method, path in LAMODA_OPERATIONS:
        operation = document["paths"][path][method]
        if path in PUBLIC_LAMODA:
            assert "security" not in operation, path
        else:
            assert operation["security"] == [{"lamodaBearer": []}], path
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), path


def test_lamoda_v2_calls_require_seller_id(document: dict[str, Any]) -> None:
    for method, path in LAMODA_OPERATIONS:
        if not path.startswith("/api/v2/") or path == "/api/v2/auth-token":
            continue
        operation = document["paths"][path][method]
        if method == "get":
            params = {p["name"]: p for p in operation["parameters"]}
            assert params["sellerId"]["required"] is True and params["sellerId"]["in"] == "query", path
        else:
            schema = schema_of(document, operation["requestBody"]["content"]["application/json"]["schema"])
            assert "sellerId" in schema["required"], path
