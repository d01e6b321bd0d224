"""GDPR requests about a commenter's data, by email address. Admins only."""

from typing import Annotated

import strawberry

from cms.services import commenters
from schema.comment.types import Comment
from schema.context import Info
from schema.errors import UserError

Email = Annotated[str, strawberry.argument(description="The commenter's email (any case).")]


@strawberry.type(description="Everything stored about one commenter (a GDPR export).")
class CommenterData:
    email: str = strawberry.field(description="The email address asked about.")
    comments: list[Comment] = strawberry.field(
        description="Every comment left with that email, in any status, oldest first."
    )


@strawberry.type(description="The result of erasing a commenter's data.")
class EraseCommenterDataPayload:
    anonymized_count: int = strawberry.field(
        description="How many comments lost their author's name, email, website, IP and user agent."
    )
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A GDPR erasure request.")
class EraseCommenterDataInput:
    email: str = strawberry.field(description="The commenter's email (any case).")


@strawberry.type
class CommenterQueries:
    @strawberry.field(description="Export all comments left with an email address. Admins only.")
    async def export_commenter_data(self, info: Info, email: Email) -> CommenterData | None:
        found = await commenters.export_commenter_data(info.context.viewer, email)
        return CommenterData(email=email, comments=[Comment.from_model(c) for c in found])


@strawberry.type
class CommenterMutations:
    @strawberry.mutation(
        description="Anonymise every comment left with an email address (a GDPR erasure "
        "request); the comments' text stays. Admins only."
    )
    async def erase_commenter_data(
        self,
        info: Info,
        input: Annotated[
            EraseCommenterDataInput, strawberry.argument(description="The input fields.")
        ],
    ) -> EraseCommenterDataPayload | None:
        count = await commenters.erase_commenter_data(info.context.viewer, input.email)
        return EraseCommenterDataPayload(anonymized_count=count, errors=[])
