"""Shipping (cut-off) dates: payment + 24 h, past 13:00 Moscow or on a weekend the next working day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from marketbox.domain.shipping_dates import (
    calculated_cut_off,
    same_shipping_day,
    shipping_deadline,
    spare_day,
)

MSK = timezone(timedelta(hours=3))


def msk(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A Moscow time in the week of Monday 2026-11-23 (23 Mon, 27 Fri, 28 Sat, 29 Sun, 30 Mon)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MSK)


def at_13(day: int) -> datetime:
    return (
        datetime(2026, 11, day, 10, 0, tzinfo=UTC)
        if day <= 30
        else datetime(2026, 12, day - 30, 10, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("paid", "cut_off_day"),
    [
        (msk(23, 9), 24),  # Monday morning: ready Tuesday morning, ships Tuesday
        (msk(23, 12, 59), 24),
        (msk(23, 13, 0), 24),  # ready at 13:00 sharp: still that day
        (msk(23, 13, 0, 1), 25),  # past 13:00: the next working day
        (msk(23, 18), 25),
        (msk(26, 10), 27),  # Thursday morning: Friday
        (msk(26, 14), 30),  # ready Friday afternoon: Monday
        (msk(27, 10), 30),  # ready Saturday: Monday
        (msk(27, 15), 30),
        (msk(28, 10), 30),  # ready Sunday: Monday
        (msk(29, 10), 30),  # ready Monday morning: Monday
        (msk(29, 14), 31),  # ready Monday afternoon: Tuesday (2026-12-01)
    ],
)
def test_calculated_cut_off(paid: datetime, cut_off_day: int) -> None:
    assert calculated_cut_off(paid) == at_13(cut_off_day)


def test_cut_off_is_13_00_moscow_in_utc() -> None:
    cut_off = calculated_cut_off(msk(23, 9))
    assert cut_off.utcoffset() == timedelta(0)
    assert cut_off.astimezone(MSK).time().isoformat() == "13:00:00"


def test_thirteen_o_clock_is_moscow_time_not_utc() -> None:
    # 10:30 UTC is 13:30 in Moscow: past the hour, although it is before 13:00 UTC.
    assert calculated_cut_off(datetime(2026, 11, 23, 10, 30, tzinfo=UTC)) == at_13(25)
    assert calculated_cut_off(datetime(2026, 11, 23, 9, 30, tzinfo=UTC)) == at_13(24)
    # Friday 22:30 UTC is already Saturday in Moscow: ready Sunday, ships Monday.
    assert calculated_cut_off(datetime(2026, 11, 26, 22, 30, tzinfo=UTC)) == at_13(30)


def test_assembly_time_is_a_parameter() -> None:
    assert calculated_cut_off(msk(23, 9), timedelta(hours=48)) == at_13(25)
    assert calculated_cut_off(msk(23, 9), timedelta(0)) == at_13(23)
    assert calculated_cut_off(msk(25, 9), timedelta(hours=72)) == at_13(30)  # ready Saturday


@pytest.mark.parametrize(
    ("cut_off_day", "spare"),
    [(23, 24), (24, 25), (26, 27), (27, 30), (30, 31)],
)
def test_spare_day_is_the_next_working_day_at_13(cut_off_day: int, spare: int) -> None:
    assert spare_day(at_13(cut_off_day)) == at_13(spare)


def test_spare_day_goes_by_the_moscow_date() -> None:
    # Friday 22:00 UTC is Saturday 01:00 in Moscow: the next working day after Saturday is Monday.
    assert spare_day(datetime(2026, 11, 27, 22, 0, tzinfo=UTC)) == at_13(30)
    assert spare_day(datetime(2026, 11, 27, 20, 0, tzinfo=UTC)) == at_13(30)  # Friday 23:00 MSK
    assert spare_day(datetime(2026, 11, 26, 20, 0, tzinfo=UTC)) == at_13(27)  # Thursday 23:00 MSK


@pytest.mark.parametrize(
    ("cut_off_day", "deadline_utc"),
    [
        (23, datetime(2026, 11, 24, 20, 59, 59, tzinfo=UTC)),
        (27, datetime(2026, 11, 30, 20, 59, 59, tzinfo=UTC)),  # Friday: the spare day is Monday
        (26, datetime(2026, 11, 27, 20, 59, 59, tzinfo=UTC)),
    ],
)
def test_shipping_deadline_is_the_end_of_the_spare_day(cut_off_day: int, deadline_utc: datetime) -> None:
    deadline = shipping_deadline(at_13(cut_off_day))
    assert deadline == deadline_utc
    assert deadline.astimezone(MSK).time().isoformat() == "23:59:59"
    assert deadline.astimezone(MSK).date() == spare_day(at_13(cut_off_day)).astimezone(MSK).date()


def test_same_shipping_day_compares_moscow_dates() -> None:
    # Same UTC date, but Monday 23:30 and Tuesday 00:30 in Moscow.
    assert not same_shipping_day(
        datetime(2026, 11, 23, 20, 30, tzinfo=UTC), datetime(2026, 11, 23, 21, 30, tzinfo=UTC)
    )
    # Different UTC dates, both Tuesday in Moscow.
    assert same_shipping_day(
        datetime(2026, 11, 23, 22, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    )
    assert same_shipping_day(at_13(24), msk(24, 0, 0))
    assert same_shipping_day(msk(24, 23, 59, 59), at_13(24))
    assert not same_shipping_day(at_13(24), at_13(25))
    assert same_shipping_day(at_13(24), at_13(24).astimezone(timezone(timedelta(hours=-10))))
