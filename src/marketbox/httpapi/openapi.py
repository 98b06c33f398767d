"""One OpenAPI 3.1 document for every API marketbox serves, built from the msgspec wire types."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from marketbox import __version__
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.httpapi.guards import guard_statuses

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "aliexpressToken": {
        "type": "apiKey",
        "in": "header",
        "name": "x-auth-token",
        "description": "AliExpress seller API token (POST /sandbox/tenants returns one per seller)",
    },
    "lamodaBearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Lamoda access token from GET /auth/token (v1) or POST /api/v2/auth-token (v2)",
    },
}

DESCRIPTION = """\
marketbox is a stateful stand-in for marketplace seller APIs. Point your integration at it instead
of the marketplace: the same paths, JSON shapes, error envelopes and lifecycles.

* **AliExpress seller API** (`/seller-api/v1/...`): header `x-auth-token`.
* **Lamoda B2B Platform API v1** (`/api/v1/...`, HAL lists) and **REST API v2** (`/api/v2/...`,
  `{data, meta}`, `sellerId` on every call): `Authorization: Bearer` from `GET /auth/token` (v1) or
  `POST /api/v2/auth-token` (v2).
* **Sandbox** (`/sandbox/...`): create tenants (sellers), let buyers place orders, move a seller's clock.
"""


def build_document(endpoints: Sequence[Endpoint]) -> dict[str, Any]:
    types: list[Any] = []
    for ep in endpoints:
        if ep.request is not None:
            types.append(ep.request)
        types.extend(t for t in ep.responses.values() if t is not None)
    schemas, components = msgspec.json.schema_components(types, ref_template="#/components/schemas/{name}")
    for schema in (*schemas, *components.values()):
        _without_nul(schema)
    schema_of = dict(zip(types, schemas, strict=True))
    paths: dict[str, dict[str, Any]] = {}
    for ep in endpoints:
        operation: dict[str, Any] = {
            "tags": [ep.tag],
            "summary": ep.summary,
            "operationId": f"{ep.tag}:{ep.method.lower()}:{ep.path}",
            "responses": {},
        }
        if ep.description:
            operation["description"] = ep.description
        if ep.security:
            operation["security"] = [{ep.security: []}]
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": _without_nul(msgspec.json.schema(tp))}
            for name, tp in ep.path_params
        ] + [
            {
                "name": name,
                "in": "query",
                "required": req,
                "description": desc,
                "schema": _without_nul(msgspec.json.schema(tp)),
            }
            for name, tp, req, desc in ep.query_params
        ]
        if parameters:
            operation["parameters"] = parameters
        if ep.request is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": schema_of[ep.request]}},
            }
        for status, tp in _responses(ep).items():
            response: dict[str, Any] = {"description": _status_text(status)}
            if tp is not None:
                response["content"] = {"application/json": {"schema": schema_of[tp]}}
            elif status < 300 and ep.binary_response:
                response["content"] = {ep.binary_response: {"schema": {"type": "string", "format": "binary"}}}
            operation["responses"][str(status)] = response
        paths.setdefault(ep.path, {})[ep.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "marketbox", "version": __version__, "description": DESCRIPTION},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": SECURITY_SCHEMES},
    }


NO_NUL = "^[^\\u0000]*$"


def _may_match_nul(pattern: str) -> bool:
    """Whether `pattern` has a negated class or a `.` (outside classes): the ways NUL gets in."""
    escaped = in_class = False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                return True
        elif char == ".":
            return True
    return False


def _without_nul(schema: Any) -> Any:
    """Say of every free-form string what the server enforces: it holds no NUL (httpapi/guards.py for
    parameters, decode_body for bodies; neither database can store one). Changes `schema` in place."""
    if isinstance(schema, list):
        for item in schema:
            _without_nul(item)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        is_string = kind == "string" or (isinstance(kind, list) and "string" in kind)
        if is_string and not {"pattern", "enum", "const", "format"} & schema.keys():
            schema["pattern"] = NO_NUL
        elif is_string and schema.get("pattern", NO_NUL) != NO_NUL and _may_match_nul(schema["pattern"]):
            schema.setdefault("allOf", []).append({"pattern": NO_NUL})
        for key in ("properties", "patternProperties", "$defs"):
            for child in schema.get(key, {}).values():
                _without_nul(child)
        for key in ("items", "additionalProperties", "not", "anyOf", "oneOf", "allOf", "prefixItems"):
            if key in schema:
                _without_nul(schema[key])
    return schema


def _responses(ep: Endpoint) -> dict[int, Any]:
    """What the endpoint declares, and what the HTTP layer answers before it runs (httpapi/guards.py),
    in the endpoint's own error body."""
    responses = dict(ep.responses)
    error_type = next((tp for status, tp in sorted(responses.items()) if status >= 400 and tp), None)
    if error_type is None:
        return responses
    has_params = bool(ep.path_params or ep.query_params)
    for status in guard_statuses(ep.method, ep.path, has_body=ep.request is not None, has_params=has_params):
        responses.setdefault(status, error_type)
    return dict(sorted(responses.items()))


def _status_text(status: int) -> str:
    return {
        200: "OK",
        201: "Created",
        204: "No content",
        400: "Invalid request",
        401: "Not authenticated",
        403: "Forbidden: another seller's object, or a request from a web page of a foreign origin",
        404: "Not found",
        409: "Not allowed in the current state",
        413: "Request body over the size limit",
        415: "Request body is not JSON (Content-Type)",
        429: "Too many requests",
        500: "Internal error; nothing was applied",
        503: "Unavailable",
    }.get(status, "Response")


_DOCS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>marketbox API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});</script>
</body></html>"""


def docs_routes(endpoints: Sequence[Endpoint]) -> list[BaseRoute]:
    """`/openapi.json` and a Swagger UI at `/docs` whose assets ship with the package (works offline)."""
    from swagger_ui_bundle import swagger_ui_path

    document = msgspec.json.encode(build_document(endpoints))

    async def openapi(_: Request) -> Response:
        return Response(document, media_type="application/json")

    async def docs(_: Request) -> Response:
        return HTMLResponse(_DOCS_PAGE)

    return [
        Route("/openapi.json", openapi, methods=["GET"], include_in_schema=False),
        Route("/docs", docs, methods=["GET"], include_in_schema=False),
        Mount("/docs/static", StaticFiles(directory=Path(swagger_ui_path)), name="swagger-static"),
    ]


__all__ = ["build_document", "docs_routes", "json_response"]
