"""Listing studio users. Admins only."""

import strawberry

from cms.services import users
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, page_request, query_connection
from schema.user.types import User

USERS_DEFAULT_PAGE_SIZE = 50


@strawberry.type
class UserQueries:
    @strawberry.field(
        description="Every studio user, by email. Admins only: for anyone else this field "
        "is null, with an UNAUTHENTICATED or FORBIDDEN error."
    )
    async def users(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User] | None:
        return await query_connection(
            info,
            users.all_users(info.context.viewer),
            page_request(first, after, last, before),
            USERS_DEFAULT_PAGE_SIZE,
            User.from_model,
        )
