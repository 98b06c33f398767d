"""Sandbox faults: rules that make a tenant's marketplace calls slow or fail, on purpose."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import Response

from marketbox.domain.faults import MAX_PATH, FaultRule, FaultSpec
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.sandbox.routes import _iso, _seller_id, path_int, sandbox_endpoint
from marketbox.services import faults
from marketbox.store.database import Database


class FaultIn(Struct, forbid_unknown_fields=True):
    # A glob over the request path: `*` matches anything (slashes too), e.g. /api/v2/orders*.
    path: Annotated[str, Meta(min_length=1, max_length=MAX_PATH)]
    method: Annotated[str, Meta(max_length=10)] = "*"
    # latency | error; may be left out when latency_ms or status says which.
    action: Annotated[str, Meta(max_length=20)] | None = None
    latency_ms: int | None = None
    status: int | None = None  # 429, 500 or 503
    retry_after: int | None = None  # seconds, sent as Retry-After with 429 and 503
    when: Annotated[str, Meta(max_length=20)] | None = None  # before (default) | after
    count: int | None = None  # faults before the rule is spent; none: no limit
    probability: float = 1.0


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
        return json_response(fault_out(await faults.add_rule(db, seller_id, spec)), 201)

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
            FaultIn,
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
        replace(
            sandbox_endpoint(
                "DELETE", base + "/{fault_id}", "Remove a fault rule", delete_one, None, None, 204
            ),
            path_params=[("seller_id", int), ("fault_id", int)],
        ),
    ]
