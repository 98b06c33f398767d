"""Bearer tokens of the OAuth-style marketplace APIs (Lamoda): issued per seller, they expire on its clock."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

LAMODA = "lamoda"
LAMODA_TOKEN_LIFETIME = timedelta(seconds=900)  # what the live API answers in expires_in


@dataclass(frozen=True)
class AccessToken:
    token: str
    seller_id: int
    api: str
    scope: str
    issued_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    @staticmethod
    def issue(seller_id: int, api: str, scope: str, now: datetime, lifetime: timedelta) -> AccessToken:
        return AccessToken(secrets.token_urlsafe(32), seller_id, api, scope, now, now + lifetime)
