"""Per-seller request rate limits (token buckets), as marketplaces throttle API accounts."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable

MAX_TRACKED = 10_000  # buckets kept; idle (full) ones are dropped beyond this


class RateLimiter:
    """`rate` requests per second per key, in bursts of up to `burst`; `acquire` says how long to wait."""

    def __init__(
        self, rate: float, burst: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = float(burst if burst is not None else max(1, math.ceil(rate)))
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, at)

    def acquire(self, key: Hashable) -> float:
        """Take one request's token: 0.0 when allowed, else the seconds until one is free."""
        now = self._clock()
        tokens, at = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            if len(self._buckets) > MAX_TRACKED:
                self._forget_idle(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full = [
            k for k, (tokens, at) in self._buckets.items() if tokens + (now - at) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]
