"""Fixtures of the webhook tests: a real HTTP receiver on a loopback port."""

from collections.abc import Iterator

import pytest
from webhook_support import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running
