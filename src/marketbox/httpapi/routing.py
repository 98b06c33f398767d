"""Starlette routes for the endpoints, where a literal path segment wins over a parameter.

Starlette tries routes in order and takes the first whose path and method match, so
`GET /sandbox/tenants/import` would be served as tenant "import" by `/sandbox/tenants/{seller_id}`
and a 405 there would list that route's methods too. Here a route with parameters steps aside for a
request whose path another route spells out more exactly: that path answers only with its own
route's methods (a 405 with its `Allow` otherwise), as OpenAPI documents it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette._utils import get_route_path
from starlette.routing import Match, Route
from starlette.types import Scope

from marketbox.httpapi.endpoints import Endpoint

_PARAM = re.compile(r"^\{[^}]+\}$")


class YieldingRoute(Route):
    """A route that matches nothing where a more specific route's path matches."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint.path, endpoint.handler, methods=[endpoint.method], name=endpoint.name)
        self.yields_to: list[re.Pattern[str]] = []

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.NONE and self.yields_to:
            path = get_route_path(scope)
            if any(pattern.match(path) for pattern in self.yields_to):
                return Match.NONE, {}
        return match, child


def more_specific(path: str, than: str) -> bool:
    """`/a/import` is more specific than `/a/{id}`: the same segments, a literal wherever `than` has
    one, and a literal somewhere `than` has a parameter."""
    mine, theirs = path.split("/"), than.split("/")
    if len(mine) != len(theirs):
        return False
    narrower = False
    for own, other in zip(mine, theirs, strict=True):
        if _PARAM.match(other):
            narrower |= not _PARAM.match(own)
        elif own != other:
            return False
    return narrower


def routes_of(endpoints: Sequence[Endpoint]) -> list[Route]:
    routes = [YieldingRoute(ep) for ep in endpoints]
    for route in routes:
        narrower = {other.path: other.path_regex for other in routes if more_specific(other.path, route.path)}
        route.yields_to = list(narrower.values())
    return list(routes)
