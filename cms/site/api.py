"""The site's only door to data: the public GraphQL schema, run in-process as an
anonymous reader. No ORM, no service calls: what an external front end can do, no more."""

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request

from cms.config import Settings
from cms.serving.graphql_view import GraphQLView
from cms.site.documents import document


@dataclass
class ApiError:
    """A GraphQL error as a client sees it: a message and its ``extensions.code``."""

    message: str
    code: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, error: GraphQLError) -> "ApiError":
        extensions = dict(error.extensions or {})
        return cls(error.message, extensions.get("code"), extensions)


# Errors that mean the API could not answer at all (not that the request was wrong): the
# site shows its error page with this status instead of a page built on nothing.
FAILURE_STATUS = {"INTERNAL_SERVER_ERROR": 500, "SERVICE_UNAVAILABLE": 503}


class ApiFailure(Exception):
    """The API could not answer a site document; ``status`` is the page's HTTP status."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.status = FAILURE_STATUS[error.code or ""]


@dataclass
class ApiResult:
    data: dict[str, Any]
    errors: list[ApiError]
    # The surrogate keys of what the answer shows (cache invalidation), and whether it is
    # for its holder alone (a form token, a preview): as the API's responses carry them.
    shown: set[str] = field(default_factory=set)
    private: bool = False


class SiteApi:
    """Executes the site's documents with the context ``/graphql`` builds for a request."""

    def __init__(self, view: GraphQLView) -> None:
        self.view = view

    async def execute(
        self, request: Request, name: str, variables: dict[str, Any] | None = None
    ) -> ApiResult:
        # The view's context carries what the API keeps per request (the client's address
        # and user agent for comments, the shared flood control); the viewer is always
        # anonymous here, whatever Authorization header the reader's browser sends.
        request.state.viewer = None
        context = await self.view.get_context(request, None)
        result = await self.view.schema.execute(
            document(name), variable_values=variables or {}, context_value=context
        )
        errors = [ApiError.of(error) for error in result.errors or []]
        for error in errors:
            if error.code in FAILURE_STATUS:
                raise ApiFailure(error)
        return ApiResult(
            result.data or {},
            errors,
            set(context.shown),
            context.private_answer,
        )

    @property
    def settings(self) -> Settings:
        return self.view.settings
