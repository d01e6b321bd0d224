"""Automatic persisted queries (Apollo's APQ protocol) and the allow-list mode.

A client sends ``extensions.persistedQuery = {"version": 1, "sha256Hash": "…"}``, with or
without the document. Without it the document is looked up (in this process's LRU, then in
the database, so every process shares registrations); with it the hash is verified and the
document registered. ``cms persisted import`` fills the allow-list.

Anonymous registrations are bounded (:class:`RegistrationLimits`): a largest document, a
rate per client IP, and a number of documents kept — past it the oldest registrations are
evicted (a client that still uses one gets PERSISTED_QUERY_NOT_FOUND and sends it again, as
the protocol expects). Allow-listed documents are never evicted.
"""

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from cms.config import Settings
from cms.errors import CmsError, ErrorCode, RateLimited
from cms.models.persisted_query import PersistedQuery
from cms.services.rate_limit import RateLimiter, create_rate_limiter

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class PersistedQueryError(CmsError):
    """A persisted-query request that cannot run (the request fails as a whole)."""

    def __init__(
        self, message: str, code: ErrorCode, details: dict[str, object] | None = None
    ) -> None:
        super().__init__(message, code)
        self.details = details or {}

    @property
    def extensions(self) -> dict[str, object]:
        return self.details


@dataclass(frozen=True)
class StoredDocument:
    document: str
    allow_listed: bool


@dataclass(frozen=True)
class Sender:
    """Who sent a document with its hash: an anonymous sender's registration is limited."""

    anonymous: bool
    client_ip: str | None = None


@dataclass(frozen=True)
class RegistrationLimits:
    """What anonymous clients may register: documents up to ``max_bytes``, at the rate
    ``rate_limiter`` allows per client IP, ``max_stored`` registrations kept at most."""

    max_bytes: int
    max_stored: int
    rate_limiter: RateLimiter | None = None


class PersistedQueryStore:
    """Documents by sha256: the database is the truth, an LRU in front saves the lookups."""

    def __init__(self, cache_size: int, limits: RegistrationLimits | None = None) -> None:
        self._cache: OrderedDict[str, StoredDocument] = OrderedDict()
        self._cache_size = cache_size
        self._limits = limits

    async def get(self, sha256: str) -> StoredDocument | None:
        stored = self._cache.get(sha256)
        if stored is not None:
            self._cache.move_to_end(sha256)
            return stored
        row = await PersistedQuery.get_or_none(sha256=sha256).only("document", "allow_listed")
        if row is None:
            return None  # misses are not cached: another process may register it next
        stored = StoredDocument(row.document, row.allow_listed)
        self._remember(sha256, stored)
        return stored

    async def register(self, document: str, *, allow_listed: bool = False) -> str:
        """Store a document (idempotent); returns its sha256."""
        sha256 = sha256_hex(document)
        try:
            row, created = await PersistedQuery.get_or_create(
                sha256=sha256, defaults={"document": document, "allow_listed": allow_listed}
            )
        except IntegrityError:  # another process registered it at the same moment
            row, created = await PersistedQuery.get(sha256=sha256), False
        if not created and allow_listed and not row.allow_listed:
            row.allow_listed = True
            await row.save(update_fields=["allow_listed"])
        self._cache.pop(sha256, None)
        return sha256

    async def register_sent(self, document: str, sender: Sender) -> None:
        """Register a document a client sent with its hash, within the limits for
        anonymous clients (editors' registrations are not limited)."""
        limits = self._limits
        if limits is None or not sender.anonymous:
            await self.register(document)
            return
        if len(document.encode()) > limits.max_bytes:
            raise PersistedQueryError(
                f"Documents larger than {limits.max_bytes} bytes cannot be registered as "
                "persisted queries: send the document without extensions.persistedQuery.",
                ErrorCode.PERSISTED_QUERY_TOO_LARGE,
                {"maxBytes": limits.max_bytes},
            )
        if await self.get(sha256_hex(document)) is not None:
            return
        if limits.rate_limiter is not None:
            try:
                key = ("ip", sender.client_ip or "unknown")
                await limits.rate_limiter.count([key], "Too many persisted queries registered.")
            except RateLimited as refusal:
                raise PersistedQueryError(
                    refusal.message, refusal.code, refusal.extensions
                ) from refusal
        await self.register(document)
        await self._evict(limits.max_stored)

    @staticmethod
    async def _evict(max_stored: int) -> None:
        """Delete the oldest registrations beyond ``max_stored`` (allow-listed ones stay)."""
        registered = PersistedQuery.filter(allow_listed=False)
        excess = await registered.count() - max_stored
        if excess > 0:
            oldest = await registered.order_by("id").limit(excess).values_list("id", flat=True)
            await PersistedQuery.filter(id__in=list(oldest)).delete()

    def _remember(self, sha256: str, stored: StoredDocument) -> None:
        self._cache[sha256] = stored
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def create_persisted_query_store(settings: Settings) -> PersistedQueryStore:
    """The app's store, with the limits its settings put on anonymous registrations."""
    limits = RegistrationLimits(
        max_bytes=settings.persisted_query_max_bytes,
        max_stored=settings.persisted_query_max_stored,
        rate_limiter=create_rate_limiter(
            settings, settings.persisted_query_registration_limits, "persisted-query"
        ),
    )
    return PersistedQueryStore(settings.persisted_query_cache_size, limits)


def persisted_query_hash(extensions: dict[str, Any] | None) -> str | None:
    """The requested sha256, or None when the request does not use persisted queries."""
    if not extensions or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError(
            "Unsupported persisted query version: send {version: 1, sha256Hash}.",
            ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
        raise PersistedQueryError(
            "persistedQuery.sha256Hash must be 64 lowercase hex digits.",
            ErrorCode.BAD_USER_INPUT,
        )
    return sha256


async def resolve_document(
    store: PersistedQueryStore,
    query: str | None,
    extensions: dict[str, Any] | None,
    *,
    allow_list_only: bool,
    sender: Sender | None = None,
) -> str | None:
    """The document to execute for a request's ``query`` and ``extensions``; a document
    sent with its hash is registered for ``sender`` (None: only looked at, as for a cache key).

    Raises :class:`PersistedQueryError` for an unknown hash (the client then sends the
    document with its hash), a hash that does not match, or — in allow-list mode — any
    document that is not on the list.
    """
    sha256 = persisted_query_hash(extensions)
    if sha256 is None:
        if allow_list_only:
            raise PersistedQueryError(
                "Only persisted queries are accepted: send extensions.persistedQuery.",
                ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
            )
        return query
    if query is not None:
        if sha256_hex(query) != sha256:
            raise PersistedQueryError(
                "provided sha does not match query", ErrorCode.PERSISTED_QUERY_HASH_MISMATCH
            )
        if allow_list_only:
            stored = await store.get(sha256)
            if stored is None or not stored.allow_listed:
                raise PersistedQueryError(
                    "This document is not on the allow-list.", ErrorCode.PERSISTED_QUERY_NOT_ALLOWED
                )
            return query
        if sender is not None:
            await store.register_sent(query, sender)
        return query
    stored = await store.get(sha256)
    if stored is None:
        if allow_list_only:
            raise PersistedQueryError(
                "This document is not on the allow-list.", ErrorCode.PERSISTED_QUERY_NOT_ALLOWED
            )
        raise PersistedQueryError("PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND)
    if allow_list_only and not stored.allow_listed:
        raise PersistedQueryError(
            "This document is not on the allow-list.", ErrorCode.PERSISTED_QUERY_NOT_ALLOWED
        )
    return stored.document


async def check_allow_listed(store: PersistedQueryStore, document: str) -> None:
    """Allow-list mode for a document sent in full, with no hash (WebSocket clients send
    documents that way): it runs only if it is on the allow-list."""
    stored = await store.get(sha256_hex(document))
    if stored is None or not stored.allow_listed:
        raise PersistedQueryError(
            "This document is not on the allow-list.", ErrorCode.PERSISTED_QUERY_NOT_ALLOWED
        )


def parse_manifest(data: Any) -> list[str]:
    """The documents of a ``{"<sha256>": "<document>"}`` map or of Apollo's persisted-query
    manifest (``{"format": "apollo-persisted-query-manifest", "operations": [{"body": …}]}``).
    Hashes in the file are verified."""
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        documents = []
        for operation in data["operations"]:
            if not isinstance(operation, dict) or not isinstance(operation.get("body"), str):
                raise ValueError("Every manifest operation needs a string 'body'.")
            if "id" in operation and operation["id"] != sha256_hex(operation["body"]):
                raise ValueError(f"Operation {operation['id']!r} does not match its body.")
            documents.append(operation["body"])
        return documents
    if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
        for sha256, document in data.items():
            if sha256 != sha256_hex(document):
                raise ValueError(f"{sha256!r} is not the sha256 of its document.")
        return list(data.values())
    raise ValueError('Expected {"<sha256>": "<document>"} or an Apollo persisted-query manifest.')
