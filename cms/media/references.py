"""``asset:ID`` references in Markdown bodies (images: ``![alt](asset:ID "caption")``,
files: ``[text](asset:ID)``): an ID is an Asset's global ID or its plain number."""

import re

from cms.global_ids import from_global_id, to_global_id

ASSET_SCHEME = "asset:"
REFERENCE = re.compile(r"asset:([A-Za-z0-9_\-]+=*)")


def asset_pk(reference: str) -> int | None:
    """The asset's primary key an ``asset:`` link names (without the scheme), or None."""
    if reference.isdigit():
        return int(reference) if len(reference) < 10 else None
    decoded = from_global_id(reference)
    return decoded[1] if decoded is not None and decoded[0] == "Asset" else None


def referenced_assets(markdown: str) -> set[int]:
    """Every asset a body references (quick: a plain search, not a Markdown parse)."""
    if ASSET_SCHEME not in markdown:
        return set()
    return {pk for match in REFERENCE.finditer(markdown) if (pk := asset_pk(match[1]))}


def reference_needles(pk: int) -> tuple[str, str]:
    """The two spellings of a reference to ``pk``, to search stored text for."""
    return f"{ASSET_SCHEME}{pk}", f"{ASSET_SCHEME}{to_global_id('Asset', pk)}"
