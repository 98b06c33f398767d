"""Fault rules: what a valid rule is (clear errors naming the field), what it matches, when it fires."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from marketbox.domain.errors import InvalidInput
from marketbox.domain.faults import Action, FaultRule, FaultSpec, When, candidates

NOW = datetime(2026, 11, 23, tzinfo=UTC)
_ids = itertools.count(1)


def rule(remaining: int | None = None, **fields: Any) -> FaultRule:
    return FaultRule(next(_ids), 1, FaultSpec.parse(**fields), remaining, 0, NOW)


def test_an_error_rule_defaults_to_before_any_method_always() -> None:
    spec = FaultSpec.parse(path="/api/v2/orders*", status=503, retry_after=5)
    assert spec == FaultSpec(
        method="*",
        path="/api/v2/orders*",
        action=Action.ERROR,
        status=503,
        retry_after=5,
        when=When.BEFORE,
        probability=1.0,
    )


def test_the_action_is_inferred_or_must_agree() -> None:
    assert FaultSpec.parse(path="/x", latency_ms=10).action is Action.LATENCY
    assert FaultSpec.parse(path="/x", action="error", status=429).action is Action.ERROR
    assert FaultSpec.parse(path="/x", method="post", status=500, when="after").method == "POST"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"path": "/x"}, "action", "latency_ms"),
        ({"path": "/x", "latency_ms": 5, "status": 500}, "action", "error"),
        ({"path": "/x", "action": "explode", "status": 500}, "action", "latency or error"),
        ({"path": "/x", "method": "FETCH", "status": 500}, "method", "GET"),
        ({"path": "api/v2/orders", "status": 500}, "path", "starting with /"),
        ({"path": "/sandbox/tenants/*", "status": 500}, "path", "marketplace APIs only"),
        ({"path": "/healthz", "status": 500}, "path", "marketplace APIs only"),
        ({"path": "/api/v2/ orders", "status": 500}, "path", "spaces"),
        ({"path": "/" + "a" * 500, "status": 500}, "path", "at most"),
        ({"path": "/x", "status": 404}, "status", "429, 500, 503"),
        ({"path": "/x", "action": "error"}, "status", "429, 500, 503"),
        ({"path": "/x", "status": 500, "retry_after": 1}, "retry_after", "429 or 503"),
        ({"path": "/x", "status": 503, "retry_after": -1}, "retry_after", "from 0"),
        ({"path": "/x", "status": 429, "retry_after": 86_401}, "retry_after", "86400"),
        ({"path": "/x", "status": 503, "when": "during"}, "when", "before or after"),
        ({"path": "/x", "action": "latency"}, "latency_ms", "from 1"),
        ({"path": "/x", "latency_ms": 0}, "latency_ms", "from 1"),
        ({"path": "/x", "latency_ms": 120_001}, "latency_ms", "120000"),
        ({"path": "/x", "latency_ms": 5, "when": "after"}, "when", "only for action error"),
        ({"path": "/x", "latency_ms": 5, "retry_after": 1}, "retry_after", "only for action error"),
        ({"path": "/x", "action": "error", "latency_ms": 5, "status": 500}, "latency_ms", "only for"),
        ({"path": "/x", "status": 500, "count": 0}, "count", "from 1"),
        ({"path": "/x", "status": 500, "probability": 1.5}, "probability", "from 0 to 1"),
        ({"path": "/x", "status": 500, "probability": -0.1}, "probability", "from 0 to 1"),
        ({"path": "/x", "status": 500, "probability": float("nan")}, "probability", "from 0 to 1"),
    ],
)
def test_invalid_rules_name_the_field(fields: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        FaultSpec.parse(**fields)
    assert raised.value.details == {"field": field}
    assert raised.value.message.startswith(f"{field}: ")
    assert words in raised.value.message


def test_paths_match_as_globs_and_methods_exactly() -> None:
    spec = FaultSpec.parse(path="/seller-api/v1/logistic-order/*", method="POST", status=500)
    assert spec.matches("POST", "/seller-api/v1/logistic-order/create")
    assert not spec.matches("GET", "/seller-api/v1/logistic-order/create")
    assert not spec.matches("POST", "/seller-api/v1/handover-list/create")
    assert not spec.matches("POST", "/seller-api/v1/logistic-order")

    orders = FaultSpec.parse(path="/api/v2/orders*", status=503)
    assert orders.matches("GET", "/api/v2/orders")
    assert orders.matches("POST", "/api/v2/orders/84000007/packs")  # `*` crosses slashes
    assert not orders.matches("GET", "/api/v1/orders")
    assert not orders.matches("GET", "/x/api/v2/orders")  # anchored at the start

    one = FaultSpec.parse(path="/api/v?/orders", status=429)
    assert one.matches("GET", "/api/v1/orders") and one.matches("GET", "/api/v2/orders")
    assert not one.matches("GET", "/api/v1/orders/1")
    assert FaultSpec.parse(path="*", latency_ms=1).matches("DELETE", "/auth/token")


def test_candidates_keep_the_order_skip_spent_and_unmatched_rules_and_roll_each_dice() -> None:
    slow = rule(path="/api/*", latency_ms=100)
    spent = rule(remaining=0, path="/api/*", status=500, count=1)
    error = rule(remaining=2, path="/api/v2/*", status=503, count=2)
    elsewhere = rule(path="/seller-api/*", status=500)
    rules = [slow, spent, error, elsewhere]
    assert candidates(rules, "GET", "/api/v2/orders", lambda: 0.0) == [slow, error]
    assert candidates(rules, "GET", "/api/v1/orders", lambda: 0.0) == [slow]


def test_probability_is_the_chance_of_firing() -> None:
    never = rule(path="*", status=500, probability=0)
    always = rule(path="*", status=500, probability=1)
    half = rule(path="*", status=500, probability=0.5)
    for roll in (0.0, 0.4999, 0.5, 0.9999):
        dice = fixed(roll)
        assert candidates([never], "GET", "/x", dice) == []
        assert candidates([always], "GET", "/x", dice) == [always]
        assert candidates([half], "GET", "/x", dice) == ([half] if roll < 0.5 else [])


def fixed(value: float) -> Callable[[], float]:
    return lambda: value
