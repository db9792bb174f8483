"""Client IP resolution with trusted proxies (docs/api.md#auth-and-users)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable


def _trusted(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str:
    """The socket peer, or — when the peer is a trusted proxy — the right-most X-Forwarded-For address
    that is not itself a trusted proxy."""
    networks = [ipaddress.ip_network(entry, strict=False) for entry in trusted_proxies]
    address = peer or "unknown"
    if not networks or not _trusted(address, networks) or not forwarded_for:
        return address
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else address
