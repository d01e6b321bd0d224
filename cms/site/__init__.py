"""The reader site: server-rendered pages built only from the public GraphQL API.

It runs the documents in ``queries/`` against the same schema the ``/graphql`` endpoint
serves, as an anonymous reader, so it sees exactly what any external front end sees.
"""

from cms.site.routes import Site, create_site

__all__ = ["Site", "create_site"]
