ARTICLE = """{ page(slug: "harvard-medical-school") { title sections { title children { title } } } }"""


async def test_reader_gets_the_seeded_article(gql, seeded_page):
    data = await gql.data(ARTICLE)
    assert data["page"]["title"].startswith("Harvard Medical School")


async def test_query_count_does_not_grow_with_content(gql, seeded_page, sql_counter):
    await gql.data(ARTICLE)
    assert sql_counter.count > 0
