"""Faults a seller can order for its own webhook receiver: what a real marketplace's deliveries
sometimes do, on demand, so that receivers are tested against it."""

from __future__ import annotations

from dataclasses import dataclass

from marketbox.domain.errors import InvalidInput

MAX_DELAY_MS = 60_000
MAX_STALE_SECONDS = 7 * 86400


@dataclass(frozen=True)
class DeliveryFaults:
    duplicate: float = 0.0  # chance that a delivery is POSTed a second time, at once (same webhook-id)
    reorder: bool = False  # an order's notifications stop waiting for each other; newest go first
    delay_ms: int = 0  # added before every POST
    stale_seconds: int = 0  # webhook-timestamp (and its signature) this far in the past

    @property
    def any(self) -> bool:
        return bool(self.duplicate or self.reorder or self.delay_ms or self.stale_seconds)


NO_FAULTS = DeliveryFaults()


def delivery_faults(
    duplicate: float = 0.0, reorder: bool = False, delay_ms: int = 0, stale_seconds: int = 0
) -> DeliveryFaults:
    if not 0 <= duplicate <= 1:
        raise InvalidInput("invalid_fault", "duplicate is a probability: 0..1", {"field": "duplicate"})
    if not 0 <= delay_ms <= MAX_DELAY_MS:
        raise InvalidInput("invalid_fault", f"delay_ms must be 0..{MAX_DELAY_MS}", {"field": "delay_ms"})
    if not 0 <= stale_seconds <= MAX_STALE_SECONDS:
        raise InvalidInput(
            "invalid_fault",
            f"stale_timestamp_seconds must be 0..{MAX_STALE_SECONDS}",
            {"field": "stale_timestamp_seconds"},
        )
    return DeliveryFaults(duplicate, reorder, delay_ms, stale_seconds)
