"""Fault rules: a tenant's marketplace calls that answer slowly, or with 429/500/503, on purpose.

A rule matches a method (or `*`) and a path glob (`fnmatch`: `*` also crosses `/`, `?`, `[...]`).
Its action is `latency` (wait `latency_ms`, then serve the call) or `error` (answer `status` in the
API's own error body, `before` the call runs, so nothing changes, or `after` it, so the change is
kept while the client sees an error). `count` spends a rule after that many faults; `probability`
makes each matching call fire with that chance.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from marketbox.domain.errors import InvalidInput

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ANY_METHOD = "*"
ERROR_STATUSES = (429, 500, 503)
RETRY_AFTER_STATUSES = (429, 503)
MAX_LATENCY_MS = 120_000
MAX_RETRY_AFTER = 86_400
MAX_COUNT = 1_000_000
MAX_PATH = 500
MAX_RULES = 100  # per tenant: every call of the tenant scans its rules
# Paths no fault ever reaches: a pattern starting with one of them is a mistake, refused at once.
UNFAULTED_PREFIXES = ("/sandbox", "/docs", "/openapi.json", "/healthz", "/documents")


class Action(StrEnum):
    LATENCY = "latency"
    ERROR = "error"


class When(StrEnum):
    BEFORE = "before"  # answer the error instead of running the call: nothing changes
    AFTER = "after"  # run the call (its change commits), then answer the error instead of its response


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput("InvalidFault", f"{field}: {message}", {"field": field})


@dataclass(frozen=True)
class FaultSpec:
    """What a rule does, as the tenant asked for it (validated by `parse`)."""

    method: str
    path: str
    action: Action
    latency_ms: int | None = None
    status: int | None = None
    retry_after: int | None = None
    when: When | None = None
    count: int | None = None
    probability: float = 1.0

    @staticmethod
    def parse(
        *,
        path: str,
        method: str = ANY_METHOD,
        action: str | None = None,
        latency_ms: int | None = None,
        status: int | None = None,
        retry_after: int | None = None,
        when: str | None = None,
        count: int | None = None,
        probability: float = 1.0,
    ) -> FaultSpec:
        """A valid spec, or InvalidInput naming the first wrong field. `action` may be left out when
        `latency_ms` or `status` (but not both) says which it is."""
        verb = method.strip().upper()
        if verb not in (ANY_METHOD, *METHODS):
            raise _invalid(
                "method", f"must be one of {', '.join((ANY_METHOD, *METHODS))}, got {method[:20]!r}"
            )
        _check_path(path)
        kind = _action(action, latency_ms, status)
        if kind is Action.LATENCY:
            for name, value in (("status", status), ("retry_after", retry_after), ("when", when)):
                if value is not None:
                    raise _invalid(name, "is only for action error")
            if latency_ms is None or not 1 <= latency_ms <= MAX_LATENCY_MS:
                raise _invalid("latency_ms", f"must be an integer from 1 to {MAX_LATENCY_MS} (milliseconds)")
            phase = None
        else:
            if latency_ms is not None:
                raise _invalid("latency_ms", "is only for action latency")
            if status not in ERROR_STATUSES:
                raise _invalid("status", f"must be one of {', '.join(map(str, ERROR_STATUSES))}")
            if retry_after is not None:
                if status not in RETRY_AFTER_STATUSES:
                    raise _invalid("retry_after", "is only sent with status 429 or 503")
                if not 0 <= retry_after <= MAX_RETRY_AFTER:
                    raise _invalid("retry_after", f"must be from 0 to {MAX_RETRY_AFTER} seconds")
            phase = _when(when)
        if count is not None and not 1 <= count <= MAX_COUNT:
            raise _invalid("count", f"must be from 1 to {MAX_COUNT} (leave it out: no limit)")
        if not (math.isfinite(probability) and 0 <= probability <= 1):
            raise _invalid("probability", "must be from 0 to 1")
        return FaultSpec(
            method=verb,
            path=path,
            action=kind,
            latency_ms=latency_ms,
            status=status,
            retry_after=retry_after,
            when=phase,
            count=count,
            probability=float(probability),
        )

    def matches(self, method: str, path: str) -> bool:
        return (self.method == ANY_METHOD or self.method == method) and _glob(self.path).match(
            path
        ) is not None


def _check_path(path: str) -> None:
    if not path.startswith(("/", "*")):
        raise _invalid("path", f"must be a path pattern starting with / or *, got {path[:40]!r}")
    if len(path) > MAX_PATH:
        raise _invalid("path", f"must be at most {MAX_PATH} characters")
    if any(ch.isspace() or not ch.isprintable() for ch in path):
        raise _invalid("path", "must not contain spaces or control characters")
    if path.startswith(UNFAULTED_PREFIXES):
        raise _invalid(
            "path",
            "faults apply to the marketplace APIs only (/seller-api/v1/..., /api/v1/..., /api/v2/..., "
            "/auth/token), never to the sandbox, the docs or documents",
        )


def _action(action: str | None, latency_ms: int | None, status: int | None) -> Action:
    if action is None:
        if (latency_ms is None) == (status is None):
            raise _invalid("action", "give action latency (with latency_ms) or error (with status)")
        return Action.LATENCY if latency_ms is not None else Action.ERROR
    try:
        return Action(action)
    except ValueError:
        raise _invalid("action", f"must be latency or error, got {action[:20]!r}") from None


def _when(when: str | None) -> When:
    if when is None:
        return When.BEFORE
    try:
        return When(when)
    except ValueError:
        raise _invalid("when", f"must be before or after, got {when[:20]!r}") from None


@lru_cache(maxsize=4096)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


@dataclass(frozen=True)
class FaultRule:
    id: int
    seller_id: int
    spec: FaultSpec
    remaining: int | None  # faults left before the rule is spent; None: no limit
    hits: int  # faults it caused so far
    created_at: datetime

    @property
    def spent(self) -> bool:
        return self.remaining is not None and self.remaining <= 0


@dataclass(frozen=True)
class Fault:
    """What happens to one call: a delay, then maybe an error instead of (or after) serving it."""

    latency_ms: int = 0
    error: FaultRule | None = None


def candidates(
    rules: Iterable[FaultRule], method: str, path: str, chance: Callable[[], float]
) -> list[FaultRule]:
    """Rules that fire for this call, in the order they were added: each matching, unspent rule
    fires with its probability (`chance()` is uniform in [0, 1)). Whether a counted rule still has a
    fault left is for the caller to settle, atomically, with the store."""
    return [
        rule
        for rule in rules
        if not rule.spent and rule.spec.matches(method, path) and chance() < rule.spec.probability
    ]
