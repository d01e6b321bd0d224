"""Helpers for the editorial workflow tests: an editor driving the API."""

from typing import Any

PAGE_FIELDS = "id slug title summary status version hasUnpublishedChanges"

CREATE_PAGE = f"""mutation ($input: CreatePageInput!) {{
  createPage(input: $input) {{ page {{ {PAGE_FIELDS} }} errors {{ field code }} }} }}"""
UPDATE_PAGE = f"""mutation ($input: UpdatePageInput!) {{
  updatePage(input: $input) {{
    page {{ {PAGE_FIELDS} }} errors {{ field code message currentVersion }} }} }}"""
PUBLISH_PAGE = f"""mutation ($input: PublishPageInput!) {{
  publishPage(input: $input) {{
    page {{ {PAGE_FIELDS} }} errors {{ field code message currentVersion }} }} }}"""
UNPUBLISH_PAGE = f"""mutation ($input: PageIdInput!) {{
  unpublishPage(input: $input) {{ page {{ {PAGE_FIELDS} }} errors {{ field code }} }} }}"""
ARCHIVE_PAGE = f"""mutation ($input: PageIdInput!) {{
  archivePage(input: $input) {{ page {{ {PAGE_FIELDS} }} errors {{ field code }} }} }}"""
DELETE_PAGE = """mutation ($input: DeletePageInput!) {
  deletePage(input: $input) { deletedId errors { field code } } }"""
CREATE_SECTION = """mutation ($input: CreateSectionInput!) {
  createSection(input: $input) {
    section { id anchor page { version } } errors { field code currentVersion } } }"""
UPDATE_SECTION = """mutation ($input: UpdateSectionInput!) {
  updateSection(input: $input) {
    section { id title body page { version } } errors { field code currentVersion } } }"""
DELETE_SECTION = """mutation ($input: SectionIdInput!) {
  deleteSection(input: $input) { deletedId errors { field code currentVersion } } }"""
READ_PAGE = """query ($slug: String!) { page(slug: $slug) {
  id slug title summary status version
  sections { id title body anchor bodyHtml depth children { id title body depth parent { id } } }
} }"""


class Editor:
    """One editor (one API token) working through the GraphQL API."""

    def __init__(self, gql: Any, token: str) -> None:
        self.gql, self.token = gql, token

    async def call(self, document: str, name: str, **variables: Any) -> dict:
        return (await self.gql.data(document, variables, self.token))[name]

    async def create_page(self, slug: str = "news", title: str = "News") -> dict:
        payload = await self.call(CREATE_PAGE, "createPage", input={"slug": slug, "title": title})
        assert payload["errors"] == [], payload
        return payload["page"]

    async def add_section(self, page: dict, title: str, body: str = "", **fields: Any) -> dict:
        payload = await self.call(
            CREATE_SECTION,
            "createSection",
            input={"pageId": page["id"], "title": title, "body": body, **fields},
        )
        assert payload["errors"] == [], payload
        return payload["section"]

    async def update_page(self, page_id: str, version: int, **fields: Any) -> dict:
        return await self.call(
            UPDATE_PAGE, "updatePage", input={"id": page_id, "version": version, **fields}
        )

    async def update_section(self, section_id: str, version: int, **fields: Any) -> dict:
        return await self.call(
            UPDATE_SECTION, "updateSection", input={"id": section_id, "version": version, **fields}
        )

    async def publish(self, page_id: str, **fields: Any) -> dict:
        payload = await self.call(PUBLISH_PAGE, "publishPage", input={"id": page_id, **fields})
        assert payload["errors"] == [], payload
        return payload["page"]

    async def read(self, slug: str, **arguments: Any) -> dict | None:
        return (await self.gql.data(READ_PAGE, {"slug": slug, **arguments}, self.token))["page"]

    async def published_page(self, slug: str = "news", sections: tuple[str, ...] = ()) -> dict:
        """A page with top-level sections (title: body), published; returns it as saved."""
        page = await self.create_page(slug, slug.title())
        for title in sections:
            await self.add_section(page, title, f"Text of {title}.")
        return await self.publish(page["id"])


async def read_as_reader(gql: Any, slug: str) -> dict | None:
    return (await gql.data(READ_PAGE, {"slug": slug}))["page"]
