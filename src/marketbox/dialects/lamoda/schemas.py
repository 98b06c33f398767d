"""Wire schemas shared by Lamoda's APIs: token endpoints, error bodies, and the ids in request bodies."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Annotated, Any

from msgspec import Meta, Struct

MAX_CREDENTIAL = 200
Credential = Annotated[str, Meta(min_length=1, max_length=MAX_CREDENTIAL)]
GRANT_TYPE = "client_credentials"
# The one grant there is; the endpoint refuses others itself, with a message naming the field.
GrantType = Annotated[str, Meta(extra_json_schema={"enum": [GRANT_TYPE]})]

# Real clients send ids as JSON numbers or as strings of digits (the PHP SDK types `unitload` as a
# string; v2 integrations send `"sellerId": "1100000001"`), and Lamoda takes both. A digit string
# keeps to 18 significant digits, always inside the 64-bit range the number form allows.
DIGITS = r"^0*[1-9][0-9]{0,17}$"
_NUMBER_ID = Annotated[int, Meta(ge=1, le=2**63 - 1)] | Annotated[str, Meta(pattern=DIGITS)]
_TEXT_ID = Annotated[int, Meta(ge=0, le=2**63 - 1)] | Annotated[str, Meta(min_length=1, max_length=100)]
# A supply's id is its code, which its notifications carry as their tracking id (40 characters).
_SUPPLY_CODE = Annotated[int, Meta(ge=0, le=2**63 - 1)] | Annotated[str, Meta(min_length=1, max_length=40)]
if TYPE_CHECKING:
    # What code reading a decoded body sees: `Body.__post_init__` gives every id one type.
    LamodaId = int
    TextId = str
    SupplyCode = str
else:
    LamodaId = Annotated[
        _NUMBER_ID, Meta(description="a positive integer id: a JSON number or a string of decimal digits")
    ]
    TextId = Annotated[
        _TEXT_ID, Meta(description="the seller's own id: a string, or a JSON number (taken as its digits)")
    ]
    SupplyCode = Annotated[
        _SUPPLY_CODE,
        Meta(description="the seller's id of the supply, its code: up to 40 characters, or a JSON number"),
    ]


def _converter(hint: Any) -> tuple[Callable[[Any], Any], bool] | None:
    """How a field of this resolved type is normalized: (int or str, whether it is a list), or None."""
    while typing.get_origin(hint) is Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) is list:
        found = _converter(typing.get_args(hint)[0])
        return (found[0], True) if found is not None and not found[1] else None
    if typing.get_origin(hint) in (typing.Union, UnionType):
        options = typing.get_args(hint)
        if NoneType in options:
            rest = [o for o in options if o is not NoneType]
            return _converter(functools.reduce(lambda a, b: a | b, rest))
        if hint == _NUMBER_ID:
            return int, False
        if hint in (_TEXT_ID, _SUPPLY_CODE):
            return str, False
    return None


@functools.cache
def _id_fields(cls: type[Struct]) -> tuple[tuple[str, Callable[[Any], Any], bool], ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    found = [(name, _converter(hints[name])) for name in cls.__struct_fields__]
    return tuple((name, conv[0], conv[1]) for name, conv in found if conv is not None)


class Body(Struct):
    """A request body, or a part of one, whose `LamodaId`/`TextId` fields take either JSON form; decoded,
    each holds one type (int, str), so the code reading it never sees which form the client sent."""

    def __post_init__(self) -> None:
        for name, convert, many in _id_fields(type(self)):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, [convert(v) for v in value] if many else convert(value))


class TokenRequest(Struct):
    """`POST /api/v2/auth-token` body."""

    grant_type: GrantType
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
