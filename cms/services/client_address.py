"""The client's IP address, trusting X-Forwarded-For only as far as configured."""


def client_ip(peer: str | None, forwarded_for: str | None, trusted_proxy_count: int) -> str | None:
    """The connecting address, or, behind ``trusted_proxy_count`` proxies, the address the
    outermost trusted proxy saw. Entries a client wrote into the header itself are ignored:
    each proxy appends the address it was connected from, so only the last N are trusted."""
    if trusted_proxy_count <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if not hops:
        return peer
    return hops[-min(trusted_proxy_count, len(hops))]
