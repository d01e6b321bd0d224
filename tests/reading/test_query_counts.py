"""What a read costs in SQL. Reads go through per-request DataLoaders, so the number of
statements is a small constant whatever the amount of content: no N+1 queries."""

from itertools import count

from tortoise.timezone import now

from cms.models import Comment, CommentStatus, Page, PageStatus, Section

# Comments are paged in SQL (never the whole discussion): each level of the thread costs its
# page and, as `totalCount` is asked for, its count; every parent's replies come together.
# commentCount with the top-level count 1, top-level comments 1, their replies 1 + count 1,
# replies to those 1.
COMMENT_STATEMENTS = 5
# page(slug:) 1, the page's section tree 1, Section.page 1, and the comments.
FULL_PAGE_STATEMENTS = 3 + COMMENT_STATEMENTS
# The seeded page is published: readers get its live revision, read with the page in one
# statement, and its sections from that revision; then Section.page 1. It has no comments:
# commentCount with the top-level count 1 and the top-level page 1 (no replies to read).
SEEDED_PAGE_STATEMENTS = 2 + 2
# An API token adds its lookup and the update of its last use.
TOKEN_STATEMENTS = 2
# COUNT 1, the pages 2, their section trees 1, their comment counts 1. Pages are listed by
# publishedAt, which is null for pages never published: those are read by a second indexed
# statement after the last published page (so both parts follow an index; see Segment in
# cms/services/pagination.py), and this list ends within the page.
PAGE_LIST_STATEMENTS = 5

FULL_PAGE = """query($slug: String!) { page(slug: $slug) {
  id title commentCount
  sections { ...Fields children { ...Fields children { ...Fields children { ...Fields } } } }
  comments(first: 20) { totalCount edges { node {
    authorName body createdAt replies(first: 5) { totalCount edges { node {
      authorName body replies(first: 5) { edges { node { authorName body } } } } } } } } } } }
fragment Fields on Section {
  id title anchor body bodyHtml position depth parent { title } page { slug } }"""

PAGE_LIST = """{ pages(first: 50) { totalCount edges { node {
  title sections { title children { title } } commentCount } } } }"""


async def create_page(slug: str) -> Page:
    return await Page.create(slug=slug, title=slug, status=PageStatus.PUBLISHED, published_at=now())


async def add_sections(page: Page, top_level: int, children_each: int, grandchildren_each: int):
    """A tree of sections: each top-level section has children, each child grandchildren."""
    numbers = count()

    async def add(parent: Section | None, position: int) -> Section:
        number = next(numbers)
        return await Section.create(
            page=page,
            parent=parent,
            position=position,
            title=f"Section {number}",
            anchor=f"section-{number}",
            body=f"Body of *section {number}*.",
        )

    for position in range(top_level):
        section = await add(None, position)
        for child_position in range(children_each):
            child = await add(section, child_position)
            for grandchild_position in range(grandchildren_each):
                await add(child, grandchild_position)
    return next(numbers)


async def add_comments(page: Page, threads: int, replies_each: int) -> int:
    """Approved threads of comments with replies (and a reply to the first reply), plus
    comments readers do not see."""
    created = 0

    async def add(body: str, parent: Comment | None = None, status=CommentStatus.APPROVED):
        nonlocal created
        created += status is CommentStatus.APPROVED
        return await Comment.create(
            page=page,
            parent=parent,
            author_name="Reader",
            author_email="reader@example.org",
            body=body,
            status=status,
        )

    for thread in range(threads):
        top = await add(f"comment {thread}")
        for reply_number in range(replies_each):
            reply = await add(f"reply {reply_number} to {thread}", top)
            if reply_number == 0:
                await add(f"answer to reply {reply_number}", reply)
        await add(f"pending on {thread}", top, CommentStatus.PENDING)
    return created


async def statements_for(
    gql, sql_counter, query: str, variables: dict | None = None, token: str | None = None
) -> int:
    """How many SQL statements one request for ``query`` costs."""
    sql_counter.statements.clear()
    await gql.data(query, variables, token)
    return sql_counter.count


async def test_a_small_page_costs_a_fixed_number_of_statements(gql, sql_counter):
    page = await create_page("small")
    assert await add_sections(page, top_level=1, children_each=1, grandchildren_each=1) == 3
    assert await add_comments(page, threads=1, replies_each=1) == 3

    statements = await statements_for(gql, sql_counter, FULL_PAGE, {"slug": "small"})

    print(f"full page query, 3 sections, 3 comments: {statements} SQL statements")
    assert statements == FULL_PAGE_STATEMENTS, sql_counter.statements


async def test_a_large_page_costs_the_same_as_a_small_one(gql, sql_counter):
    page = await create_page("large")
    assert await add_sections(page, top_level=12, children_each=2, grandchildren_each=1) == 60
    assert await add_comments(page, threads=5, replies_each=2) == 20

    statements = await statements_for(gql, sql_counter, FULL_PAGE, {"slug": "large"})
    data = await gql.data(FULL_PAGE, {"slug": "large"})

    print(f"full page query, 60 sections, 20 comments: {statements} SQL statements")
    assert statements == FULL_PAGE_STATEMENTS, sql_counter.statements
    # The query did read all of it: 12 top-level sections, each with 2 children with 1 child.
    assert len(data["page"]["sections"]) == 12
    assert [len(s["children"]) for s in data["page"]["sections"]] == [2] * 12
    assert data["page"]["sections"][0]["children"][0]["children"][0]["depth"] == 2
    assert data["page"]["commentCount"] == 20
    threads = [edge["node"]["replies"] for edge in data["page"]["comments"]["edges"]]
    assert [thread["totalCount"] for thread in threads] == [2] * 5
    assert [len(t["edges"][0]["node"]["replies"]["edges"]) for t in threads] == [1] * 5


async def test_the_seeded_article_is_read_with_its_live_revision_in_one_statement(
    gql, sql_counter, seeded_page
):
    statements = await statements_for(gql, sql_counter, FULL_PAGE, {"slug": seeded_page.slug})

    assert statements == SEEDED_PAGE_STATEMENTS, sql_counter.statements


async def test_an_editors_token_adds_a_fixed_cost(gql, sql_counter, editor_token):
    page = await create_page("large")
    await add_sections(page, top_level=12, children_each=2, grandchildren_each=1)
    await add_comments(page, threads=5, replies_each=2)

    statements = await statements_for(gql, sql_counter, FULL_PAGE, {"slug": "large"}, editor_token)

    assert statements == FULL_PAGE_STATEMENTS + TOKEN_STATEMENTS, sql_counter.statements


async def create_listed_pages(number: int) -> None:
    for index in range(number):
        page = await create_page(f"listed-{index}")
        section = await Section.create(page=page, position=0, title="Top", anchor="top")
        await Section.create(page=page, parent=section, position=0, title="Child", anchor="c")
        await Comment.create(
            page=page,
            author_name="Reader",
            author_email="reader@example.org",
            body="Hi",
            status=CommentStatus.APPROVED,
        )


async def test_listing_5_pages_costs_a_fixed_number_of_statements(gql, sql_counter):
    await create_listed_pages(5)

    statements = await statements_for(gql, sql_counter, PAGE_LIST)

    print(f"pages(first: 50) over 5 pages: {statements} SQL statements")
    assert statements == PAGE_LIST_STATEMENTS, sql_counter.statements


async def test_listing_50_pages_costs_the_same_as_listing_5(gql, sql_counter):
    await create_listed_pages(50)

    statements = await statements_for(gql, sql_counter, PAGE_LIST)
    data = await gql.data(PAGE_LIST)

    print(f"pages(first: 50) over 50 pages: {statements} SQL statements")
    assert statements == PAGE_LIST_STATEMENTS, sql_counter.statements
    nodes = [edge["node"] for edge in data["pages"]["edges"]]
    assert len(nodes) == 50
    assert {node["commentCount"] for node in nodes} == {1}
    assert {len(node["sections"][0]["children"]) for node in nodes} == {1}


THREAD_PAGE = """query($slug: String!) { page(slug: $slug) {
  comments(first: 10, withReplies: true) { totalCount edges { node { body } } } } }"""
# The page, a keyset read of the thread, the approval of the comments above those read,
# and the count of comments readers can reach.
THREAD_PAGE_STATEMENTS = 4


async def test_a_thread_in_reading_order_costs_the_same_with_many_comments(gql, sql_counter):
    small, large = await create_page("small"), await create_page("large")
    assert await add_comments(small, threads=1, replies_each=1) == 3
    assert await add_comments(large, threads=40, replies_each=4) == 240

    for slug in ("small", "large"):
        statements = await statements_for(gql, sql_counter, THREAD_PAGE, {"slug": slug})

        print(f"withReplies page of {slug}: {statements} SQL statements")
        assert statements == THREAD_PAGE_STATEMENTS, sql_counter.statements
