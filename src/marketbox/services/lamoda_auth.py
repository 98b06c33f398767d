"""Lamoda's client-credentials tokens: issued for a seller's client id and secret, checked on every call."""

from __future__ import annotations

import secrets

from marketbox.domain.access_tokens import LAMODA, LAMODA_TOKEN_LIFETIME, AccessToken
from marketbox.domain.errors import Unauthorized
from marketbox.domain.sellers import Seller, SellerCredentials
from marketbox.store import access_tokens as token_store
from marketbox.store import sellers as seller_store
from marketbox.store.database import Database

SCOPE = "b2b"


def _client(found: tuple[Seller, SellerCredentials] | None, client_secret: str) -> Seller:
    if found is None or not secrets.compare_digest(
        found[1].lamoda_client_secret.encode(), client_secret.encode()
    ):
        raise Unauthorized("invalid_client", "client_id or client_secret is wrong")
    return found[0]


async def client_seller(db: Database, client_id: str, client_secret: str) -> Seller:
    """The seller whose client credentials these are."""
    async with db.autocommit() as conn:
        return _client(await seller_store.seller_by_lamoda_client(conn, client_id), client_secret)


async def issue_token(db: Database, client_id: str, client_secret: str) -> AccessToken:
    async with db.write() as conn:
        seller = _client(await seller_store.seller_by_lamoda_client(conn, client_id), client_secret)
        token = AccessToken.issue(seller.id, LAMODA, SCOPE, seller.clock.now(), LAMODA_TOKEN_LIFETIME)
        await token_store.insert_token(conn, token)
    return token


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("unauthorized", "an Authorization: Bearer <access_token> header is required")
    return token.strip()


async def authenticate(db: Database, authorization: str | None) -> Seller:
    """The seller a bearer token belongs to, if the token is known and not expired on the seller's clock."""
    token = bearer_token(authorization)
    async with db.read() as conn:
        issued = await token_store.get_token(conn, token, LAMODA)
        seller = await seller_store.get_seller(conn, issued.seller_id) if issued else None
    if issued is None or seller is None:
        raise Unauthorized("invalid_token", "the access token is unknown or was revoked")
    if issued.expired(seller.clock.now()):
        raise Unauthorized("token_expired", "the access token has expired: get a new one")
    return seller
