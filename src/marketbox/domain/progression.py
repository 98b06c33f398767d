"""Automatic progression: what the world does on its own once the seller has done its part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Progression(StrEnum):
    MANUAL = "manual"  # only explicit world events move things
    IMMEDIATE = "immediate"  # the world does the rest at once
    TIMED = "timed"  # ...after realistic durations on the tenant's clock


@dataclass(frozen=True)
class Timetable:
    """When each step falls due, counted from the moment its chain began (the parcel's creation, the
    shipment's, the supply's), so that one long clock jump plays a whole chain out."""

    first_scan: timedelta  # AliExpress: a handed-over parcel's first scan after its creation...
    scan: timedelta  # ...and each next scan
    courier: timedelta  # Lamoda: the courier takes an FBS shipment after its creation
    in_delivery: timedelta  # ...its items leave for the buyer
    delivered: timedelta  # ...and reach the buyer (bought out)
    supply_step: timedelta  # an FBO supply: validated, sent, on acceptance, accepted - one per step


TIMED = Timetable(
    first_scan=timedelta(hours=12),
    scan=timedelta(hours=8),
    courier=timedelta(hours=3),
    in_delivery=timedelta(days=1),
    delivered=timedelta(days=2),
    supply_step=timedelta(days=1),
)
IMMEDIATE = Timetable(*(timedelta(0),) * 6)


def timetable(mode: Progression) -> Timetable | None:
    return {Progression.TIMED: TIMED, Progression.IMMEDIATE: IMMEDIATE}.get(mode)
