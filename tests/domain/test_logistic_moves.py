"""The carrier's state machine for logistic orders, move by move, and the moves a refusal names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from marketbox.domain.errors import Conflict
from marketbox.domain.handover_lists import HandoverStatus
from marketbox.domain.logistic_moves import (
    CarrierEvent,
    CarrierMove,
    Situation,
    carrier_move,
    problem_after,
    shift_cut_off,
)
from marketbox.domain.logistic_orders import LogisticOrder, LogisticStatus, ProblemState

S = LogisticStatus
CUT_OFF = datetime(2026, 11, 24, 10, tzinfo=UTC)
BEFORE, AFTER = CUT_OFF - timedelta(hours=1), CUT_OFF + timedelta(hours=1)
ON_THE_WAY = [
    S.ORDER_RECEIVED_FROM_SELLER,
    S.CROSS_DOC_SORTING,
    S.CROSS_DOC_SENT,
    S.PROVIDER_POSTING_RECEIVE,
    S.PROVIDER_POSTING_LEFT_THE_RECEPTION,
    S.PROVIDER_POSTING_ARRIVED_AT_SORTING,
    S.PROVIDER_POSTING_SORTING,
    S.PROVIDER_POSTING_LEFT_THE_SORTING,
]


def parcel(
    status: LogisticStatus, list_id: int | None = None, problem_state: ProblemState | None = None
) -> LogisticOrder:
    return LogisticOrder(
        id=20_000_001,
        seller_id=1,
        trade_order_id=5,
        status=status,
        tracking_code="80000200000017",
        handover_list_id=list_id,
        cut_off_date=CUT_OFF,
        cut_off_shifts=0,
        gmt_create=CUT_OFF - timedelta(days=1),
        total_length=1,
        total_width=1,
        total_height=1,
        total_weight=1.0,
        lines=(),
        problem_state=problem_state,
    )


def every_move() -> list[CarrierMove]:
    return [
        CarrierMove(CarrierEvent.ACCEPTED),
        CarrierMove(CarrierEvent.IN_TRANSIT),
        CarrierMove(CarrierEvent.DELIVERED),
        *(CarrierMove(CarrierEvent.PROBLEM, problem_state=p) for p in ProblemState),
        CarrierMove(CarrierEvent.PROBLEM_RESOLVED),
    ]


def succeeding(order: LogisticOrder, at: Situation) -> dict[str, LogisticOrder]:
    """Each move that works, by name (`problem:<state>` for problems), with its result."""
    done = {}
    for move in every_move():
        try:
            after = carrier_move(order, move, at)
        except Conflict:
            continue
        name = move.event.value + (f":{move.problem_state.value}" if move.problem_state else "")
        done[name] = after
    return done


def expected_for(status: LogisticStatus) -> set[str]:
    if status is S.AWAITING_HANDOVER_LIST:
        return {"accepted", "problem:CREATION_ERROR"}
    if status in ON_THE_WAY:
        return {"in_transit", "delivered", "problem:DELIVERY_PROBLEM"}
    if status is S.PROVIDER_POSTING_ARRIVED:
        return {"delivered", "problem:DELIVERY_PROBLEM"}
    return set()


@pytest.mark.parametrize("status", list(LogisticStatus))
def test_what_the_carrier_can_do_with_a_parcel_in_no_list(status: LogisticStatus) -> None:
    order = parcel(status)
    done = succeeding(order, Situation(BEFORE))
    assert set(done) == expected_for(status)
    for name, after in done.items():
        assert after.id == order.id and after.lines == order.lines
        if name == "accepted":
            assert after.status is S.ORDER_RECEIVED_FROM_SELLER
        elif name == "in_transit":
            assert ON_THE_WAY.index(status) + 1 == [*ON_THE_WAY, S.PROVIDER_POSTING_ARRIVED].index(
                after.status
            )
        elif name == "delivered":
            assert after.status is S.PROVIDER_POSTING_DELIVERED


@pytest.mark.parametrize("status", list(LogisticStatus))
def test_a_refusal_names_exactly_the_moves_that_work(status: LogisticStatus) -> None:
    for order, at in [
        (parcel(status), Situation(AFTER)),
        (parcel(status, 700_001), Situation(AFTER, HandoverStatus.CREATED)),
        (
            parcel(status, problem_state=problem_after(ProblemState.DELIVERY_PROBLEM, status)),
            Situation(BEFORE),
        ),
    ]:
        done = succeeding(order, at)
        for move in every_move():
            try:
                carrier_move(order, move, at)
            except Conflict as refusal:
                assert refusal.details["current"] == status.value
                assert set(refusal.details["allowed"]) == {name.split(":")[0] for name in done}
                assert set(refusal.details["allowed_problem_states"]) == {
                    name.split(":")[1] for name in done if name.startswith("problem:")
                }


def test_a_list_member_can_only_fail_to_join_and_is_out_of_the_list_then() -> None:
    member = parcel(S.AWAITING_DISPATCH, 700_001)
    assert set(succeeding(member, Situation(BEFORE, HandoverStatus.CREATED))) == {"problem:HANDOVER_ERROR"}
    assert set(succeeding(member, Situation(AFTER, HandoverStatus.CREATED))) == {
        "problem:HANDOVER_ERROR",
        "problem:CUT_OFF_OVERDUE",
    }
    failed = succeeding(member, Situation(BEFORE, HandoverStatus.CREATED))["problem:HANDOVER_ERROR"]
    assert (failed.status, failed.handover_list_id) == (S.ADDING_TO_HANDOVER_PROBLEMS, None)
    resolved = carrier_move(failed, CarrierMove(CarrierEvent.PROBLEM_RESOLVED), Situation(BEFORE))
    assert (resolved.status, resolved.problem_state) == (S.AWAITING_HANDOVER_LIST, None)


def test_one_problem_at_a_time_and_each_ends_where_it_belongs() -> None:
    late = carrier_move(
        parcel(S.AWAITING_HANDOVER_LIST),
        CarrierMove(CarrierEvent.PROBLEM, problem_state=ProblemState.CUT_OFF_OVERDUE),
        Situation(AFTER),
    )
    assert late.problem_state is ProblemState.CUT_OFF_OVERDUE and late.status is S.AWAITING_HANDOVER_LIST
    assert set(succeeding(late, Situation(AFTER))) == {"accepted", "problem_resolved"}
    assert carrier_move(late, CarrierMove(CarrierEvent.ACCEPTED), Situation(AFTER)).problem_state is None
    for problem in ProblemState:
        holds = {s for s in LogisticStatus if problem_after(problem, s) is problem}
        assert holds and S.CANCELLED not in holds and S.PROVIDER_POSTING_DELIVERED not in holds


def test_the_shipping_date_moves_twice_and_a_new_date_ahead_ends_the_overdue_problem() -> None:
    late = parcel(S.AWAITING_DISPATCH, 700_001, problem_state=ProblemState.CUT_OFF_OVERDUE)
    at = Situation(AFTER, HandoverStatus.CREATED)
    once = shift_cut_off(late, AFTER + timedelta(days=1), at)
    assert (once.cut_off_shifts, once.handover_list_id, once.status) == (1, None, S.AWAITING_HANDOVER_LIST)
    assert once.problem_state is None
    still_late = shift_cut_off(late, AFTER - timedelta(minutes=1), at)
    assert still_late.problem_state is ProblemState.CUT_OFF_OVERDUE
    twice = shift_cut_off(once, AFTER + timedelta(days=2), Situation(AFTER))
    with pytest.raises(Conflict) as refused:
        shift_cut_off(twice, AFTER + timedelta(days=3), Situation(AFTER))
    assert refused.value.code == "ErrorCode.CutOffDateShiftLimit"
    with pytest.raises(Conflict) as refused:
        shift_cut_off(
            parcel(S.AWAITING_DISPATCH, 700_001), AFTER, Situation(AFTER, HandoverStatus.TRANSFERRED)
        )
    assert refused.value.code == "ErrorCode.WrongHandoverListStatusError"
