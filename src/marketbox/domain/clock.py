"""Per-tenant virtual clock: every timestamp a seller sees comes from its clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TenantClock:
    """Real UTC time shifted by the tenant's offset (the sandbox moves the offset forward)."""

    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return utc_now() + self.offset

    def advanced(self, seconds: float) -> TenantClock:
        return TenantClock(self.offset + timedelta(seconds=seconds))
