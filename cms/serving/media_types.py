"""Content negotiation for GraphQL over HTTP: which JSON media type a response is sent as."""

from functools import lru_cache

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


# Clients send the same few Accept headers over and over; a hit in this cache is cheaper
# than splitting the header on every request.
@lru_cache(maxsize=256)
def negotiate_media_type(accept: str) -> str:
    """GraphQL-over-HTTP: prefer application/graphql-response+json unless only JSON is
    accepted (legacy clients)."""
    accepted = [part.split(";")[0].strip() for part in accept.split(",") if part.strip()]
    if not accepted or GRAPHQL_RESPONSE_JSON in accepted or "*/*" in accepted:
        return GRAPHQL_RESPONSE_JSON
    if APPLICATION_JSON in accepted or "application/*" in accepted:
        return APPLICATION_JSON
    return GRAPHQL_RESPONSE_JSON
