"""Exact regular expressions for the dates and times the marketplace dialects accept, so the OpenAPI
document says precisely what the server takes (JSON Schema `format` alone is only an annotation).

Each pattern is valid both as a Python and as an ECMA-262 regular expression; every string it matches
is a real calendar date (month lengths, leap years) and time. The server checks a value with
`matches()` (a full match: Python's `$` would also let a trailing newline through) before reading it.

Years run 0002..9998 where a value with an offset or in Moscow time is turned into UTC: the first and
last years of the calendar have moments with no UTC equivalent.
"""

from __future__ import annotations

import re
from functools import cache

# Any year but 0000, and the years whose every moment has a UTC equivalent.
_YEAR_ANY = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_YEAR_INNER = "(?:000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
# Divisible by 4 and not by 100, or by 400 (never 0000, 0001 or 9999).
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"

_DAYS_31 = "(?:0[1-9]|[12][0-9]|3[01])"
_DAYS_30 = "(?:0[1-9]|[12][0-9]|30)"
_DAYS_28 = "(?:0[1-9]|1[0-9]|2[0-8])"
_MONTHS_31 = "(?:0[13578]|1[02])"
_MONTHS_30 = "(?:0[469]|11)"

HOUR = "(?:[01][0-9]|2[0-3])"
MINUTE = "[0-5][0-9]"


def ymd(sep: str = "-", *, inner: bool = True) -> str:
    """Year, month, day (`2026-11-23`, or `20261123` with `sep=""`): only dates that exist."""
    year = _YEAR_INNER if inner else _YEAR_ANY
    s = sep  # "-" or "": no escaping (ECMA's unicode mode refuses `\-` outside a class)
    month_day = f"(?:{_MONTHS_31}{s}{_DAYS_31}|{_MONTHS_30}{s}{_DAYS_30}|02{s}{_DAYS_28})"
    return f"(?:{year}{s}{month_day}|{_LEAP_YEAR}{s}02{s}29)"


def dmy(*, inner: bool = False) -> str:
    """Day, month, year with dots (`23.11.2026`): only dates that exist."""
    year = _YEAR_INNER if inner else _YEAR_ANY
    day_month = rf"(?:{_DAYS_31}\.{_MONTHS_31}|{_DAYS_30}\.{_MONTHS_30}|{_DAYS_28}\.02)"
    return rf"(?:{day_month}\.{year}|29\.02\.{_LEAP_YEAR})"


def anchored(body: str) -> str:
    return f"^{body}$"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def matches(pattern: str, value: str) -> re.Match[str] | None:
    """The pattern (anchored or not) matched against the whole of `value`."""
    return _compiled(pattern).fullmatch(value)


# RFC 3339 as msgspec reads it (AliExpress bodies): `T`, `t` or a space between date and time, any
# number of fraction digits, `Z`/`z` or `±HH:MM`/`±HHMM`, or no offset at all (read as UTC).
RFC3339 = anchored(f"{ymd()}[Tt ]{HOUR}:{MINUTE}:{MINUTE}(?:\\.[0-9]+)?(?:[Zz]|[+-]{HOUR}:?{MINUTE})?")

# Lamoda's ISO 8601 date-times (bodies and query strings): a date alone (midnight), or a date, `T` or
# a space, `HH:MM[:SS[.ffffff]]` and an optional offset `Z`, `±HH`, `±HH:MM` or `±HHMM`. In a query
# string an unencoded `+` arrives as a space, so ` HH:MM`/` HHMM` is also read as a positive offset.
LAMODA_DATE_TIME_BODY = (
    f"{ymd()}(?:[T ]{HOUR}:{MINUTE}(?::{MINUTE}(?:\\.[0-9]{{1,6}})?)?"
    f"(?:Z|[+-]{HOUR}(?::?{MINUTE})?| {HOUR}:?{MINUTE})?)?"
)
LAMODA_DATE_TIME = anchored(LAMODA_DATE_TIME_BODY)
# Reads a value LAMODA_DATE_TIME matched (Python only: named groups are spelled differently in ECMA).
LAMODA_DATE_TIME_PARTS = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"(?P<offset>Z|(?P<sign>[-+ ])(?P<oh>\d{2}):?(?P<om>\d{2})?)?)?"
)
ISO_DATE = anchored(ymd(inner=False))
DMY_DATE = anchored(dmy())

# Whitespace as both Python's `\s` and ECMA-262's `\s` read it (a separator both take), and as either
# reads it (what neither may hold): the two differ (\x1c-\x1f, \x85; \ufeff), so patterns spell it out.
WS_BOTH = "\\t-\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
WS_ANY = WS_BOTH + "\\x1c-\\x1f\\u0085\\ufeff"
