"""restoreRevision: an old revision becomes the working copy again."""

from typing import Annotated

import strawberry

from cms.services import revisions
from cms.services.auth import require_editor
from schema.context import Info
from schema.page.mutations import PagePayload, page_payload
from schema.relay import decode_id


@strawberry.input(description="Which revision to bring back, and the page version you saw.")
class RestoreRevisionInput:
    id: strawberry.ID = strawberry.field(description="The revision's global ID.")
    version: int = strawberry.field(
        description="The page's version you started from; CONFLICT if it changed since."
    )
    message: str | None = strawberry.field(default=None, description="A note for the history.")


@strawberry.type
class RevisionMutations:
    @strawberry.mutation(
        description="Make an old revision the working copy (recorded as a RESTORE revision); "
        "publish to show it to readers. Editors only."
    )
    async def restore_revision(
        self,
        info: Info,
        input: Annotated[RestoreRevisionInput, strawberry.argument(description="The revision.")],
    ) -> PagePayload | None:
        viewer = require_editor(info.context.viewer)
        return await page_payload(
            info,
            lambda: revisions.restore_revision(
                viewer,
                decode_id(input.id, "Revision", "id"),
                expected_version=input.version,
                message=input.message,
            ),
        )
