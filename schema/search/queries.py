"""search(query:): full-text search over what readers see, or editors' drafts."""

from typing import Annotated

import strawberry

from cms.services import draft_state, search
from cms.services.ranked_pagination import offset_slice, offset_window
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, page_request
from schema.search.types import SearchResult

SEARCH_DEFAULT_PAGE_SIZE = 10


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Pages and sections matching every word of `query`, best first, with "
        "highlighted snippets. Readers search published content; editors may pass "
        "`drafts: true` to search working copies instead. A query matching more than "
        f"{search.CANDIDATES:,} pages and sections ranks the first {search.CANDIDATES:,} the "
        "index finds (`totalCount` counts those)."
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="Words to look for.")],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        drafts: Annotated[
            bool, strawberry.argument(description="Editors: search working copies.")
        ] = False,
    ) -> Connection[SearchResult] | None:
        scope = draft_state.search_scope(info.context.viewer, drafts)
        total = await search.count(query, scope)
        window = offset_window(
            page_request(first, after, last, before),
            total,
            info.context.settings.max_page_size,
            SEARCH_DEFAULT_PAGE_SIZE,
        )
        hits = await search.search(query, scope, window.start, len(window))
        return Connection.of(
            offset_slice(hits, window, total), [SearchResult.of(hit) for hit in hits]
        )
