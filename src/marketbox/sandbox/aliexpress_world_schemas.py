"""Wire schemas of the sandbox's AliExpress world events. Unknown fields are refused, so a misspelt
option is a 400 rather than silently the default."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from marketbox.domain.logistic_moves import IN_TRANSIT, BuyerCancelReason, CarrierEvent
from marketbox.domain.logistic_orders import LogisticStatus, ProblemState

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


class AeCutOffIn(Struct, forbid_unknown_fields=True):
    cut_off_date: Annotated[
        Annotated[str, Meta(max_length=40)] | None,
        Meta(
            description="ISO 8601, on a later day (Moscow time) than the current shipping date; "
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
