"""Helpers for the webhook tests: a real receiver on a loopback port, registration through
the API, and the delivery loop run until nothing is pending."""

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from editorial_support import Editor

from cms.models import DeliveryStatus, WebhookDelivery
from cms.services.webhook_delivery import deliver_due

CREATE_WEBHOOK = """mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    webhook { id url events } secret errors { field code message } } }"""
ADD_COMMENT = (
    """mutation ($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }"""
)
APPROVE = """mutation ($id: ID!) {
  moderateComment(input: {id: $id, status: APPROVED}) { errors { field } } }"""
SECRET = "receiver-secret"
# The receivers listen on loopback, which webhooks may only reach when allowed.
LOOPBACK_ALLOWED = {"webhook_allowed_networks": ["127.0.0.1/32"]}


class Receiver:
    """A real HTTP server on a free local port that answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "at": time.monotonic()}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


async def register(editor: Editor, url: str, events: list[str]) -> dict:
    payload = await editor.call(
        CREATE_WEBHOOK, "createWebhook", input={"url": url, "events": events, "secret": SECRET}
    )
    assert payload["errors"] == [], payload
    return payload


async def deliver_until_settled(settings, seconds: float = 5.0) -> None:
    """Run the delivery loop until nothing is PENDING (or time is up)."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            await deliver_due(settings, http)
            if not await WebhookDelivery.filter(status=DeliveryStatus.PENDING).exists():
                return
            await asyncio.sleep(0.02)
