"""Reading revisions and comparing them. Editors only."""

from typing import Annotated

import strawberry

from cms.services import revisions
from cms.services.auth import require_editor
from schema.context import Info
from schema.relay import decode_id
from schema.revision.types import Revision, RevisionDiff


@strawberry.type
class RevisionQueries:
    @strawberry.field(
        description="One revision with its full content. Editors only: null (with an "
        "error) for anyone else or for an unknown ID."
    )
    async def revision(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The revision's ID.")],
    ) -> Revision | None:
        viewer = require_editor(info.context.viewer)
        return Revision.from_model(
            await revisions.get_revision(viewer, decode_id(id, "Revision", "id"))
        )

    @strawberry.field(
        description="What changed between two revisions of a page: sections added, removed "
        "and changed, and the page fields that changed. Editors only."
    )
    async def revision_diff(
        self,
        info: Info,
        from_: Annotated[
            strawberry.ID, strawberry.argument(name="from", description="The older revision.")
        ],
        to: Annotated[strawberry.ID, strawberry.argument(description="The newer revision.")],
    ) -> RevisionDiff | None:
        viewer = require_editor(info.context.viewer)
        diff = await revisions.compare_revisions(
            viewer, decode_id(from_, "Revision", "from"), decode_id(to, "Revision", "to")
        )
        return RevisionDiff.of(diff)
