"""The response cache in Redis, shared by every process (see response_cache.py).

Three scripts, each one atomic round trip: a lookup checks the entry's keys against their
versions; a store refuses an entry one of whose keys was invalidated since its snapshot;
an invalidation takes the next sequence number and makes it the version of every key.
Entries are named after the Redis server's run id, which changes on every restart: when
Redis comes back with the data it saved before going down, nothing cached before the
outage is reachable (an invalidation may have been lost meanwhile). The scripts touch keys
they compute (single-node Redis, not Redis Cluster).
"""

import logging
from collections.abc import Iterable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from cms.services.reader_changes import ALL_CONTENT

logger = logging.getLogger("cms.cache")

# The invalidation sequence (it was the "content generation" when every change emptied the
# cache; the name stays so that a rolling deploy keeps counting).
GENERATION_KEY = "cms:content-generation"
ENTRY_PREFIX = "cms:response:"
VERSION_PREFIX = "cms:key-version:"
# A Redis command that has not answered by then fails (a miss, or a deferred
# invalidation): a stalled Redis must not hold requests. redis-py's socket timeout.
COMMAND_TIMEOUT_SECONDS = 2.0
# Deferred invalidations beyond this many keys become one of everything.
MAX_PENDING_KEYS = 256

_SERVER = "local server = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')\n"

# KEYS: sequence. ARGV: entry prefix, cache key, version prefix. Entry: "<sequence> <keys>\n…"
_LOOKUP_SCRIPT = (
    _SERVER
    + """
local snapshot = server .. '.' .. (redis.call('GET', KEYS[1]) or '0')
local entry = redis.call('GET', ARGV[1] .. server .. ':' .. ARGV[2])
if not entry then return {snapshot, false} end
local header_end = string.find(entry, '\\n', 1, true)
local stored_at = nil
for word in string.gmatch(string.sub(entry, 1, header_end - 1), '%S+') do
  if stored_at == nil then
    stored_at = tonumber(word)
  else
    local version = redis.call('GET', ARGV[3] .. word)
    if version and tonumber(version) > stored_at then return {snapshot, false} end
  end
end
return {snapshot, string.sub(entry, header_end + 1)}
"""
)

# ARGV: entry prefix, cache key, version prefix, snapshot, ttl, entry, keys...
_STORE_SCRIPT = (
    _SERVER
    + """
local snapshot_server, stored_at = string.match(ARGV[4], '^(%w+)%.(%d+)$')
if snapshot_server ~= server then return 0 end
for i = 7, #ARGV do
  local version = redis.call('GET', ARGV[3] .. ARGV[i])
  if version and tonumber(version) > tonumber(stored_at) then return 0 end
end
local header = stored_at .. ' ' .. table.concat(ARGV, ' ', 7)
redis.call('SET', ARGV[1] .. server .. ':' .. ARGV[2], header .. '\\n' .. ARGV[6], 'EX', ARGV[5])
return 1
"""
)

# KEYS: sequence. ARGV: version prefix, ttl, keys... A version outlives every entry stored
# before it (same ttl), so an expired version can no longer invalidate anything.
_INVALIDATE_SCRIPT = """
local sequence = redis.call('INCR', KEYS[1])
for i = 3, #ARGV do redis.call('SET', ARGV[1] .. ARGV[i], sequence, 'EX', ARGV[2]) end
return sequence
"""


class RedisResponseCache:
    """While Redis is unreachable every lookup is a miss and nothing is stored: queries are
    executed. An invalidation that fails (Redis down while an editor unpublishes) is not
    forgotten: it is made before this process's next lookup, so no entry from before the
    change is served once Redis answers again."""

    def __init__(self, url: str, ttl: int) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            socket_connect_timeout=COMMAND_TIMEOUT_SECONDS,
        )
        self._ttl = ttl
        self._lookup = self._redis.register_script(_LOOKUP_SCRIPT)
        self._store = self._redis.register_script(_STORE_SCRIPT)
        self._invalidate = self._redis.register_script(_INVALIDATE_SCRIPT)
        self._pending: set[str] = set()

    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        try:
            if self._pending:
                await self._apply(set(self._pending))
            snapshot, entry = await self._lookup(
                keys=[GENERATION_KEY], args=[ENTRY_PREFIX, key, VERSION_PREFIX]
            )
        except (RedisError, OSError) as error:
            logger.warning("Response cache unavailable: %r", error)
            return "", None
        return (snapshot.decode() if isinstance(snapshot, bytes) else str(snapshot)), entry

    async def store(self, snapshot: str, key: str, entry: bytes, keys: Iterable[str] = ()) -> bool:
        if not snapshot:
            return True  # the lookup failed: the sequence is unknown, nothing is kept
        shown = [ALL_CONTENT, *(k for k in dict.fromkeys(keys) if k != ALL_CONTENT)]
        try:
            stored = await self._store(
                args=[ENTRY_PREFIX, key, VERSION_PREFIX, snapshot, self._ttl, entry, *shown]
            )
        except (RedisError, OSError) as error:
            logger.warning("Response cache unavailable: %r", error)
            return True
        return bool(stored)

    async def _apply(self, keys: set[str]) -> None:
        await self._invalidate(keys=[GENERATION_KEY], args=[VERSION_PREFIX, self._ttl, *keys])
        self._pending -= keys

    async def invalidate(self, keys: Iterable[str]) -> None:
        changed = set(keys) | self._pending
        if len(changed) > MAX_PENDING_KEYS:
            changed = {ALL_CONTENT}
        try:
            await self._apply(changed)
        except (RedisError, OSError) as error:
            self._pending = changed
            logger.error("Response cache invalidation deferred until Redis answers: %r", error)

    async def close(self) -> None:
        await self._redis.aclose()
