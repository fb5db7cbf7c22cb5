"""Where a delivery or an alert may go: the URL's shape and the addresses behind its host.

A receiver's URL is the business's to choose, so it must never reach inside AWS: only HTTPS,
no user-info, and no address that is not public — loopback, private ranges (10/8, 172.16/12,
192.168/16, fc00::/7), link-local (169.254/16 with the instance metadata service, fe80::/10),
shared, reserved, multicast, unspecified, and IPv6 forms that embed such an IPv4 address
(::ffff:0:0/96, 64:ff9b::/96, 6to4). The host is checked when the URL is given, and its
addresses again before every request, and the connection then goes to an address that was
checked (`outbound` pins it), so DNS cannot answer differently in between (rebinding).

`allow_loopback` is the local stack's setting (`NOTIFY_ALLOW_LOOPBACK`, honoured only when
APP_ENV is local or test): http:// and loopback addresses for its receiver, nothing more.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Names that never resolve publicly (RFC 2606, 6761, 6762, 8375, 7686, and the private-use
# `.internal`): refused before any lookup. So are names of one label, which a resolver
# completes with its search domains — to hosts inside.
SPECIAL_USE_SUFFIXES = (
    ".example",
    ".example.com",
    ".example.net",
    ".example.org",
    ".invalid",
    ".test",
    ".localhost",
    ".local",
    ".internal",
    ".home.arpa",
    ".onion",
)

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTargetError(ValueError):
    """A URL or address a delivery may not go to; the message says why, for a person."""


@dataclass(frozen=True)
class Target:
    scheme: str  # https (http only to loopback in the local stack)
    host: str  # lower-case, IDNA-encoded
    port: int
    url: str  # as given, once checked


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: str, allow_loopback: bool = False) -> str | None:
    """What `address` is when a delivery may not connect to it, e.g. "a loopback address
    (127.0.0.1)"; None when it may."""
    try:
        ip: IpAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"not an IP address ({address})"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            problem = address_problem(str(embedded), allow_loopback)
            return f"{problem} inside {address}" if problem else None
    if ip.is_loopback:
        return None if allow_loopback else f"a loopback address ({address})"
    if ip.is_multicast:
        return f"a multicast address ({address})"
    if ip.is_link_local:
        return f"a link-local address ({address}, where instance metadata lives)"
    if not ip.is_global:
        return f"a private or reserved address ({address})"
    return None


def parse_target(url: str, allow_loopback: bool = False) -> Target:
    """The checked parts of a receiver URL; UnsafeTargetError naming the problem."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeTargetError(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise UnsafeTargetError("the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTargetError(f"the URL cannot be read: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise UnsafeTargetError("the URL must start with https://")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTargetError("the URL may not carry a user name or password")
    if parts.fragment:
        raise UnsafeTargetError("the URL may not have a #fragment")
    if not parts.hostname:
        raise UnsafeTargetError("the URL has no host")
    try:
        host = parts.hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise UnsafeTargetError("the URL's host is not a valid name") from None
    port = port or (443 if scheme == "https" else 80)
    if scheme == "http" and not (allow_loopback and _is_loopback_name(host)):
        raise UnsafeTargetError("the URL must start with https://")
    if _is_ip(host):
        problem = address_problem(host, allow_loopback)
        if problem:
            raise UnsafeTargetError(f"the URL's host is {problem}")
    elif not (allow_loopback and host == "localhost"):
        _check_name(host)
    return Target(scheme=scheme, host=host, port=port, url=url)


def _check_name(host: str) -> None:
    name = host.rstrip(".")
    if "." not in name:
        raise UnsafeTargetError(f"{host} is not a public host name (a single label)")
    dotted = "." + name
    if any(dotted.endswith(suffix) for suffix in SPECIAL_USE_SUFFIXES):
        raise UnsafeTargetError(f"{host} is a special-use name that never resolves publicly")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback_name(host: str) -> bool:
    if host == "localhost":
        return True
    return _is_ip(host) and ipaddress.ip_address(host).is_loopback


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# How host names become addresses (tests replace it: no test resolves a real name).
Resolver = Callable[[str, int], list[str]]
resolver: Resolver = _system_resolver


def checked_addresses(target: Target, allow_loopback: bool = False) -> list[str]:
    """The host's addresses, every one of them allowed; UnsafeTargetError otherwise.

    One refused address refuses the host: a name that resolves both inside and outside is
    someone trying their luck, and which address a client picks is not ours to guess.
    """
    if _is_ip(target.host):
        return [target.host]
    try:
        addresses = resolver(target.host, target.port)
    except (OSError, UnicodeError):
        raise UnsafeTargetError(f"{target.host} does not resolve") from None
    if not addresses:
        raise UnsafeTargetError(f"{target.host} does not resolve")
    for address in addresses:
        problem = address_problem(address, allow_loopback)
        if problem:
            raise UnsafeTargetError(f"{target.host} resolves to {problem}")
    return addresses
