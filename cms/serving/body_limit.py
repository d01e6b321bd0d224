"""Request body size limit, enforced while the body streams in (not only by header). The
edge (cms/serving/edge.py) applies it to every HTTP request."""

from starlette.types import Message, Receive, Send

from cms.errors import ErrorCode
from cms.serving.graphql_errors import send_coded_error


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Requests whose body is larger than ``max_bytes`` are answered with 413."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def declared_too_large(self, content_length: bytes | None) -> bool:
        return (
            content_length is not None
            and content_length.isdigit()
            and int(content_length) > self.max_bytes
        )

    def limit(self, receive: Receive) -> Receive:
        """``receive``, raising :class:`BodyTooLarge` once the body passes the limit."""
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        return limited_receive

    @staticmethod
    async def reject(send: Send) -> None:
        await send_coded_error(send, "Request body too large.", ErrorCode.PAYLOAD_TOO_LARGE)
