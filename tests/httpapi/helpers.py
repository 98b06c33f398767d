"""What the HTTP-layer tests share: the served operations, concrete paths, and each API's error body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda

Json = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The name each status has in the AliExpress (`ErrorCode.<name>`) and sandbox (`<name>`) error bodies,
# Lamoda v1's `message` and Lamoda v2's `error.code`.
NAMES = {
    400: ("ValidationError", "Bad Request", "VALIDATION_FAILED"),
    403: ("Forbidden", "Forbidden", "FORBIDDEN"),
    405: ("MethodNotAllowed", "Method Not Allowed", "METHOD_NOT_ALLOWED"),
    413: ("PayloadTooLarge", "Payload Too Large", "PAYLOAD_TOO_LARGE"),
    415: ("UnsupportedMediaType", "Unsupported Media Type", "UNSUPPORTED_MEDIA_TYPE"),
}


def api_of(path: str) -> str:
    if path.startswith(("/seller-api/v1/", "/documents/")):
        return "aliexpress"
    if path.startswith(("/api/v1/", "/auth/token")):
        return "lamoda-v1"
    if path.startswith("/api/v2/"):
        return "lamoda-v2"
    if path.startswith("/sandbox/"):
        return "sandbox"
    return "service"


def error_message(resp: httpx.Response, status: int) -> str:
    """`status` in the error body of the API `resp`'s path belongs to; returns the message."""
    path = resp.request.url.path
    assert resp.status_code == status, f"{resp.request.method} {resp.request.url}: {resp.text[:300]}"
    assert resp.headers["content-type"].startswith("application/json"), resp.headers
    body = resp.json()
    name, v1_message, v2_code = NAMES[status]
    api = api_of(path)
    if api == "aliexpress":
        assert set(body) == {"data", "error"} and body["data"] is None, body
        assert set(body["error"]) == {"code", "message", "details"}, body
        assert body["error"]["code"] == f"ErrorCode.{name}", body
        message = body["error"]["message"]
    elif api == "lamoda-v1":
        assert set(body) == {"code", "message", "description", "errors"}, body
        assert (body["code"], body["message"]) == (status, v1_message), body
        assert isinstance(body["errors"], list), body
        message = body["description"]
    elif api == "lamoda-v2":
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
        assert body["error"]["code"] == v2_code and isinstance(body["error"]["details"], list), body
        message = body["error"]["message"]
    else:
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
        assert body["error"]["code"] == name, body
        message = body["error"]["message"]
    assert isinstance(message, str) and message, body
    return message


def assert_declared(document: Json, template: str, method: str, status: int) -> None:
    responses = document["paths"][template][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {template} answers {status} but does not declare it"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: Json

    @property
    def params(self) -> list[Json]:
        return list(self.spec.get("parameters", []))

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.spec

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.template}"


def operations(document: Json) -> Iterator[Operation]:
    for template, item in document["paths"].items():
        for method, spec in item.items():
            if method in METHODS:
                yield Operation(method, template, spec)


class Caller:
    """Concrete paths and the credentials of one tenant, so a request gets as far as it can."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.http = tenant.http
        self.headers = {
            "x-auth-token": tenant.token,
            "Authorization": f"Bearer {Lamoda(tenant).token}",
        }

    def value(self, name: str) -> str:
        return str(self.tenant.seller_id) if name in ("seller_id", "sellerId") else "1"

    def path(self, template: str, **given: str) -> str:
        return re.sub(r"{(\w+)}", lambda m: given.get(m.group(1), self.value(m.group(1))), template)

    def query(self, op: Operation, **given: str) -> str:
        """The operation's required query parameters (and `given` ones), already percent-encoded."""
        pairs = {p["name"]: self.value(p["name"]) for p in op.params if p["in"] == "query" and p["required"]}
        pairs.update(given)
        return "&".join(f"{k}={v}" for k, v in pairs.items())
