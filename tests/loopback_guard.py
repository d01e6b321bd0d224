"""The suite's network guard: inside the test process, no host name is looked up and no
address outside loopback is reached.

This machine flags traffic that leaves the loopback range, and even a DNS query for a
made-up name goes to a resolver elsewhere. Code under test that resolves names (webhook
registration and delivery) takes a resolver the tests supply; anything that reaches the
system resolver with another name or a non-loopback address fails here, before any packet.
"""

import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_local(host: str | bytes | None) -> bool:
    """A name or address that needs no resolver and no network: loopback, or a wildcard to
    bind to."""
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else host
    if name in LOOPBACK_NAMES or name == "":
        return True
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def loopback_only(getaddrinfo: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(host: str | bytes | None, *args: Any, **kwargs: Any) -> Any:
        if not is_local(host):
            raise socket.gaierror(
                socket.EAI_NONAME,
                f"the test suite resolves nothing outside loopback (asked for {host!r})",
            )
        return getaddrinfo(host, *args, **kwargs)

    return guarded


@contextmanager
def guarded_resolver() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", loopback_only(socket.getaddrinfo))
        yield
