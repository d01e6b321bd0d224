"""Global IDs: the opaque, type-qualified identifiers clients see for every object.

One encoding for the API and for everything else that names objects outside the database
(webhook payloads), so a client can use an ID from either with ``node(id:)``.
"""

import base64
import binascii

# Primary keys are 32-bit integer columns: a larger number cannot name a row, and passing
# it to the database is an error (an overflow) rather than "no such row".
MAX_PK = 2**31 - 1


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """``(type name, primary key)`` of a global ID, or None if it is not one of ours."""
    try:
        type_name, _, pk = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        if not (type_name and pk.isascii() and pk.isdigit()) or int(pk) > MAX_PK:
            return None
        return type_name, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
