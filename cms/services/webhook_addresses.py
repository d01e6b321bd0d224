"""Which addresses a webhook may reach: public ones only, unless an admin allows a network.

A webhook URL is an editor's instruction to make this server send requests, so without
this check an editor could reach what only the server can: loopback services, the private
network, the cloud metadata endpoint (169.254.169.254), or the CMS itself — and read the
answers back from delivery records, like a port scanner. Every address a host name stands
for is checked, at registration and again before every delivery (the name may resolve
differently by then: DNS rebinding); the delivery then connects to the address it checked.
"""

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

import httpx

from cms.config import Settings

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
# Resolves a host name (and port) to every address it stands for.
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

# IPv4 written the ways inet_aton (and so browsers and curl) accept besides dotted quads:
# 2130706433, 0x7f000001, 0177.0.0.1, 127.1 — all 127.0.0.1.
_LOOSE_IPV4 = re.compile(r"(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}", re.IGNORECASE)
# RFC 6761: these names are loopback; they are refused without asking any resolver.
_LOOPBACK_NAMES = re.compile(r"(.+\.)?localhost\.?", re.IGNORECASE)
RESOLVE_TIMEOUT_SECONDS = 5.0


class UnreachableHost(Exception):
    """A webhook host this server will not call; ``reason`` is short and safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


ADDRESS_NOT_ALLOWED = "address not allowed"
HOST_NOT_FOUND = "host not found"


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The operating system's resolver (hosts file, DNS), without blocking the loop."""
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # A link-local IPv6 address may carry a zone ("fe80::1%eth0"); the address is before it.
    return [ip_address(str(info[4][0]).partition("%")[0]) for info in infos]


def ip_literal(host: str) -> IPAddress | None:
    """The address a host written as an IP literal stands for, in any spelling; None for a
    name. Raises UnreachableHost for numbers that are no address (no name is all digits)."""
    try:
        return ip_address(host)
    except ValueError:
        pass
    if not _LOOSE_IPV4.fullmatch(host):
        return None
    try:
        return IPv4Address(socket.inet_aton(host))
    except OSError:
        raise UnreachableHost(HOST_NOT_FOUND) from None


def target_of(url: str) -> tuple[str, int]:
    """The host (ASCII, no brackets) and port a URL connects to, parsed the way the
    delivery's HTTP client parses it, so what is checked is what is called."""
    parsed = httpx.URL(url)
    return parsed.raw_host.decode("ascii"), parsed.port or (443 if parsed.scheme == "https" else 80)


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the networks an admin allowed (CMS_WEBHOOK_ALLOWED_NETWORKS)."""

    allowed_networks: Sequence[IPNetwork] = ()
    resolve: Resolver = field(default=system_resolver)

    @classmethod
    def from_settings(
        cls, settings: Settings, resolve: Resolver = system_resolver
    ) -> "AddressPolicy":
        networks = tuple(ip_network(str(net)) for net in settings.webhook_allowed_networks)
        return cls(networks, resolve)

    def allows(self, address: IPAddress) -> bool:
        return _is_public(address) or any(address in net for net in self.allowed_networks)

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``host`` stands for, all allowed; raises UnreachableHost if the
        name does not resolve or any of its addresses is not allowed."""
        host = host.rstrip(".")
        literal = ip_literal(host)
        if literal is not None:
            found = [literal]
        elif _LOOPBACK_NAMES.fullmatch(host):
            found = [IPv4Address("127.0.0.1"), IPv6Address("::1")]
        else:
            try:
                found = await self.resolve(host, port)
            except (OSError, TimeoutError, UnicodeError, ValueError):
                raise UnreachableHost(HOST_NOT_FOUND) from None
        if not found:
            raise UnreachableHost(HOST_NOT_FOUND)
        if not all(self.allows(address) for address in found):
            raise UnreachableHost(ADDRESS_NOT_ALLOWED)
        return found
