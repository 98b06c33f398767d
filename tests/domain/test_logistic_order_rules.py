"""Logistic order rules without a server: statuses, tracking codes, and what a new logistic order may hold."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from marketbox.domain.logistic_orders import (
    GROUP_OF,
    NOT_HANDED_OVER,
    STATUS_NAMES,
    CreationProblems,
    JewelryCodes,
    LogisticOrder,
    LogisticOrderLine,
    LogisticStatus,
    NewLine,
    NewLogisticOrder,
    StatusGroup,
    allocated_quantities,
    check_new_logistic_orders,
    shipment_progress,
    tracking_code_for,
)
from marketbox.domain.trade_orders import (
    AntifraudStatus,
    DeliveryStatus,
    DisplayStatus,
    PaymentStatus,
    ReceiverAddress,
    TradeOrder,
    TradeOrderLine,
    TradeOrderStatus,
)
from tests.checks import luhn_valid

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ORDER_ID = 5_000_000_000_000_123
SHIRT, SOCKS, RING, BROOCH, PLATE = 101, 102, 103, 104, 105


# --- statuses ----------------------------------------------------------------------------------
def test_every_status_has_a_group_and_a_name() -> None:
    assert len(LogisticStatus) == 23
    assert set(GROUP_OF) == set(LogisticStatus)
    assert set(STATUS_NAMES) == set(LogisticStatus)
    assert all(isinstance(group, StatusGroup) for group in GROUP_OF.values())
    assert set(GROUP_OF.values()) == set(StatusGroup), "every filter_status value can match something"
    assert len(set(STATUS_NAMES.values())) == len(STATUS_NAMES), "names tell statuses apart"


@pytest.mark.parametrize(
    ("status", "group", "name"),
    [
        (
            LogisticStatus.AWAITING_HANDOVER_LIST,
            StatusGroup.AWAITING_ADDING_TO_HANDOVER,
            "Awaiting handover list",
        ),
        (LogisticStatus.AWAITING_DISPATCH, StatusGroup.AWAITING_REPORT_AS_SHIP, "Awaiting dispatch"),
        (LogisticStatus.ORDER_RECEIVED_FROM_SELLER, StatusGroup.DELIVERING, "Order accepted by carrier"),
        (LogisticStatus.PROVIDER_POSTING_DELIVERED, StatusGroup.DELIVERED, "Delivered"),
        (LogisticStatus.PROVIDER_POSTING_IN_RETURN, StatusGroup.RETURNING_TO_SENDER, "Returning to sender"),
        (LogisticStatus.PROVIDER_POSTING_RETURNED, StatusGroup.RETURNED_TO_SENDER, "Returned to sender"),
        (LogisticStatus.CANCELLED, StatusGroup.CANCELLED, "Cancelled"),
        (LogisticStatus.REJECTED, StatusGroup.CANCELLED, "Rejected by carrier"),
        (LogisticStatus.ORDER_CREATION_PROBLEMS, StatusGroup.WITH_ERRORS, "Order creation problems"),
    ],
)
def test_status_groups_and_names(status: LogisticStatus, group: StatusGroup, name: str) -> None:
    assert GROUP_OF[status] is group
    assert STATUS_NAMES[status] == name


def test_statuses_before_the_carrier_are_not_handed_over() -> None:
    before = {
        StatusGroup.NEW,
        StatusGroup.WITH_ERRORS,
        StatusGroup.AWAITING_ADDING_TO_HANDOVER,
        StatusGroup.AWAITING_REPORT_AS_SHIP,
    }
    assert {s for s in LogisticStatus if GROUP_OF[s] in before} == NOT_HANDED_OVER


# --- tracking codes ----------------------------------------------------------------------------
@pytest.mark.parametrize("lo_id", [1, 88236, 1249390, 20_000_001, 999_999_999_999])
def test_tracking_code_is_8_the_padded_id_and_a_luhn_digit(lo_id: int) -> None:
    code = tracking_code_for(lo_id)
    assert len(code) == 14 and code.isdigit()
    assert code[0] == "8"
    assert int(code[1:13]) == lo_id
    assert luhn_valid(code)


def test_tracking_code_known_value() -> None:
    # 8 000000000001 -> Luhn over "8000000000001": check digit 1 (8*2 = 16 -> 7, + 1*2 = 2, 9 -> 1).
    assert tracking_code_for(1) == "80000000000011"


def test_tracking_codes_are_unique_and_valid_for_ten_thousand_ids() -> None:
    ids = [*range(20_000_001, 20_005_001), *range(1, 5_001)]
    codes = [tracking_code_for(i) for i in ids]
    assert len(set(codes)) == 10_000
    assert all(luhn_valid(c) and len(c) == 14 for c in codes)


def test_luhn_digit_catches_a_mistyped_digit() -> None:
    code = tracking_code_for(20_000_042)
    for position in range(14):
        for digit in "0123456789":
            if digit != code[position]:
                typo = code[:position] + digit + code[position + 1 :]
                assert not luhn_valid(typo), typo


# --- creation rules ----------------------------------------------------------------------------
def trade_line(
    sku: int, quantity: int, *, jewelry: bool = False, marking: bool = False, source: int = 0
) -> TradeOrderLine:
    return TradeOrderLine(
        id=sku,
        sku_id=sku,
        item_id=sku * 10,
        name=f"item {sku}",
        item_price=1000,
        currency="RUB",
        quantity=quantity,
        img_url="",
        properties=(),
        marking_required=marking,
        jewelry=jewelry,
        product_source_id=source,
    )


TRADE_ORDER = TradeOrder(
    id=ORDER_ID,
    seller_id=1_100_000_001,
    status=TradeOrderStatus.CREATED,
    payment_status=PaymentStatus.PAID,
    delivery_status=DeliveryStatus.INIT,
    antifraud_status=AntifraudStatus.PASSED,
    display_status=DisplayStatus.WAIT_SEND_GOODS,
    buyer_name="Сократ Гурьевич Абрамов",
    buyer_phone="+79990000000",
    buyer_country_code="643",
    receiver_address=ReceiverAddress("109456", "RU", "Россия", "", "г. Печенга", "", ""),
    created_at=NOW,
    paid_at=NOW,
    updated_at=NOW,
    cut_off_date=NOW,
    shipping_deadline=NOW,
    lines=(
        trade_line(SHIRT, 3),
        trade_line(SOCKS, 2, source=7),
        trade_line(RING, 2, jewelry=True, marking=True),
        trade_line(BROOCH, 1, jewelry=True, marking=False),
        trade_line(PLATE, 1, jewelry=False, marking=True),
    ),
)


def request(*items: NewLine) -> NewLogisticOrder:
    return NewLogisticOrder(ORDER_ID, 20, 10, 5, 1.5, items)


def existing(
    *lines: tuple[int, int],
    status: LogisticStatus = LogisticStatus.AWAITING_HANDOVER_LIST,
    deleted: bool = False,
    source: int = 0,
) -> LogisticOrder:
    return LogisticOrder(
        id=20_000_001,
        seller_id=1_100_000_001,
        trade_order_id=ORDER_ID,
        status=status,
        tracking_code=tracking_code_for(20_000_001),
        handover_list_id=None,
        cut_off_date=NOW,
        cut_off_shifts=0,
        gmt_create=NOW,
        total_length=1,
        total_width=1,
        total_height=1,
        total_weight=1.0,
        lines=tuple(
            LogisticOrderLine(sku, qty, source, sku * 10, "x", 1000, "RUB", "", (), False, False)
            for sku, qty in lines
        ),
        deleted_at=NOW if deleted else None,
    )


def problems_of(*requests: NewLogisticOrder, before: tuple[LogisticOrder, ...] = ()) -> list[tuple[int, str]]:
    problems = CreationProblems()
    check_new_logistic_orders(TRADE_ORDER, list(requests), list(before), problems)
    assert problems.common == []
    for error in problems.items:
        assert error.trade_order_id == ORDER_ID
        assert error.message
    return [(e.sku_id, e.code) for e in problems.items]


def codes(*per_unit: tuple[str, ...]) -> tuple[JewelryCodes, ...]:
    return tuple(JewelryCodes(i, unit) for i, unit in enumerate(per_unit))


def test_the_whole_order_in_one_logistic_order_is_fine() -> None:
    assert (
        problems_of(
            request(
                NewLine(SHIRT, 3),
                NewLine(SOCKS, 2, product_source_id=7),
                NewLine(RING, 2, jewelry_codes=codes(("A1",), ("B2", "C3"))),
                NewLine(BROOCH, 1),
                NewLine(PLATE, 1),
            )
        )
        == []
    )
    assert not CreationProblems()


def test_quantity_beyond_the_order_is_refused_with_the_numbers() -> None:
    problems = CreationProblems()
    check_new_logistic_orders(TRADE_ORDER, [request(NewLine(SHIRT, 4))], [], problems)
    (error,) = problems.items
    assert (error.sku_id, error.code) == (SHIRT, "QuantityExceeded")
    assert "запрошено 4" in error.message and "доступно 3" in error.message


def test_split_shipments_share_the_ordered_quantity() -> None:
    assert problems_of(request(NewLine(SHIRT, 1)), request(NewLine(SHIRT, 2))) == []
    assert problems_of(request(NewLine(SHIRT, 2)), request(NewLine(SHIRT, 2))) == [
        (SHIRT, "QuantityExceeded")
    ]
    assert problems_of(request(NewLine(SHIRT, 1)), before=(existing((SHIRT, 2)),)) == []
    assert problems_of(request(NewLine(SHIRT, 2)), before=(existing((SHIRT, 2)),)) == [
        (SHIRT, "QuantityExceeded")
    ]
    held = (existing((SHIRT, 1)), existing((SHIRT, 1)), existing((SHIRT, 1)))
    assert problems_of(request(NewLine(SHIRT, 1)), before=held) == [(SHIRT, "QuantityExceeded")]


def test_available_units_in_the_message_never_go_negative() -> None:
    problems = CreationProblems()
    over_allocated = existing((SHIRT, 5))
    check_new_logistic_orders(TRADE_ORDER, [request(NewLine(SHIRT, 1))], [over_allocated], problems)
    assert "доступно 0" in problems.items[0].message


@pytest.mark.parametrize(
    ("status", "deleted"),
    [
        (LogisticStatus.CANCELLED, False),
        (LogisticStatus.REJECTED, False),
        (LogisticStatus.AWAITING_HANDOVER_LIST, True),
        (LogisticStatus.AWAITING_DISPATCH, True),
    ],
)
def test_cancelled_rejected_and_deleted_orders_release_their_units(
    status: LogisticStatus, deleted: bool
) -> None:
    released = existing((SHIRT, 3), status=status, deleted=deleted)
    assert problems_of(request(NewLine(SHIRT, 3)), before=(released,)) == []
    assert allocated_quantities([released]) == {}


@pytest.mark.parametrize(
    "status",
    [
        LogisticStatus.AWAITING_DISPATCH,
        LogisticStatus.ORDER_RECEIVED_FROM_SELLER,
        LogisticStatus.PROVIDER_POSTING_DELIVERED,
        LogisticStatus.PROVIDER_POSTING_RETURNED,
    ],
)
def test_live_orders_hold_their_units_in_any_other_status(status: LogisticStatus) -> None:
    held = existing((SHIRT, 2), status=status)
    assert problems_of(request(NewLine(SHIRT, 2)), before=(held,)) == [(SHIRT, "QuantityExceeded")]


def test_allocated_quantities_sum_per_sku_and_source() -> None:
    assert allocated_quantities(
        [
            existing((SHIRT, 1), (SOCKS, 1), source=0),
            existing((SHIRT, 2)),
            existing((SOCKS, 1), source=7),
        ]
    ) == {(SHIRT, 0): 3, (SOCKS, 0): 1, (SOCKS, 7): 1}


def test_units_held_under_another_product_source_do_not_count() -> None:
    assert problems_of(request(NewLine(SOCKS, 2, product_source_id=7)), before=(existing((SOCKS, 2)),)) == []


def test_unknown_sku_or_product_source_is_not_in_the_order() -> None:
    assert problems_of(request(NewLine(999, 1))) == [(999, "SkuNotInOrder")]
    assert problems_of(request(NewLine(SOCKS, 1))) == [(SOCKS, "SkuNotInOrder")]  # ordered with source 7


def test_a_sku_twice_in_one_logistic_order_is_a_duplicate() -> None:
    assert problems_of(request(NewLine(SHIRT, 1), NewLine(SHIRT, 1))) == [(SHIRT, "DuplicateSku")]


def test_every_problem_is_reported_not_only_the_first() -> None:
    assert problems_of(
        request(NewLine(999, 1), NewLine(SHIRT, 9)),
        request(NewLine(RING, 1), NewLine(PLATE, 1, jewelry_codes=codes(("X1",)))),
    ) == [
        (999, "SkuNotInOrder"),
        (SHIRT, "QuantityExceeded"),
        (RING, "JewelryCodesRequired"),
        (PLATE, "JewelryCodesNotAllowed"),
    ]


# --- jewelry marking ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("jewelry_codes", "expected"),
    [
        (codes(("A1",), ("B2",)), None),
        (codes(("A1", "A2"), ("B2",)), None),  # more than one code for a unit
        (codes(("a" * 64,), ("B2",)), None),
        ((), "JewelryCodesRequired"),
        (codes(("A1",)), "JewelryCodesRequired"),  # one unit has no entry
        ((JewelryCodes(0, ("A1",)), JewelryCodes(2, ("B2",))), "JewelryCodesRequired"),  # index out of range
        ((JewelryCodes(0, ("A1",)), JewelryCodes(0, ("B2",))), "JewelryCodesRequired"),  # index twice
        (codes(("A1",), ()), "JewelryCodesRequired"),  # a unit without codes
        (codes(("A1",), ("B-2",)), "InvalidJewelryCode"),
        (codes(("A1",), ("B 2",)), "InvalidJewelryCode"),
        (codes(("A1",), ("",)), "InvalidJewelryCode"),
        (codes(("A1",), ("a" * 65,)), "InvalidJewelryCode"),
        (codes(("A1",), ("A1",)), "DuplicateJewelryCode"),
        (codes(("A1", "A1"), ("B2",)), "DuplicateJewelryCode"),
    ],
)
def test_marked_jewelry_needs_one_valid_code_set_per_unit(
    jewelry_codes: tuple[JewelryCodes, ...], expected: str | None
) -> None:
    found = problems_of(request(NewLine(RING, 2, jewelry_codes=jewelry_codes)))
    assert found == ([] if expected is None else [(RING, expected)])


def test_jewelry_codes_follow_the_units_of_this_logistic_order() -> None:
    assert (
        problems_of(
            request(NewLine(RING, 1, jewelry_codes=codes(("A1",)))),
            request(NewLine(RING, 1, jewelry_codes=codes(("B2",)))),
        )
        == []
    )


@pytest.mark.parametrize("sku", [SHIRT, BROOCH, PLATE])
def test_codes_for_items_that_need_none_are_refused(sku: int) -> None:
    assert problems_of(request(NewLine(sku, 1, jewelry_codes=codes(("A1",))))) == [
        (sku, "JewelryCodesNotAllowed")
    ]
    assert problems_of(request(NewLine(sku, 1))) == []


# --- shipment progress -------------------------------------------------------------------------
def test_shipment_progress_counts_units_with_the_carrier() -> None:
    small = dataclasses.replace(TRADE_ORDER, lines=(trade_line(SHIRT, 3),))
    waiting = existing((SHIRT, 3), status=LogisticStatus.AWAITING_DISPATCH)
    part = existing((SHIRT, 1), status=LogisticStatus.ORDER_RECEIVED_FROM_SELLER)
    rest = existing((SHIRT, 2), status=LogisticStatus.PROVIDER_POSTING_SORTING)

    assert shipment_progress(small, [waiting]) == (DeliveryStatus.INIT, DisplayStatus.WAIT_SEND_GOODS)
    assert shipment_progress(small, [part]) == (
        DeliveryStatus.PARTIAL_SHIPPED,
        DisplayStatus.PARTIAL_SEND_GOODS,
    )
    assert shipment_progress(small, [part, rest]) == (DeliveryStatus.SHIPPED, DisplayStatus.WAIT_ACCEPT_GOODS)
