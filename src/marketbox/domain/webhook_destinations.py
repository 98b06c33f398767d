"""Where webhook deliveries may go: one policy for every path that writes or redirects a delivery URL
(subscribe, re-send, snapshot import) and for the worker, which checks it again before each POST.

With allowed networks configured (`MARKETBOX_WEBHOOK_ALLOWED_NETWORKS`), a URL's host must be a
literal IP address inside one of them. Host names are refused rather than resolved: what a name
resolves to can change between the check and the connection, a literal address cannot."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from marketbox.domain.errors import InvalidInput

SETTING = "MARKETBOX_WEBHOOK_ALLOWED_NETWORKS"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Refusal:
    code: str  # invalid_url | url_not_allowed
    reason: str


@functools.cache
def _networks(allowed: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in allowed)


def refusal(url: str, allowed_networks: Sequence[str] = ()) -> Refusal | None:
    """Why a delivery may not go to `url` (None: it may): http(s), a host, no credentials; with
    `allowed_networks`, a literal IP inside one of them."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Refusal("invalid_url", "url must be an absolute http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        return Refusal("invalid_url", "url must not carry credentials (user:password@)")
    try:
        _ = parts.port
    except ValueError:
        return Refusal("invalid_url", "url has an invalid port")
    if not allowed_networks:
        return None
    networks = _networks(tuple(allowed_networks))
    shown = ", ".join(map(str, networks))
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return Refusal(
            "url_not_allowed",
            f"destination {parts.hostname} is not an IP address: with {SETTING} set ({shown}) this server "
            "delivers only to IP addresses in those networks; use one in the url",
        )
    if not any(address in network for network in networks):
        return Refusal("url_not_allowed", f"destination {address} is outside {SETTING} ({shown})")
    return None


def check_url(url: str, allowed_networks: Sequence[str] = (), field: str = "url") -> str:
    """`url` stripped, or InvalidInput naming `field` when the policy refuses it."""
    refused = refusal(url, allowed_networks)
    if refused is not None:
        raise InvalidInput(refused.code, refused.reason, {"field": field})
    return url.strip()
