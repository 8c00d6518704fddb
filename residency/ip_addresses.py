"""Whether an IP address is one only the enclave's own networks reach (inside) or any other (a destination)."""

from __future__ import annotations

import ipaddress

# Addresses that only a network of the enclave can reach (RFC 1918, shared VPC space, IPv6 unique local).
# Not Python's `is_private`, which also counts documentation and benchmark ranges that are not the VPC's.
_INSIDE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_private_ip(host: str) -> bool:
    address = _ip(host)
    if address is None:
        return False
    inside = any(address.version == n.version and address in n for n in _INSIDE_NETWORKS)
    return inside or address.is_loopback or address.is_link_local or address.is_unspecified


def is_public_ip(text: str) -> bool:
    return _ip(text) is not None and not is_private_ip(text)
