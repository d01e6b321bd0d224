"""Security headers on every response, and a Content-Security-Policy on HTML pages (GraphiQL
and the reader site load only the app's own scripts and styles). Added by the edge
(cms/serving/edge.py) to whatever the app answers."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
EVERY_RESPONSE = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
HTML_ONLY = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
)
SECURITY_HEADER_NAMES = frozenset(name for name, _ in EVERY_RESPONSE + HTML_ONLY)


def add_security_headers(
    headers: list[tuple[bytes, bytes]], content_type: bytes, present: set[bytes]
) -> None:
    """Append the security headers the response does not set itself (``present`` holds the
    names of those it does)."""
    extra = EVERY_RESPONSE + HTML_ONLY if content_type.startswith(b"text/html") else EVERY_RESPONSE
    if present:
        headers.extend((name, value) for name, value in extra if name not in present)
    else:
        headers.extend(extra)
