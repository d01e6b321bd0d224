"""Security headers on every response, and a Content-Security-Policy on HTML pages (GraphiQL
and the reader site load only the app's own scripts and styles). Added by the edge
(cms/serving/edge.py) to whatever the app answers."""

CSP_TEMPLATE = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src {images}; font-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SAME_ORIGIN_IMAGES = "'self' data:"


def content_security_policy(media_origin: str | None = None) -> str:
    """The policy of HTML pages: images from the app, data: placeholders, and the media
    origin when renditions are served from another one (a CDN)."""
    images = SAME_ORIGIN_IMAGES + (f" {media_origin}" if media_origin else "")
    return CSP_TEMPLATE.format(images=images)


CONTENT_SECURITY_POLICY = content_security_policy()
EVERY_RESPONSE = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
Headers = tuple[tuple[bytes, bytes], ...]


def html_security_headers(policy: str) -> Headers:
    return ((b"content-security-policy", policy.encode()), (b"x-frame-options", b"DENY"))


HTML_ONLY = html_security_headers(CONTENT_SECURITY_POLICY)
SECURITY_HEADER_NAMES = frozenset(name for name, _ in EVERY_RESPONSE + HTML_ONLY)


def add_security_headers(
    headers: list[tuple[bytes, bytes]],
    content_type: bytes,
    present: set[bytes],
    html_only: Headers = HTML_ONLY,
) -> None:
    """Append the security headers the response does not set itself (``present`` holds the
    names of those it does)."""
    extra = EVERY_RESPONSE + html_only if content_type.startswith(b"text/html") else EVERY_RESPONSE
    if present:
        headers.extend((name, value) for name, value in extra if name not in present)
    else:
        headers.extend(extra)
