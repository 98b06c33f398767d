"""Wire schemas of the sandbox's AliExpress world events. Unknown fields are refused, so a misspelt
option is a 400 rather than silently the default."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta, Struct

from marketbox.domain.logistic_moves import IN_TRANSIT, BuyerCancelReason, CarrierEvent
from marketbox.domain.logistic_orders import LogisticStatus, ProblemState
from marketbox.sandbox.schemas import DateTime

Id = Annotated[int, Meta(ge=1, le=2**63 - 1)]


class AeOrderCancelIn(Struct, forbid_unknown_fields=True):
    reason: Annotated[BuyerCancelReason, Meta(description="shown as the trade order's `finish_reason`")] = (
        BuyerCancelReason.CANCELLED_BY_BUYER
    )


class AeLogisticEventIn(Struct, forbid_unknown_fields=True):
    event: CarrierEvent
    problem_state: Annotated[
        ProblemState | None, Meta(description="required with the event `problem`, refused otherwise")
    ] = None
    status: Annotated[
        LogisticStatus | None,
        Meta(
            description="`in_transit` only: the carrier's scan to jump to, forward only "
            f"({', '.join(s.value for s in IN_TRANSIT[1:])}); the next one when absent"
        ),
    ] = None
    creation_error: Annotated[
        Annotated[str, Meta(min_length=1, max_length=500)] | None,
        Meta(description="problem CREATION_ERROR only: the text the seller reads in `creation_error`"),
    ] = None


def _when(field: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {field: {"const": value}}, "required": [field]}, "then": then}


def _unless(field: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {field: {"const": value}}, "required": [field]}, "else": then}


_NULL = {"type": "null"}
# What check_carrier_move refuses, said in the document: problem_state with `problem` only (and then
# required), status with `in_transit` only (a scan on the way), creation_error with CREATION_ERROR.
CarrierEventBody = Annotated[
    AeLogisticEventIn,
    Meta(
        extra_json_schema={
            "allOf": [
                _when(
                    "event",
                    CarrierEvent.PROBLEM,
                    {"required": ["problem_state"], "properties": {"problem_state": {"not": _NULL}}},
                ),
                _unless("event", CarrierEvent.PROBLEM, {"properties": {"problem_state": _NULL}}),
                _unless("event", CarrierEvent.IN_TRANSIT, {"properties": {"status": _NULL}}),
                {"properties": {"status": {"anyOf": [{"enum": [str(st) for st in IN_TRANSIT[1:]]}, _NULL]}}},
                _unless(
                    "problem_state", ProblemState.CREATION_ERROR, {"properties": {"creation_error": _NULL}}
                ),
            ]
        }
    ),
]


class AeCutOffIn(Struct, forbid_unknown_fields=True):
    cut_off_date: Annotated[
        DateTime | None,
        Meta(
            description="RFC 3339, on a later day (Moscow time) than the current shipping date; "
            "absent: the spare working day (13:00 Moscow)"
        ),
    ] = None


class AeHandoverAcceptIn(Struct, forbid_unknown_fields=True):
    rejected_logistic_order_ids: Annotated[
        list[Id],
        Meta(
            max_length=1000,
            description="parcels of the list the carrier refuses (they become Rejected: PartiallyAccepted); "
            "none: the list is Accepted whole",
        ),
    ] = []


class AeLogisticOrderStateOut(Struct):
    logistic_order_id: int
    trade_order_id: int
    status: str  # the seller API's `status` (the filter_status group)
    state_status: str  # the detailed status
    state_status_name: str
    problem_state: str | None
    creation_error: str | None
    handover_list_id: int  # 0: in no list, as the seller API shows it
    cut_off_date: str
    cut_off_shifts: int


class AeTradeOrderStateOut(Struct):
    trade_order_id: int
    status: str
    payment_status: str
    delivery_status: str
    order_display_status: str
    finish_reason: str | None
    updated_at: str
    logistic_orders: list[AeLogisticOrderStateOut]


class AeLogisticEventOut(Struct):
    logistic_order: AeLogisticOrderStateOut
    trade_order: AeTradeOrderStateOut


class AeHandoverListStateOut(Struct):
    handover_list_id: int
    status: str
    logistic_order_ids: list[int]
    rejected_logistic_order_ids: list[int]
