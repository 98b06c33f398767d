"""Checks the tests make with their own code, independent of the implementation under test."""

from __future__ import annotations


def luhn_valid(code: str) -> bool:
    """`code`, a string of decimal digits, ends in a correct Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(code)):
        digit = int(ch)
        if i % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
