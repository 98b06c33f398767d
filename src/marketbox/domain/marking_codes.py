"""DataMatrix marking codes (Честный ЗНАК) as sellers send them to Lamoda.

A code is GS1 element strings: `01` + GTIN-14 (with a valid check digit) + `21` + serial (1-20 GS1
characters), optionally followed by the crypto tail `<GS>91` + 4 characters and `<GS>92` + 44
characters, where <GS> is the ASCII group separator (0x1D). The seed's example
`010460406000600021K4FNP6WPM93DH` is the short form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from marketbox.domain.errors import InvalidInput

_GS1_CHARS = r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]"
_CODE = re.compile(
    rf"01(?P<gtin>\d{{14}})21(?P<serial>{_GS1_CHARS}{{1,20}}?)(?:\x1d91{_GS1_CHARS}{{4}}\x1d92{_GS1_CHARS}{{44}})?"
)
MAX_CODE_LENGTH = 120
# The shape of _CODE as a JSON Schema pattern (ECMA-262: no named groups, ASCII digits); the GTIN's
# check digit is beyond a pattern.
_GS1_CLASS = "[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]"
DATAMATRIX_PATTERN = (
    f"^01[0-9]{{14}}21{_GS1_CLASS}{{1,20}}(?:\\x1d91{_GS1_CLASS}{{4}}\\x1d92{_GS1_CLASS}{{44}})?$"
)


class MarkingPolicy(StrEnum):
    """A tenant's setting: may a marked item ship (FBS) without its code?"""

    # Yes, as on Lamoda: sellers may account for Честный ЗНАК codes on their own side.
    LENIENT = "lenient"
    # No: every marked item needs its `datamatrix`, for sellers who want the stricter check.
    STRICT = "strict"


def parse_policy(value: str) -> MarkingPolicy:
    try:
        return MarkingPolicy(value)
    except ValueError:
        raise InvalidInput(
            "invalid_marking",
            f"marking must be one of: {', '.join(p.value for p in MarkingPolicy)}; got {value[:40]!r}",
            {"field": "mode"},
        ) from None


def gtin_check_digit(body: str) -> str:
    """The GS1 check digit of a GTIN's other digits."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin_check_digit_ok(gtin: str) -> bool:
    return gtin_check_digit(gtin[:-1]) == gtin[-1]


def check_code(code: str, field: str) -> None:
    match = _CODE.fullmatch(code) if len(code) <= MAX_CODE_LENGTH else None
    if match is None:
        raise InvalidInput(
            "invalid_datamatrix",
            f"{field}: {code[:60]!r} is not a DataMatrix marking code "
            "(expected 01 + GTIN-14 + 21 + serial, optionally <GS>91… <GS>92…)",
            {"field": field},
        )
    if not gtin_check_digit_ok(match.group("gtin")):
        raise InvalidInput(
            "invalid_datamatrix",
            f"{field}: the GTIN {match.group('gtin')} in the marking code has a wrong check digit",
            {"field": field},
        )


def check_codes(codes: Sequence[tuple[str, str]]) -> None:
    """Validate (field, code) pairs sent in one request: well-formed, and no code twice."""
    seen: dict[str, str] = {}
    for field, code in codes:
        check_code(code, field)
        if code in seen:
            raise InvalidInput(
                "duplicate_datamatrix",
                f"{field}: marking code {code!r} is also given at {seen[code]}; each unit has its own code",
                {"field": field},
            )
        seen[code] = field


def already_used(code: str, field: str) -> InvalidInput:
    return InvalidInput(
        "duplicate_datamatrix",
        f"{field}: marking code {code!r} was already sent for another unit",
        {"field": field},
    )
