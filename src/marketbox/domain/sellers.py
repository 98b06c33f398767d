"""Sellers are tenants: each owns its credentials, catalogue, orders and clock."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from marketbox.domain.clock import TenantClock


@dataclass(frozen=True)
class Seller:
    id: int
    name: str
    created_at: datetime
    clock: TenantClock
    revision: int = 0  # grows with every write of the tenant's data


@dataclass(frozen=True)
class SellerCredentials:
    aliexpress_token: str
    lamoda_client_id: str
    lamoda_client_secret: str

    @staticmethod
    def generate() -> SellerCredentials:
        return SellerCredentials(
            aliexpress_token="mbx_ae_" + secrets.token_urlsafe(32),
            lamoda_client_id="mbx-" + secrets.token_hex(8),
            lamoda_client_secret=secrets.token_urlsafe(32),
        )


@dataclass(frozen=True)
class Product:
    """One SKU of the seller's catalogue; order lines take a snapshot of it."""

    seller_id: int
    sku_id: int
    item_id: int
    name: str
    item_price: int  # minor units (kopecks)
    currency: str
    img_url: str
    properties: tuple[str, ...]
    marking_required: bool
    jewelry: bool
