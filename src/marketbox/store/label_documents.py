"""Printable documents handed out by URL: the token is the only key, so the URL needs no auth header."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.store.tables import label_documents


@dataclass(frozen=True)
class LabelDocument:
    token: str
    seller_id: int
    kind: str
    subject_ids: tuple[int | str, ...]
    created_at: datetime


async def insert_document(
    conn: AsyncConnection, seller_id: int, kind: str, subject_ids: Sequence[int | str], now: datetime
) -> str:
    token = secrets.token_hex(16)
    await conn.execute(
        insert(label_documents).values(
            token=token, seller_id=seller_id, kind=kind, subject_ids=list(subject_ids), created_at=now
        )
    )
    return token


async def get_document(conn: AsyncConnection, token: str) -> LabelDocument | None:
    row = (
        (await conn.execute(select(label_documents).where(label_documents.c.token == token)))
        .mappings()
        .first()
    )
    if row is None:
        return None
    return LabelDocument(
        row["token"], row["seller_id"], row["kind"], tuple(row["subject_ids"]), row["created_at"]
    )
