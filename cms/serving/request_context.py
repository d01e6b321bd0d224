"""The request id: accepted from the client's ``X-Request-ID`` when it is plain, otherwise
made fresh, and available to every log line of the request (see logging_config)."""

import itertools
import os
import re
from contextvars import ContextVar

REQUEST_ID_HEADER = b"x-request-id"
# A client's id is kept if it is short and plain; anything else gets a fresh one.
ACCEPTABLE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIds:
    """Fresh ids of 32 hex digits: a random prefix per process and a counter. Unique across
    processes (forked workers draw their own prefix) at a tenth of uuid4's cost."""

    def __init__(self) -> None:
        self._draw_prefix()
        os.register_at_fork(after_in_child=self._draw_prefix)

    def _draw_prefix(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count()

    def new(self) -> str:
        return f"{self._prefix}{next(self._counter):016x}"


_request_ids = RequestIds()


def chosen_request_id(incoming: bytes | None) -> str:
    """The client's id when it sent an acceptable one, else a fresh one."""
    if incoming is not None and ACCEPTABLE_REQUEST_ID.fullmatch(incoming):
        return incoming.decode("latin-1")
    return _request_ids.new()
