"""Issued bearer tokens."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.access_tokens import AccessToken
from marketbox.store.tables import access_tokens


async def insert_token(conn: AsyncConnection, token: AccessToken) -> None:
    await conn.execute(
        insert(access_tokens).values(
            token=token.token,
            seller_id=token.seller_id,
            api=token.api,
            scope=token.scope,
            issued_at=token.issued_at,
            expires_at=token.expires_at,
        )
    )


async def get_token(conn: AsyncConnection, token: str, api: str) -> AccessToken | None:
    t = access_tokens.c
    row = (await conn.execute(select(access_tokens).where(t.token == token, t.api == api))).mappings().first()
    if row is None:
        return None
    return AccessToken(
        row["token"], row["seller_id"], row["api"], row["scope"], row["issued_at"], row["expires_at"]
    )
