"""Errors answered before an endpoint runs (unknown path, wrong method, a refused parameter, body or
origin), in the body of the API the path belongs to."""

from __future__ import annotations

from typing import Literal

from starlette.responses import Response

from marketbox.dialects.aliexpress.errors import error_response as aliexpress_error
from marketbox.dialects.aliexpress.routes import PREFIX as ALIEXPRESS_PREFIX
from marketbox.dialects.lamoda.errors import v1_error, v2_error
from marketbox.sandbox.routes import sandbox_error

Api = Literal["aliexpress", "lamoda-v1", "lamoda-v2", "sandbox", "service"]

_NAMES = {
    400: "ValidationError",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
}


def api_of(path: str) -> Api:
    if path.startswith((ALIEXPRESS_PREFIX + "/", "/documents/")) or path in (ALIEXPRESS_PREFIX, "/documents"):
        return "aliexpress"  # label documents answer in the envelope of the API that issues most of them
    if path.startswith(("/api/v1/", "/auth/token")) or path.rstrip("/") == "/api/v1":
        return "lamoda-v1"
    if path.startswith("/api/v2/") or path.rstrip("/") == "/api/v2":
        return "lamoda-v2"
    if path == "/sandbox" or path.startswith("/sandbox/"):
        return "sandbox"
    return "service"


def error_response(
    path: str, status: int, message: str, *, field: str = "", headers: dict[str, str] | None = None
) -> Response:
    """`status` with `message` (and the `field` it is about, if any) in the API's own error body."""
    api = api_of(path)
    name = _NAMES.get(status, "HttpError")
    if api == "lamoda-v1":
        return v1_error(status, message, [{"field": field, "message": message}] if field else None, headers)
    if api == "lamoda-v2":
        return v2_error(status, message, [{"field": field, "issue": message}] if field else None, headers)
    details = {"field": field} if field else None
    if api == "aliexpress":
        response = aliexpress_error(status, f"ErrorCode.{name}", message, details)
        response.headers.update(headers or {})
        return response
    return sandbox_error(status, name, message, details, headers)
