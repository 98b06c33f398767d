"""What both marketplaces' generators share: the time window, pools of buyers, helpers for times."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from marketbox.domain.trade_orders import ReceiverAddress
from marketbox.services import fake_data
from marketbox.store.bulk import encode_json

NAMES_POOL = 500
ADDRESSES_POOL = 2000


@dataclass(frozen=True)
class Window:
    """Orders are created between `end - days` and `end`; `end` is the tenants' "now" at seeding.

    Everything after `end` has not happened yet: each generator works out an order's whole life and
    keeps the steps up to `end`."""

    end: datetime
    days: int

    @property
    def begin(self) -> datetime:
        return self.end - timedelta(days=self.days)

    def created_at(self, i: int, count: int, jitter: float) -> datetime:
        """The i-th of `count` orders: spread evenly, rising with i (ids follow creation order)."""
        span = self.days * 86_400.0
        return self.begin + timedelta(seconds=(i + jitter) * span / count)


def hours(low: float, high: float, rng: random.Random) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


@dataclass(frozen=True)
class Buyers:
    """Pools of realistic buyers, drawn from once per seller: making each one afresh would dominate."""

    names: tuple[str, ...]
    phones: tuple[str, ...]
    addresses: tuple[ReceiverAddress, ...]
    addresses_json: tuple[str, ...]

    @staticmethod
    def make(rng: random.Random) -> Buyers:
        addresses = tuple(fake_data.address(rng) for _ in range(ADDRESSES_POOL))
        return Buyers(
            names=tuple(fake_data.person_name(rng) for _ in range(NAMES_POOL)),
            phones=tuple(fake_data.phone(rng) for _ in range(NAMES_POOL)),
            addresses=addresses,
            # The shape store/trade_orders.order_row() stores.
            addresses_json=tuple(encode_json(asdict(a)) for a in addresses),
        )
