"""Sandbox faults: rules that make a tenant's marketplace calls slow or fail, on purpose."""

from __future__ import annotations

import re
from typing import Annotated, Any

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import Response

from marketbox.domain.faults import (
    ANY_METHOD,
    ERROR_STATUSES,
    MAX_COUNT,
    MAX_LATENCY_MS,
    MAX_PATH,
    MAX_RETRY_AFTER,
    METHODS,
    RETRY_AFTER_STATUSES,
    UNFAULTED_PREFIXES,
    Action,
    FaultRule,
    FaultSpec,
    When,
)
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.sandbox.routes import _iso, _seller_id, path_int, sandbox_endpoint, state_conflict
from marketbox.services import faults
from marketbox.store.database import Database

# A path glob the rule may have (domain.faults._check_path): from / or *, printable without spaces
# (ASCII here), never the sandbox, the docs or documents.
_NEVER = "|".join(re.escape(prefix) for prefix in UNFAULTED_PREFIXES)
PATH_PATTERN = f"^(?!{_NEVER})[/*][!-~]*$"


def _bounds(low: int, high: int) -> dict[str, Any]:
    return {"minimum": low, "maximum": high}


class FaultIn(Struct, forbid_unknown_fields=True):
    # A glob over the request path: `*` matches anything (slashes too), e.g. /api/v2/orders*.
    path: Annotated[str, Meta(min_length=1, max_length=MAX_PATH, extra_json_schema={"pattern": PATH_PATTERN})]
    method: Annotated[str, Meta(max_length=10, extra_json_schema={"enum": [ANY_METHOD, *METHODS]})] = "*"
    # latency | error; may be left out when latency_ms or status says which.
    action: Annotated[str, Meta(max_length=20, extra_json_schema={"enum": list(Action)})] | None = None
    latency_ms: Annotated[int, Meta(extra_json_schema=_bounds(1, MAX_LATENCY_MS))] | None = None
    status: Annotated[int, Meta(extra_json_schema={"enum": list(ERROR_STATUSES)})] | None = None
    # seconds, sent as Retry-After with 429 and 503
    retry_after: Annotated[int, Meta(extra_json_schema=_bounds(0, MAX_RETRY_AFTER))] | None = None
    # before (default) | after
    when: Annotated[str, Meta(max_length=20, extra_json_schema={"enum": list(When)})] | None = None
    # faults before the rule is spent; none: no limit
    count: Annotated[int, Meta(extra_json_schema=_bounds(1, MAX_COUNT))] | None = None
    probability: Annotated[float, Meta(extra_json_schema=_bounds(0, 1))] = 1.0


_NULL = {"type": "null"}
# FaultSpec.parse: a latency rule (latency_ms, nothing of an error) or an error rule (status, maybe
# retry_after with 429 or 503, maybe when); `action` may be left out when the fields say which.
FaultBody = Annotated[
    FaultIn,
    Meta(
        extra_json_schema={
            "oneOf": [
                {
                    "properties": {
                        "action": {"enum": [Action.LATENCY, None]},
                        "latency_ms": {"type": "integer"},
                        "status": _NULL,
                        "retry_after": _NULL,
                        "when": _NULL,
                    },
                    "required": ["latency_ms"],
                },
                {
                    "properties": {
                        "action": {"enum": [Action.ERROR, None]},
                        "latency_ms": _NULL,
                        "status": {"type": "integer"},
                    },
                    "required": ["status"],
                    "anyOf": [
                        {"properties": {"status": {"enum": list(RETRY_AFTER_STATUSES)}}},
                        {"properties": {"retry_after": _NULL}},
                    ],
                },
            ]
        }
    ),
]


class FaultOut(Struct):
    id: int
    method: str
    path: str
    action: str
    latency_ms: int | None
    status: int | None
    retry_after: int | None
    when: str | None
    count: int | None
    probability: float
    remaining: int | None
    hits: int
    created_at: str


class FaultList(Struct):
    faults: list[FaultOut]


def fault_out(rule: FaultRule) -> FaultOut:
    spec = rule.spec
    return FaultOut(
        id=rule.id,
        method=spec.method,
        path=spec.path,
        action=spec.action.value,
        latency_ms=spec.latency_ms,
        status=spec.status,
        retry_after=spec.retry_after,
        when=spec.when.value if spec.when else None,
        count=spec.count,
        probability=spec.probability,
        remaining=rule.remaining,
        hits=rule.hits,
        created_at=_iso(rule.created_at),
    )


def _fault_id(request: Request) -> int:
    return path_int(request, "fault_id", "InvalidFaultId")


def endpoints(db: Database) -> list[Endpoint]:
    async def add(request: Request, body: FaultIn) -> Response:
        seller_id = _seller_id(request)
        spec = FaultSpec.parse(
            path=body.path,
            method=body.method,
            action=body.action,
            latency_ms=body.latency_ms,
            status=body.status,
            retry_after=body.retry_after,
            when=body.when,
            count=body.count,
            probability=body.probability,
        )
        with state_conflict("TooManyFaults"):
            rule = await faults.add_rule(db, seller_id, spec)
        return json_response(fault_out(rule), 201)

    async def list_faults(request: Request, _: None) -> Response:
        found = await faults.rules(db, _seller_id(request))
        return json_response(FaultList([fault_out(rule) for rule in found]))

    async def delete_one(request: Request, _: None) -> Response:
        await faults.remove_rule(db, _seller_id(request), _fault_id(request))
        return Response(status_code=204)

    async def delete_all(request: Request, _: None) -> Response:
        await faults.clear_rules(db, _seller_id(request))
        return Response(status_code=204)

    base = "/sandbox/tenants/{seller_id}/faults"
    return [
        sandbox_endpoint(
            "POST",
            base,
            "Add a fault rule: latency, or 429/500/503 before or after the call, on matching marketplace "
            "calls of the tenant",
            add,
            FaultBody,
            FaultOut,
            201,
        ),
        sandbox_endpoint(
            "GET",
            base,
            "The tenant's fault rules, with faults remaining and caused",
            list_faults,
            None,
            FaultList,
        ),
        sandbox_endpoint(
            "DELETE", base, "Remove every fault rule of the tenant", delete_all, None, None, 204
        ),
        sandbox_endpoint("DELETE", base + "/{fault_id}", "Remove a fault rule", delete_one, None, None, 204),
    ]
