"""The GraphQL documents the benchmark scenarios send."""

ARTICLE = """query Article($slug: String!) { page(slug: $slug) { id title summary publishedAt
  sections { id title anchor bodyHtml children { id title anchor bodyHtml } } } }"""
PAGES = """query Pages { pages(first: 20) { totalCount edges { node { id slug title summary
  publishedAt } } } }"""
ADD_COMMENT = """mutation Add($input: AddCommentInput!) { addComment(input: $input) {
  comment { id status } errors { code } } }"""
SLUG = {"slug": "harvard-medical-school"}
