"""Calculated shipping (cut-off) dates, as the AliExpress help article describes them.

The calculated date is payment time plus the assembly time; past 13:00 (post-office local time,
Moscow here) or on a day off it moves to the next working day. One spare working day follows it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

MOSCOW = timezone(timedelta(hours=3), "MSK")
SHIP_BY = time(13, 0)
DEFAULT_ASSEMBLY = timedelta(hours=24)
MAX_CUT_OFF_SHIFTS = 2


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at_ship_by(day: date) -> datetime:
    return datetime.combine(day, SHIP_BY, MOSCOW).astimezone(UTC)


def calculated_cut_off(paid_at: datetime, assembly: timedelta = DEFAULT_ASSEMBLY) -> datetime:
    ready = (paid_at + assembly).astimezone(MOSCOW)
    day = ready.date()
    if ready.time() > SHIP_BY or day.weekday() >= 5:
        day = _next_working_day(day)
    return _at_ship_by(day)


def spare_day(cut_off: datetime) -> datetime:
    """The one spare working day after a calculated date."""
    return _at_ship_by(_next_working_day(cut_off.astimezone(MOSCOW).date()))


def shipping_deadline(cut_off: datetime) -> datetime:
    """After the spare day the order is cancelled: the deadline is the end of the spare day."""
    spare = spare_day(cut_off).astimezone(MOSCOW).date()
    return datetime.combine(spare, time(23, 59, 59), MOSCOW).astimezone(UTC)


def same_shipping_day(a: datetime, b: datetime) -> bool:
    return a.astimezone(MOSCOW).date() == b.astimezone(MOSCOW).date()
