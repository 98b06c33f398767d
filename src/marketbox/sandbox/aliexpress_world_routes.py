"""Sandbox: the AliExpress world moves a tenant's orders (never through the seller's own paths)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from marketbox.domain.errors import InvalidInput
from marketbox.domain.logistic_moves import CarrierMove
from marketbox.domain.logistic_orders import STATUS_NAMES, LogisticOrder
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.sandbox import aliexpress_world_schemas as s
from marketbox.sandbox.routes import _iso, _moment, _seller_id, path_int, sandbox_endpoint
from marketbox.services import aliexpress_world as world
from marketbox.services.tenants import EARLIEST_YEAR, LATEST_YEAR
from marketbox.store.database import Database


def _path_id(request: Request, name: str) -> int:
    return path_int(request, name, "InvalidId")


def _cut_off(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    value = _moment(raw, "cut_off_date")
    if not EARLIEST_YEAR <= value.year < LATEST_YEAR:
        raise InvalidInput(
            "InvalidDate",
            f"cut_off_date must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}",
            {"field": "cut_off_date"},
        )
    return value


def logistic_out(lo: LogisticOrder) -> s.AeLogisticOrderStateOut:
    return s.AeLogisticOrderStateOut(
        logistic_order_id=lo.id,
        trade_order_id=lo.trade_order_id,
        status=lo.group.value,
        state_status=lo.status.value,
        state_status_name=STATUS_NAMES[lo.status],
        problem_state=lo.problem_state.value if lo.problem_state else None,
        creation_error=lo.creation_error,
        handover_list_id=lo.handover_list_id or 0,
        cut_off_date=_iso(lo.cut_off_date),
        cut_off_shifts=lo.cut_off_shifts,
    )


def order_out(state: world.OrderState) -> s.AeTradeOrderStateOut:
    order = state.order
    return s.AeTradeOrderStateOut(
        trade_order_id=order.id,
        status=order.status.value,
        payment_status=order.payment_status.value,
        delivery_status=order.delivery_status.value,
        order_display_status=order.display_status.value,
        finish_reason=order.finish_reason,
        updated_at=_iso(order.updated_at),
        logistic_orders=[logistic_out(lo) for lo in state.logistics],
    )


def event_out(state: world.OrderState, lo_id: int) -> s.AeLogisticEventOut:
    trade_order = order_out(state)
    [moved] = [lo for lo in trade_order.logistic_orders if lo.logistic_order_id == lo_id]
    return s.AeLogisticEventOut(moved, trade_order)


def endpoints(db: Database) -> list[Endpoint]:
    async def cancel(request: Request, body: s.AeOrderCancelIn) -> Response:
        state = await world.cancel_order(
            db, _seller_id(request), _path_id(request, "trade_order_id"), body.reason
        )
        return json_response(order_out(state))

    async def logistic_event(request: Request, body: s.AeLogisticEventIn) -> Response:
        lo_id = _path_id(request, "logistic_order_id")
        move = CarrierMove(body.event, body.problem_state, body.status, body.creation_error)
        state = await world.carrier_event(db, _seller_id(request), lo_id, move)
        return json_response(event_out(state, lo_id))

    async def cut_off(request: Request, body: s.AeCutOffIn) -> Response:
        lo_id = _path_id(request, "logistic_order_id")
        state = await world.move_cut_off(db, _seller_id(request), lo_id, _cut_off(body.cut_off_date))
        return json_response(event_out(state, lo_id))

    async def accept(request: Request, body: s.AeHandoverAcceptIn) -> Response:
        handover, rejected = await world.accept_list(
            db, _seller_id(request), _path_id(request, "handover_list_id"), body.rejected_logistic_order_ids
        )
        return json_response(
            s.AeHandoverListStateOut(
                handover.id, handover.status.value, list(handover.logistic_order_ids), rejected
            )
        )

    base = "/sandbox/tenants/{seller_id}/aliexpress"
    return [
        _endpoint(
            base + "/orders/{trade_order_id}/cancel",
            "An AliExpress buyer cancels an order (before any parcel reached the carrier)",
            "Allowed while the order is Created or InProgress and none of its logistic orders reached the "
            "carrier. The order becomes Cancelled (payment and delivery Cancelled, display Close, "
            "`finish_reason` the reason); its logistic orders become Cancelled and leave their handover "
            "lists. 409 otherwise.",
            cancel,
            s.AeOrderCancelIn,
            s.AeTradeOrderStateOut,
        ),
        _endpoint(
            base + "/logistic-orders/{logistic_order_id}/events",
            "The carrier accepts, carries or delivers an AliExpress parcel, or reports a problem with it",
            "`accepted`: a parcel awaiting a handover list and in none becomes OrderReceivedFromSeller "
            "(parcels in a list are accepted by handover-list/transfer). `in_transit`: the next carrier "
            "scan, or `status`. `delivered`: ProviderPostingDelivered; an order whose every unit is "
            "delivered becomes Finished. `problem` + `problem_state`: CREATION_ERROR (awaiting a list, in "
            "none: OrderCreationProblems), HANDOVER_ERROR (in a Created list: AddingToHandoverProblems, out "
            "of the list), CUT_OFF_OVERDUE (not handed over, shipping date passed on the tenant's clock), "
            "DELIVERY_PROBLEM (with the carrier); one problem at a time. `problem_resolved` clears it. A "
            "refused move is a 409 whose details give `current` and `allowed` (and "
            "`allowed_problem_states`).",
            logistic_event,
            s.CarrierEventBody,
            s.AeLogisticEventOut,
        ),
        _endpoint(
            base + "/logistic-orders/{logistic_order_id}/cut-off",
            "AliExpress moves a logistic order's shipping date (at most twice, pass-today included)",
            "Only before the parcel is handed over, and not for a member of a transferred list. The date "
            "may move twice in all, the seller's pass-today included; the third move is a 409 "
            "(ErrorCode.CutOffDateShiftLimit). The logistic order leaves its handover list.",
            cut_off,
            s.AeCutOffIn,
            s.AeLogisticEventOut,
        ),
        _endpoint(
            base + "/handover-lists/{handover_list_id}/accept",
            "The carrier's warehouse accepts a transferred AliExpress handover list, whole or in part",
            "Only a Transferred list. Accepted when no parcel is refused; PartiallyAccepted otherwise, the "
            "refused parcels (still OrderReceivedFromSeller) becoming Rejected and their units free to "
            "ship again.",
            accept,
            s.AeHandoverAcceptIn,
            s.AeHandoverListStateOut,
        ),
    ]


def _endpoint(
    path: str,
    summary: str,
    description: str,
    run: Callable[[Request, Any], Awaitable[Response]],
    body_type: Any,
    response_type: Any,
) -> Endpoint:
    endpoint = sandbox_endpoint("POST", path, summary, run, body_type, response_type)
    return replace(endpoint, description=description)
