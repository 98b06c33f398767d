"""Helpers shared by the AliExpress dialect test modules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant


def dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def z(value: datetime) -> str:
    """The seed's request date format `YYYY-MM-DDThh:mm:ssZ`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def move_clock_to(t: Tenant, weekday: int, hour_utc: int) -> datetime:
    """Advance the tenant's clock to the next `weekday` (0 = Monday) at `hour_utc`:00 UTC."""
    now = dt(t.advance(0))
    target = now.replace(hour=hour_utc, minute=0, second=0, microsecond=0)
    target += timedelta(days=(weekday - target.weekday()) % 7)
    if target <= now + timedelta(seconds=5):
        target += timedelta(days=7)
    return dt(t.advance((target - now).total_seconds()))
