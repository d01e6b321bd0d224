"""Listing API tokens: admins see every token, editors their own."""

import strawberry

from cms.services import auth
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, page_request, query_connection
from schema.token.mutations import ApiToken

TOKENS_DEFAULT_PAGE_SIZE = 50


@strawberry.type
class TokenQueries:
    @strawberry.field(
        description="API tokens, newest first: every token for admins, an editor's own for "
        "editors (revoked ones too). Null without an editor's token or session."
    )
    async def api_tokens(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ApiToken] | None:
        return await query_connection(
            info,
            auth.visible_tokens(info.context.viewer),
            page_request(first, after, last, before),
            TOKENS_DEFAULT_PAGE_SIZE,
            ApiToken.from_model,
        )
