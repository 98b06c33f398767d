"""How AliExpress orders move outside the seller's own calls, and the shipping-date rule both share.

The carrier accepts, carries and delivers parcels or reports a problem with one (the
`problem_state_filter` vocabulary), the buyer cancels an order, the carrier's warehouse accepts a
handover list, and the marketplace moves a shipping date. The seller's `pass-today` moves a date by
the same rule. Every function checks a move and returns the new state; a move the marketplace would
not make is a Conflict naming the current state and the moves that are possible from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from marketbox.domain.errors import Conflict
from marketbox.domain.handover_lists import HandoverList, HandoverStatus
from marketbox.domain.logistic_orders import (
    NOT_HANDED_OVER,
    RELEASES_QUANTITY,
    LogisticOrder,
    LogisticStatus,
    ProblemState,
    allocated_quantities,
    shipment_progress,
)
from marketbox.domain.shipping_dates import MAX_CUT_OFF_SHIFTS
from marketbox.domain.trade_orders import (
    DeliveryStatus,
    DisplayStatus,
    PaymentStatus,
    TradeOrder,
    TradeOrderStatus,
)

S = LogisticStatus
P = ProblemState
NOT_ALLOWED = "transition_not_allowed"


class CarrierEvent(StrEnum):
    ACCEPTED = "accepted"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    PROBLEM = "problem"
    PROBLEM_RESOLVED = "problem_resolved"


# The carrier's scans from acceptance to the pickup point, in order (skipping scans is allowed).
IN_TRANSIT: tuple[LogisticStatus, ...] = (
    S.ORDER_RECEIVED_FROM_SELLER,
    S.CROSS_DOC_SORTING,
    S.CROSS_DOC_SENT,
    S.PROVIDER_POSTING_RECEIVE,
    S.PROVIDER_POSTING_LEFT_THE_RECEPTION,
    S.PROVIDER_POSTING_ARRIVED_AT_SORTING,
    S.PROVIDER_POSTING_SORTING,
    S.PROVIDER_POSTING_LEFT_THE_SORTING,
    S.PROVIDER_POSTING_ARRIVED,
)

# The statuses in which each problem can be reported and persists; a move out of them ends it.
PROBLEM_HOLDS_IN: dict[ProblemState, frozenset[LogisticStatus]] = {
    P.CREATION_ERROR: frozenset({S.ORDER_CREATION_PROBLEMS}),
    P.HANDOVER_ERROR: frozenset({S.ADDING_TO_HANDOVER_PROBLEMS}),
    P.CUT_OFF_OVERDUE: frozenset({S.AWAITING_HANDOVER_LIST, S.AWAITING_CONFIRMATION, S.AWAITING_DISPATCH}),
    P.DELIVERY_PROBLEM: frozenset(IN_TRANSIT),
}

DEFAULT_CREATION_ERROR = "The carrier could not register the logistic order"


class BuyerCancelReason(StrEnum):
    """A buyer's reason, shown as the trade order's `finish_reason` (the values public clients list)."""

    CANCELLED_BY_BUYER = "CancelledByBuyer"
    DOES_NOT_WANT_ORDER = "BuyerDoesNotWantOrder"
    WANT_CHANGE_PRODUCT = "BuyerWantChangeProduct"
    CHANGE_COUPON = "BuyerChangeCoupon"
    CHANGE_MAIL_ADDRESS = "BuyerChangeMailAddress"
    CHANGE_LOGISTIC = "BuyerChangeLogistic"
    OTHER_REASONS = "BuyerOtherReasons"


DELIVERED_FINISH_REASON = "ConfirmedByLogistic"


def problem_after(problem: ProblemState | None, status: LogisticStatus) -> ProblemState | None:
    """The problem a logistic order still has once it is in `status`."""
    if problem is None or status not in PROBLEM_HOLDS_IN[problem]:
        return None
    return problem


@dataclass(frozen=True)
class Situation:
    """What the rules need to know besides the logistic order itself."""

    now: datetime
    list_status: HandoverStatus | None = None  # of the handover list the logistic order is in


@dataclass(frozen=True)
class CarrierMove:
    event: CarrierEvent
    problem_state: ProblemState | None = None
    status: LogisticStatus | None = None  # in_transit: the scan to jump to (default: the next one)
    creation_error: str | None = None  # problem CREATION_ERROR: the text the seller sees


def _moved(order: LogisticOrder, status: LogisticStatus, **changes: Any) -> LogisticOrder:
    return replace(order, status=status, problem_state=problem_after(order.problem_state, status), **changes)


def _report(
    order: LogisticOrder, problem: ProblemState, move: CarrierMove, at: Situation
) -> LogisticOrder | str:
    """The logistic order with `problem` reported, or why the carrier cannot report it now."""
    if order.problem_state is not None:
        return f"it already has the problem {order.problem_state.value} (resolve it first)"
    in_list = order.handover_list_id is not None
    if problem is P.CREATION_ERROR:
        if order.status is not S.AWAITING_HANDOVER_LIST or in_list:
            return "a creation error is reported only before the logistic order joins a handover list"
        return replace(
            order,
            status=S.ORDER_CREATION_PROBLEMS,
            problem_state=problem,
            creation_error=move.creation_error or DEFAULT_CREATION_ERROR,
        )
    if problem is P.HANDOVER_ERROR:
        if order.status is not S.AWAITING_DISPATCH or at.list_status is not HandoverStatus.CREATED:
            return "a handover error is reported only for a member of a handover list still being edited"
        return replace(
            order, status=S.ADDING_TO_HANDOVER_PROBLEMS, problem_state=problem, handover_list_id=None
        )
    if problem is P.CUT_OFF_OVERDUE:
        if order.status not in PROBLEM_HOLDS_IN[problem]:
            return "only a logistic order waiting to be handed over can miss its shipping date"
        if at.now <= order.cut_off_date:
            return (
                f"its shipping date {order.cut_off_date.isoformat()} has not passed yet "
                f"(the tenant's clock shows {at.now.isoformat()})"
            )
        return replace(order, problem_state=problem)
    if order.status not in PROBLEM_HOLDS_IN[problem]:
        return "a delivery problem is reported only while the carrier has the parcel"
    return replace(order, problem_state=problem)


def _apply(order: LogisticOrder, move: CarrierMove, at: Situation) -> LogisticOrder | str:
    """The logistic order after the carrier's move, or why the move is not possible."""
    event = move.event
    if event is CarrierEvent.ACCEPTED:
        if order.status in (S.AWAITING_HANDOVER_LIST, S.AWAITING_DISPATCH) and order.handover_list_id:
            return (
                f"it is in handover list {order.handover_list_id}: the carrier takes it with the list "
                "(handover-list/transfer)"
            )
        if order.status is not S.AWAITING_HANDOVER_LIST:
            return "the carrier accepts only a logistic order awaiting handover"
        return _moved(order, S.ORDER_RECEIVED_FROM_SELLER)
    if event is CarrierEvent.IN_TRANSIT:
        if order.status not in IN_TRANSIT[:-1]:
            return "only a parcel the carrier has and that has not reached the pickup point moves on"
        ahead = IN_TRANSIT[IN_TRANSIT.index(order.status) + 1 :]
        target = move.status or ahead[0]
        if target not in ahead:
            return f"a parcel only moves forward: from here to {', '.join(s.value for s in ahead)}"
        return _moved(order, target)
    if event is CarrierEvent.DELIVERED:
        if order.status not in IN_TRANSIT:
            return "only a parcel on its way can be delivered"
        return _moved(order, S.PROVIDER_POSTING_DELIVERED)
    if event is CarrierEvent.PROBLEM:
        assert move.problem_state is not None  # the request is checked before
        return _report(order, move.problem_state, move, at)
    if order.problem_state is None:
        return "it has no problem to resolve"
    if order.problem_state in (P.CREATION_ERROR, P.HANDOVER_ERROR):
        return replace(order, status=S.AWAITING_HANDOVER_LIST, problem_state=None, creation_error=None)
    return replace(order, problem_state=None)


def _possible(order: LogisticOrder, at: Situation) -> tuple[list[str], list[str]]:
    """The events possible now, and the problems the carrier could report."""
    problems = [
        p.value
        for p in ProblemState
        if not isinstance(_apply(order, CarrierMove(CarrierEvent.PROBLEM, problem_state=p), at), str)
    ]
    events = [
        e.value
        for e in CarrierEvent
        if (problems if e is CarrierEvent.PROBLEM else not isinstance(_apply(order, CarrierMove(e), at), str))
    ]
    return events, problems


def carrier_move(order: LogisticOrder, move: CarrierMove, at: Situation) -> LogisticOrder:
    """Apply the carrier's event to a logistic order, following the marketplace's state machine."""
    moved = _apply(order, move, at)
    if not isinstance(moved, str):
        return moved
    events, problems = _possible(order, at)
    asked = move.event.value + (f" {move.problem_state.value}" if move.problem_state else "")
    raise Conflict(
        NOT_ALLOWED,
        f"logistic order {order.id} is {order.status.value}"
        + (f" with the problem {order.problem_state.value}" if order.problem_state else "")
        + f"; {asked!r} is not possible: {moved}"
        + (f" (allowed: {', '.join(events)})" if events else " (no carrier event is possible)"),
        {
            "field": "event",
            "logistic_order_id": order.id,
            "current": order.status.value,
            "problem_state": order.problem_state.value if order.problem_state else None,
            "allowed": events,
            "allowed_problem_states": problems,
        },
    )


def shift_cut_off(order: LogisticOrder, to: datetime, at: Situation) -> LogisticOrder:
    """Move the shipping date (the seller's pass-today, or the marketplace): at most twice, as the seed
    says of `cut_off_date`, counting every move. The order leaves its handover list, whose members must
    share one shipping day."""
    details = {
        "logistic_order_id": order.id,
        "current": order.status.value,
        "cut_off_date": order.cut_off_date.isoformat(),
        "cut_off_shifts": order.cut_off_shifts,
        "max_cut_off_shifts": MAX_CUT_OFF_SHIFTS,
    }
    if order.status not in NOT_HANDED_OVER:
        raise Conflict(
            "ErrorCode.WrongLogisticOrderStatus",
            f"logistic order {order.id} is {order.status.value}: its shipping date no longer moves"
            if order.status in RELEASES_QUANTITY
            else f"logistic order {order.id} is already with the carrier (status {order.status.value})",
            details,
        )
    if at.list_status is not None and at.list_status is not HandoverStatus.CREATED:
        raise Conflict(
            "ErrorCode.WrongHandoverListStatusError",
            f"handover list {order.handover_list_id} is {at.list_status.value}: "
            "its orders can no longer move",
            details,
        )
    if order.cut_off_shifts >= MAX_CUT_OFF_SHIFTS:
        raise Conflict(
            "ErrorCode.CutOffDateShiftLimit",
            f"the shipping date of logistic order {order.id} was already moved {order.cut_off_shifts} times",
            details,
        )
    problem = order.problem_state
    if problem is P.CUT_OFF_OVERDUE and to > at.now:
        problem = None
    return replace(
        order,
        cut_off_date=to,
        cut_off_shifts=order.cut_off_shifts + 1,
        handover_list_id=None,
        # Leaving its list puts it back to waiting for one; any other state stays as it was.
        status=S.AWAITING_HANDOVER_LIST if order.status is S.AWAITING_DISPATCH else order.status,
        problem_state=problem,
    )


def _live(logistics: Iterable[LogisticOrder]) -> list[LogisticOrder]:
    return [lo for lo in logistics if lo.deleted_at is None and lo.status not in RELEASES_QUANTITY]


def buyer_cancel(
    order: TradeOrder, logistics: Sequence[LogisticOrder], reason: BuyerCancelReason, now: datetime
) -> tuple[TradeOrder, list[LogisticOrder]]:
    """The buyer cancels before anything reached the carrier; the order's logistic orders are cancelled
    with it (and leave their handover lists). Returns the order and its changed logistic orders."""
    live = _live(logistics)
    handed_over = [lo.id for lo in live if lo.status not in NOT_HANDED_OVER]
    open_order = order.status in (TradeOrderStatus.CREATED, TradeOrderStatus.IN_PROGRESS)
    if not open_order or handed_over:
        why = (
            f"it is {order.status.value}"
            if not open_order
            else f"logistic orders {', '.join(map(str, handed_over))} are already with the carrier"
        )
        raise Conflict(
            NOT_ALLOWED,
            f"trade order {order.id} cannot be cancelled by the buyer: {why} (no buyer move is possible)",
            {
                "trade_order_id": order.id,
                "current": order.status.value,
                "delivery_status": order.delivery_status.value,
                "handed_over_logistic_order_ids": handed_over,
                "allowed": [],
            },
        )
    cancelled = replace(
        order,
        status=TradeOrderStatus.CANCELLED,
        payment_status=PaymentStatus.CANCELLED,
        delivery_status=DeliveryStatus.CANCELLED,
        display_status=DisplayStatus.CLOSE,
        finish_reason=reason.value,
        updated_at=now,
    )
    return cancelled, [replace(_moved(lo, S.CANCELLED), handover_list_id=None) for lo in live]


def trade_progress(order: TradeOrder, logistics: Iterable[LogisticOrder]) -> TradeOrder:
    """The trade order as its logistic orders show it: shipped in part or whole, and finished once the
    carrier delivered every unit (`finish_reason` ConfirmedByLogistic)."""
    if order.status not in (TradeOrderStatus.CREATED, TradeOrderStatus.IN_PROGRESS):
        return order
    logistics = list(logistics)
    delivered = allocated_quantities(lo for lo in logistics if lo.status is S.PROVIDER_POSTING_DELIVERED)
    if all(delivered.get((ln.sku_id, ln.product_source_id), 0) >= ln.quantity for ln in order.lines):
        return replace(
            order,
            status=TradeOrderStatus.FINISHED,
            delivery_status=DeliveryStatus.DELIVERED,
            display_status=DisplayStatus.FINISH,
            finish_reason=DELIVERED_FINISH_REASON,
        )
    delivery, display = shipment_progress(order, logistics)
    return replace(order, delivery_status=delivery, display_status=display)


def accept_handover_list(
    handover: HandoverList, members: Sequence[LogisticOrder], rejected_ids: Sequence[int]
) -> tuple[HandoverStatus, list[LogisticOrder]]:
    """The carrier's warehouse accepts a transferred list: every parcel (Accepted), or all but the ones
    it refuses (PartiallyAccepted; those become Rejected). Returns the new status and the refused."""
    if handover.status is not HandoverStatus.TRANSFERRED:
        raise Conflict(
            NOT_ALLOWED,
            f"handover list {handover.id} is {handover.status.value}: the carrier accepts only a transferred "
            "list" + ("" if handover.status is HandoverStatus.CREATED else " (it was accepted already)"),
            {"handover_list_id": handover.id, "current": handover.status.value, "allowed": []},
        )
    by_id = {lo.id: lo for lo in members}
    rejected = []
    for i, lo_id in enumerate(dict.fromkeys(rejected_ids)):
        lo = by_id.get(lo_id)
        if lo is None:
            raise Conflict(
                "OrderNotInHandoverList",
                f"logistic order {lo_id} is not in handover list {handover.id}",
                {"field": f"rejected_logistic_order_ids[{i}]", "logistic_order_id": lo_id},
            )
        if lo.status is not S.ORDER_RECEIVED_FROM_SELLER:
            raise Conflict(
                NOT_ALLOWED,
                f"logistic order {lo_id} is {lo.status.value}: the carrier refuses only a parcel it has not "
                f"moved on yet ({S.ORDER_RECEIVED_FROM_SELLER.value})",
                {
                    "field": f"rejected_logistic_order_ids[{i}]",
                    "logistic_order_id": lo_id,
                    "current": lo.status.value,
                },
            )
        rejected.append(_moved(lo, S.REJECTED))
    if rejected and len(rejected) == len(members):
        raise Conflict(
            NOT_ALLOWED,
            f"handover list {handover.id}: a list whose every parcel is refused is not accepted; "
            "leave at least one parcel out of rejected_logistic_order_ids",
            {
                "field": "rejected_logistic_order_ids",
                "handover_list_id": handover.id,
                "current": handover.status.value,
                "allowed": [HandoverStatus.ACCEPTED.value, HandoverStatus.PARTIALLY_ACCEPTED.value],
            },
        )
    return (HandoverStatus.PARTIALLY_ACCEPTED if rejected else HandoverStatus.ACCEPTED), rejected
