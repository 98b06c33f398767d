"""Domain errors carry a stable code; each dialect maps them to its own status and envelope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class DomainError(Exception):
    kind: ClassVar[str] = "invalid"

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class InvalidInput(DomainError):
    """The request is well-formed JSON but breaks a rule about its values."""

    kind = "invalid"


class NotFound(DomainError):
    kind = "not_found"


class Forbidden(DomainError):
    """The object exists but belongs to another seller."""

    kind = "forbidden"


class Conflict(DomainError):
    """The object's current state does not allow the operation."""

    kind = "conflict"


class Unauthorized(DomainError):
    kind = "unauthorized"
