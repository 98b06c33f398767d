"""The AliExpress error envelope: `{"data": null, "error": {"code", "message", "details"}}`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from marketbox.domain.errors import DomainError
from marketbox.httpapi.endpoints import HTTP_STATUS_BY_KIND, json_response


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    return json_response(
        {"data": None, "error": {"code": code, "message": message, "details": details}}, status
    )


def domain_error_response(error: DomainError) -> Response:
    return error_response(
        HTTP_STATUS_BY_KIND.get(error.kind, 400), error.code, error.message, error.details or None
    )
