"""One middleware for what every request needs around it: a request id (``X-Request-ID`` in
and out, in every log line), one JSON access-log line, and the Prometheus figures."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.serving.metrics import Metrics

REQUEST_ID_HEADER = b"x-request-id"
# A client's id is kept if it is short and plain; anything else gets a fresh one.
ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Metric labels name routes, never raw paths (which would grow without bound).
KNOWN_ROUTES = ("/graphql", "/healthz", "/readyz", "/metrics")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
access_logger = logging.getLogger("cms.access")


def route_label(path: str) -> str:
    if path in KNOWN_ROUTES:
        return path
    if path.startswith("/static/"):
        return "/static"
    return "other"


class RequestContext:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        rid = incoming if ACCEPTABLE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, rid.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_label(scope["path"])
            self.metrics.observe(scope["method"], route, status, seconds)
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                    },
                )
            request_id.reset(token)
