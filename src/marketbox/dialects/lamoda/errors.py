"""Lamoda error bodies: v1 `{code, message, description, errors}`; v2 `{"error": {code, message, details}}`

Both APIs answer 401 for a missing, unknown or expired token in their own body.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from marketbox.domain.errors import DomainError
from marketbox.httpapi.endpoints import HTTP_STATUS_BY_KIND, json_response

_V2_CODES = {
    400: "VALIDATION_FAILED",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "TOO_MANY_REQUESTS",
    503: "SERVICE_UNAVAILABLE",
}
_V1_MESSAGES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def v1_error(
    status: int,
    description: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {
        "code": status,
        "message": _V1_MESSAGES.get(status, "Error"),
        "description": description,
        "errors": errors or [],
    }
    return json_response(body, status, headers)


def v2_error(
    status: int,
    message: str,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "error": {
            "code": _V2_CODES.get(status, "INTERNAL_ERROR"),
            "message": message,
            "details": details or [],
        }
    }
    return json_response(body, status, headers)


def _status(error: DomainError) -> int:
    return HTTP_STATUS_BY_KIND.get(error.kind, 400)


def v1_domain_error(error: DomainError) -> Response:
    field = error.details.get("field")
    return v1_error(
        _status(error), error.message, [{"field": field, "message": error.message}] if field else None
    )


def v2_domain_error(error: DomainError) -> Response:
    field = error.details.get("field")
    return v2_error(
        _status(error), error.message, [{"field": field, "issue": error.message}] if field else None
    )
