"""What to seed (kept free of heavy imports: the command line reads it at start-up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Marketplace(StrEnum):
    ALIEXPRESS = "aliexpress"
    LAMODA = "lamoda"
    BOTH = "both"


@dataclass(frozen=True)
class SeedPlan:
    sellers: int
    orders: int  # per seller, both marketplaces together
    seed: int = 0
    marketplace: Marketplace = Marketplace.BOTH
    products: int = 200  # per seller and marketplace
    days: int = 90
    now: datetime | None = None  # the tenants' clocks start here; None: real time
    batch_size: int = 5000

    def split(self) -> tuple[int, int]:
        """(AliExpress, Lamoda) orders of each seller."""
        if self.marketplace is Marketplace.ALIEXPRESS:
            return self.orders, 0
        if self.marketplace is Marketplace.LAMODA:
            return 0, self.orders
        return (self.orders + 1) // 2, self.orders // 2
