"""The site's GraphQL documents (``queries/*.graphql``), by name and by sha256.

The app allow-lists them all when it starts (:func:`register_site_documents`), so the
browser script can send hashes alone — also in persisted-queries-only mode, where nothing
else is accepted from anonymous clients.
"""

from functools import cache
from pathlib import Path

from cms.serving.persisted_queries import PersistedQueryStore, sha256_hex

QUERIES_DIR = Path(__file__).with_name("queries")
# The documents the browser script sends (by hash) besides the server's own.
BROWSER_DOCUMENTS = ("add_comment", "comment_form_token", "comment_added")


@cache
def document(name: str) -> str:
    """The GraphQL document ``queries/{name}.graphql``."""
    return (QUERIES_DIR / f"{name}.graphql").read_text(encoding="utf-8")


def document_names() -> list[str]:
    return sorted(path.stem for path in QUERIES_DIR.glob("*.graphql"))


def persisted_query(name: str) -> dict[str, object]:
    """What the browser needs to send a document as a persisted query: its hash, and the
    text to register it with if the server does not know the hash (APQ)."""
    text = document(name)
    return {"sha256Hash": sha256_hex(text), "query": text}


async def register_site_documents(store: PersistedQueryStore) -> None:
    """Put every site document on the allow-list (idempotent)."""
    for name in document_names():
        await store.register(document(name), allow_listed=True)
