"""An endpoint is a Starlette route plus what OpenAPI needs to document it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

Handler = Callable[[Request], Awaitable[Response]]

_encoder = msgspec.json.Encoder()

# How every API here answers a domain error of each kind (the body is the dialect's own envelope).
HTTP_STATUS_BY_KIND = {
    "invalid": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
}


def encode_json(payload: Any) -> bytes:
    return _encoder.encode(payload)


def json_response(payload: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(_encoder.encode(payload), status_code, headers, media_type="application/json")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    request: Any = None
    responses: dict[int, Any] = field(default_factory=dict)
    security: str | None = None
    description: str = ""
    path_params: Sequence[tuple[str, Any]] = ()
    query_params: Sequence[tuple[str, Any, bool, str]] = ()  # name, type, required, description
    binary_response: str | None = None  # media type of a non-JSON success body
    name: str | None = None  # for url_for (httpapi/routing.py makes the route)


_PATH_RE = re.compile(r"at `\$(?P<path>[^`]*)`")


def field_path(error: msgspec.ValidationError) -> str:
    """`orders[0].total_weight` from msgspec's "... - at `$.orders[0].total_weight`"."""
    match = _PATH_RE.search(str(error))
    if not match:
        return ""
    return match.group("path").lstrip(".")


class BodyError(ValueError):
    """A request body refused: `str()` is the message for the client, `field` the path it names (or ""),
    `status` the HTTP status of the answer."""

    status = 400

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotJson(BodyError):
    status = 415


def is_json(content_type: str | None) -> bool:
    """`application/json` (with parameters such as charset) or a `+json` type."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def json_body(request: Request) -> bytes:
    """The raw body of a request that must carry JSON; a body of another declared type (or of none) is
    refused. Browsers send `text/plain` and form types cross-origin without asking first; JSON they
    do not, so this is what keeps a web page from driving the API with a "simple" request."""
    raw = await request.body()
    content_type = request.headers.get("content-type")
    if raw and not is_json(content_type):
        got = f"got {content_type[:80]!r}" if content_type else "none was given"
        raise NotJson(f"the request body must be JSON (Content-Type: application/json); {got}")
    return raw


def decode_body(decoder: msgspec.json.Decoder[Any], raw: bytes) -> Any:
    """Decode a JSON request body; anything wrong with it raises BodyError naming the field."""
    if not raw.strip():
        raise BodyError("request body is required (JSON object)")
    try:
        try:
            body = decoder.decode(raw)
        except msgspec.ValidationError as exc:
            if "got `float`" not in str(exc):
                raise
            try:
                body = _decode_integral_floats(decoder, raw)
            except msgspec.ValidationError:
                raise exc from None  # the error as the client sent the body, not as converted
        # Databases cannot store NUL in text, and no marketplace field may contain it. Only the fields
        # decoded count: a NUL in a member the API ignores is ignored with it.
        where = _nul_in(body, "") if b"\\u0000" in raw else None
    except RecursionError:
        raise BodyError("request body is nested too deeply") from None
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise BodyError(*_describe(exc)) from None
    if where is not None:
        where = where if len(where) <= 200 else f"{where[:200]}..."
        raise BodyError(f"{where or 'request body'}: must not contain NUL (\\u0000) characters", where)
    return body


def _decode_integral_floats(decoder: msgspec.json.Decoder[Any], raw: bytes) -> Any:
    """The body again, with every JSON number of zero fraction (`5.0`) taken as the integer it is,
    as JSON Schema counts it (and Jackson, behind AliExpress, reads it); `5.5` is still refused."""
    return msgspec.convert(_integral(msgspec.json.decode(raw)), decoder.type, dec_hook=decoder.dec_hook)


def _integral(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


def _nul_in(value: Any, path: str) -> str | None:
    """The path of the first decoded string (or key) holding NUL, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, msgspec.Struct):
        for info in msgspec.structs.fields(value):
            child = f"{path}.{info.encode_name}" if path else info.encode_name
            if (found := _nul_in(getattr(value, info.name), child)) is not None:
                return found
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if (found := _nul_in(item, f"{path}[{i}]")) is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key).replace("\x00", "\\u0000")  # the answer names it, and holds no NUL itself
            child = f"{path}.{name}" if path else name
            if "\x00" in str(key):
                return child
            if (found := _nul_in(item, child)) is not None:
                return found
    return None


def _describe(error: msgspec.ValidationError | msgspec.DecodeError) -> tuple[str, str]:
    """A message naming the field, and the field path (empty for the body as a whole)."""
    if isinstance(error, msgspec.ValidationError):
        # msgspec quotes what it refused, unknown member names included: no answer may hold a NUL.
        text = str(error).replace("\x00", "\\u0000")
        path = field_path(error).replace("\x00", "\\u0000")
        missing = re.match(r"Object missing required field `(?P<name>[^`]+)`", text)
        if missing:
            name = missing.group("name")
            path = f"{path}.{name}" if path else name
            return f"{path}: required field is missing", path
        reason = _PATH_RE.sub("", text).rstrip(" -")
        return (f"{path}: {reason}" if path else reason), path
    return f"request body is not valid JSON: {error}", ""
