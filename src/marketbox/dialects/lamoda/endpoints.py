"""How a Lamoda endpoint runs: bearer auth, `sellerId` (v2), body decoding, errors in the API's own body."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import partial
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects import formats
from marketbox.dialects.lamoda import schemas as w
from marketbox.dialects.lamoda.errors import v1_domain_error, v1_error, v2_domain_error, v2_error
from marketbox.domain.errors import DomainError, Forbidden, InvalidInput
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import MOSCOW
from marketbox.httpapi.endpoints import BodyError, Endpoint, decode_body, json_body
from marketbox.httpapi.faults import with_faults
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.services import lamoda_auth
from marketbox.services.faults import FaultInjector
from marketbox.store.database import Database

log = logging.getLogger(__name__)
Api = Literal["v1", "v2"]
Run = Callable[[Request, Seller, Any], Awaitable[Response]]
SECURITY = "lamodaBearer"
V1_TAG = "Lamoda B2B Platform API (v1)"
V2_TAG = "Lamoda REST API v2"


def _error(api: Api, status: int, message: str, field: str = "") -> Response:
    if api == "v1":
        return v1_error(status, message, [{"field": field, "message": message}] if field else None)
    return v2_error(status, message, [{"field": field, "issue": message}] if field else None)


def plain_error(api: Api, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error about no one field (429 and 5xx, `Retry-After` in `headers`), in the API's own body."""
    if api == "v1":
        return v1_error(status, message, headers=headers)
    return v2_error(status, message, headers=headers)


def lamoda_endpoint(
    db: Database,
    api: Api,
    method: str,
    path: str,
    summary: str,
    run: Run,
    *,
    body: Any = None,
    response: Any = None,
    status: int = 200,
    query: Sequence[tuple[str, Any, bool, str]] = (),
    path_params: Sequence[tuple[str, Any]] = (),
    public: bool = False,
    description: str = "",
    limiter: RateLimiter | None = None,
    faults: FaultInjector | None = None,
) -> Endpoint:
    decoder = msgspec.json.Decoder(body) if body is not None else None
    needs_seller_id = api == "v2" and not public
    render = partial(plain_error, api)

    async def handler(request: Request) -> Response:
        try:
            seller = (
                None if public else await lamoda_auth.authenticate(db, request.headers.get("authorization"))
            )
            if limiter is not None and seller is not None:
                wait = limiter.acquire(seller.id)
                if wait > 0:
                    retry = str(max(1, math.ceil(wait)))
                    return plain_error(
                        api, 429, f"too many requests: retry in {retry} s", {"Retry-After": retry}
                    )
            if seller is None:
                return await serve(request, None)
            return await with_faults(faults, seller, request, render, lambda: serve(request, seller))
        except DomainError as exc:
            return v1_domain_error(exc) if api == "v1" else v2_domain_error(exc)
        except Exception:
            log.exception("unhandled error in %s %s", method, path)
            return _error(api, 500, "internal error; the request was not applied")

    async def serve(request: Request, seller: Seller | None) -> Response:
        payload = None
        if decoder is not None:
            try:
                payload = decode_body(decoder, await json_body(request))
            except BodyError as exc:
                return _error(api, exc.status, str(exc), exc.field)
        if needs_seller_id:
            assert seller is not None
            given = payload.sellerId if payload is not None else _seller_id_query(request)
            if given != seller.id:
                raise Forbidden(
                    "forbidden",
                    f"sellerId {given} is not the seller of this token",
                    {"field": "sellerId"},
                )
        return await run(request, seller, payload)  # type: ignore[arg-type]

    error_type = w.V1Error if api == "v1" else w.V2Error
    responses: dict[int, Any] = {status: response, 400: error_type, 404: error_type}
    if not public:
        responses.update({code: error_type for code in (401, 403, 409, 429, 500, 503)})
    params = list(query)
    if needs_seller_id and body is None:
        params.insert(0, ("sellerId", SellerIdParam, True, "the seller's cabinet id (must match the token)"))
    return Endpoint(
        method=method,
        path=path,
        handler=handler,
        summary=summary,
        tag=V1_TAG if api == "v1" else V2_TAG,
        request=body,
        responses=responses,
        security=None if public else SECURITY,
        description=description,
        path_params=path_params,
        query_params=params,
    )


SellerIdParam = Annotated[int, Meta(ge=1, le=2**63 - 1)]
# What a query string of each kind may hold, declared and checked alike (dialects/formats.py).
DateTimeParam = Annotated[
    str,
    Meta(
        extra_json_schema={"pattern": formats.LAMODA_DATE_TIME},
        description="ISO 8601: `2026-11-23T10:00:00Z`, `2026-11-23T13:00:00+03:00`, `2026-11-23`",
    ),
]
DateParam = Annotated[str, Meta(extra_json_schema={"pattern": formats.ISO_DATE, "format": "date"})]
# Lamoda's B2B clients send `1`; `true`/`false`/`0` are taken as well, nothing else.
FlagParam = Literal["1", "0", "true", "false"]
_FLAGS = {"1": True, "true": True, "0": False, "false": False}


def _seller_id_query(request: Request) -> int:
    raw = request.query_params.get("sellerId")
    if raw is None or raw == "":
        raise InvalidInput(
            "sellerId_required", "the sellerId query parameter is required", {"field": "sellerId"}
        )
    return int_param(request, "sellerId", 1, 2**63 - 1, None)


def _invalid(name: str, message: str) -> InvalidInput:
    return InvalidInput("invalid_parameter", f"{name}: {message}", {"field": name})


def query_value(request: Request, name: str) -> str | None:
    """A query parameter's value, None when it is absent. Present but empty is refused: no parameter
    here takes an empty value (leave it out for the default)."""
    raw = request.query_params.get(name)
    if raw == "":
        raise _invalid(name, "an empty value is not allowed; leave the parameter out for the default")
    return raw


def choice_param(request: Request, name: str, allowed: Sequence[str]) -> str | None:
    raw = query_value(request, name)
    if raw is not None and raw not in allowed:
        raise _invalid(name, f"must be one of {', '.join(allowed)}, got {raw[:40]!r}")
    return raw


def flag_param(request: Request, name: str) -> bool:
    raw = choice_param(request, name, tuple(_FLAGS))
    return raw is not None and _FLAGS[raw]


def int_param(request: Request, name: str, low: int, high: int, default: int | None) -> int:
    raw = query_value(request, name)
    if raw is None:
        if default is None:
            raise InvalidInput("invalid_parameter", f"{name} is required", {"field": name})
        return default
    if not (raw.isascii() and raw.lstrip("-").isdigit()) or len(raw) > 19 or not low <= int(raw) <= high:
        raise InvalidInput(
            "invalid_parameter",
            f"{name} must be an integer from {low} to {high}, got {raw[:40]!r}",
            {"field": name},
        )
    return int(raw)


def path_int(request: Request, name: str) -> int:
    raw = request.path_params[name]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise InvalidInput(
            "invalid_parameter", f"{name} must be a positive integer, got {raw[:40]!r}", {"field": name}
        )
    return int(raw)


# What path_int takes: up to 18 digits.
PathIntParam = Annotated[int, Meta(ge=0, le=10**18 - 1)]


def datetime_param(request: Request, name: str) -> datetime | None:
    raw = query_value(request, name)
    return parse_datetime(raw, name) if raw is not None else None


def parse_datetime(raw: str, field: str, *, local: bool = False) -> datetime:
    """ISO 8601 as formats.LAMODA_DATE_TIME says (`2026-11-23T10:00:00Z`); a value without a zone is
    Moscow time in v1, UTC in v2."""
    parts = (
        formats.LAMODA_DATE_TIME_PARTS.fullmatch(raw)
        if formats.matches(formats.LAMODA_DATE_TIME, raw)
        else None
    )
    if parts is None:
        raise InvalidInput(
            "invalid_parameter",
            f"{field}: {raw[:40]!r} is not an ISO 8601 date-time (e.g. 2026-11-23T10:00:00Z)",
            {"field": field},
        )
    day = date.fromisoformat(parts["date"])
    value = datetime(
        day.year,
        day.month,
        day.day,
        int(parts["hour"] or 0),
        int(parts["minute"] or 0),
        int(parts["second"] or 0),
        int((parts["fraction"] or "0").ljust(6, "0")),
    )
    offset = parts["offset"]
    if offset is None:
        zone: tzinfo = MOSCOW if local else UTC
    elif offset == "Z":
        zone = UTC
    else:
        # An unencoded `+03:00` in a query string arrives as " 03:00".
        delta = timedelta(hours=int(parts["oh"]), minutes=int(parts["om"] or 0))
        zone = timezone(-delta if parts["sign"] == "-" else delta)
    return in_utc(value.replace(tzinfo=zone), field)


def in_utc(value: datetime, field: str) -> datetime:
    """The moment in UTC; dates at the very ends of the calendar have none and are refused."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            "invalid_parameter", f"{field}: {value.isoformat()} is out of range", {"field": field}
        ) from None


def date_param(request: Request, name: str) -> date | None:
    raw = query_value(request, name)
    if raw is None:
        return None
    if not formats.matches(formats.ISO_DATE, raw):
        raise InvalidInput(
            "invalid_parameter", f"{name}: {raw[:40]!r} is not a date (YYYY-MM-DD)", {"field": name}
        )
    return date.fromisoformat(raw)


def v1_time(value: datetime | None) -> str | None:
    """B2B v1 speaks Moscow time."""
    return value.astimezone(MOSCOW).isoformat(timespec="seconds") if value else None


def v2_time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if value else None
