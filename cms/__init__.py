"""A headless CMS: pages, nested sections and reader comments behind a GraphQL API."""
