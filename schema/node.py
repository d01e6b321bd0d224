"""`node(id:)`: any object by its global ID, with the same visibility rules as elsewhere."""

from typing import Annotated, Any

import strawberry
from tortoise.models import Model

from cms import models
from cms.models import Comment as CommentModel
from cms.models import Section as SectionModel
from cms.services.auth import require_admin, require_editor
from cms.services.comments import visible_comments
from cms.services.pages import can_view
from schema.comment.types import Comment
from schema.context import Info
from schema.page.content import AUTO, concrete_view, section_tree
from schema.page.scheduling import ScheduledJob
from schema.page.types import Page
from schema.relay import Node, from_global_id
from schema.revision.types import Revision
from schema.section.types import Section
from schema.token.mutations import ApiToken
from schema.user.types import User
from schema.webhook.types import Webhook, WebhookDelivery


async def _page_if_visible(info: Info, page_id: int) -> Page | None:
    page = await info.context.loaders.page.load(page_id)
    if page is None or not can_view(info.context.viewer, page):
        return None
    return await Page.load(info, page)


# Editors-only objects: (model, GraphQL type).
EDITORIAL_NODES: dict[str, tuple[type[Model], Any]] = {
    "Revision": (models.Revision, Revision),
    "ScheduledJob": (models.ScheduledJob, ScheduledJob),
    "User": (models.User, User),
    "Webhook": (models.Webhook, Webhook),
    "WebhookDelivery": (models.WebhookDelivery, WebhookDelivery),
}


async def _section_if_visible(info: Info, pk: int) -> Section | None:
    """Editors get the working copy's section; readers the section as it is live (none if
    it was added since the page was published)."""
    section = await SectionModel.get_or_none(id=pk)
    page = await _page_if_visible(info, section.page_id) if section else None
    if section is None or page is None:
        return None
    view = concrete_view(info, page.row, AUTO)
    tree = await section_tree(info, page.pk, view)
    if view.working:
        return Section.in_tree(section, view, tree)
    live = tree.by_id.get(pk)
    return Section.in_tree(live, view, tree) if live else None


async def resolve_node(info: Info, type_name: str, pk: int) -> Node | None:
    """The object, or None when it does not exist or this viewer may not see it."""
    if type_name == "ApiToken":
        require_admin(info.context.viewer)
        token = await models.ApiToken.get_or_none(id=pk)
        return ApiToken.from_model(token) if token else None
    if type_name == "Page":
        return await _page_if_visible(info, pk)
    if type_name == "Section":
        return await _section_if_visible(info, pk)
    if type_name in EDITORIAL_NODES:
        require_editor(info.context.viewer)
        model, node_type = EDITORIAL_NODES[type_name]
        found = await model.get_or_none(id=pk)
        return node_type.from_model(found) if found else None
    if type_name == "Comment":
        comment: CommentModel | None = await visible_comments(info.context.viewer).get_or_none(
            id=pk
        )
        if comment and await _page_if_visible(info, comment.page_id):
            return Comment.from_model(comment)
    return None


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global ID; null if there is none to see.")
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        decoded = from_global_id(id)
        return await resolve_node(info, *decoded) if decoded else None
