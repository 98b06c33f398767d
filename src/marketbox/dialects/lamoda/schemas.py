"""Wire schemas of Lamoda's token endpoints."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

Credential = Annotated[str, Meta(min_length=1, max_length=200)]


class TokenRequest(Struct):
    """`POST /api/v2/auth-token` body."""

    grant_type: Credential
    client_id: Credential
    client_secret: Credential


class TokenResponse(Struct):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class V1Error(Struct):
    code: int
    message: str
    description: str
    errors: list[dict[str, str]]


class V2ErrorDetail(Struct):
    field: str
    issue: str


class V2ErrorBody(Struct):
    code: str
    message: str
    details: list[V2ErrorDetail]


class V2Error(Struct):
    error: V2ErrorBody
