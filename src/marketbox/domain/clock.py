"""Per-tenant virtual clock: every timestamp a seller sees comes from its clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TenantClock:
    """Real UTC time shifted by the tenant's offset; the sandbox moves it forward, or stops it.

    A stopped clock keeps `frozen_at`: the real instant its time stands at (its time is that plus
    the offset), never later than real time. Everything scheduled in real time for the tenant
    (webhook retries) compares with `real_now()`, so that nothing falls due while the tenant's time
    stands still; moving a stopped clock changes its offset, as it does a running one's."""

    offset: timedelta = timedelta(0)
    frozen_at: datetime | None = None

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def real_now(self) -> datetime:
        """The real instant the tenant's time corresponds to: now, or where its clock stopped."""
        return self.frozen_at if self.frozen_at is not None else utc_now()

    def now(self) -> datetime:
        return self.real_now() + self.offset

    def advanced(self, seconds: float) -> TenantClock:
        step = timedelta(seconds=seconds)
        if self.frozen_at is None:
            return TenantClock(self.offset + step)
        # A stopped clock moves by its offset too, so that `frozen_at` never passes real time: what
        # is due by the tenant's time (due_at <= frozen_at) is then due by real time as well. (A
        # `frozen_at` ahead of real time, which clocks advanced while stopped used to keep, is folded
        # into the offset here.)
        stood = min(self.frozen_at, utc_now())
        return TenantClock(self.offset + step + (self.frozen_at - stood), stood)

    def stopped(self) -> TenantClock:
        return self if self.frozen_at is not None else TenantClock(self.offset, utc_now())

    def resumed(self) -> TenantClock:
        """Running again from the time it stood at (the stop does not count)."""
        if self.frozen_at is None:
            return self
        return TenantClock(self.frozen_at + self.offset - utc_now())
