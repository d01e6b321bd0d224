"""The suite's own network guard (tests/loopback_guard.py) holds."""

import socket

import pytest


def test_a_host_name_is_not_looked_up():
    with pytest.raises(socket.gaierror, match="nothing outside loopback"):
        socket.getaddrinfo("example.org", 443)


def test_a_private_address_is_not_reached():
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("10.0.0.1", 80)


def test_loopback_still_works():
    assert socket.getaddrinfo("127.0.0.1", 80)
    assert socket.getaddrinfo("localhost", 80)
