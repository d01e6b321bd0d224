"""The GraphQL layer: Strawberry types and thin resolvers over cms.services."""

import asyncio
import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from cms.config import Settings
from cms.errors import CmsError
from schema.allow_list import allow_list_refusal, single
from schema.budget import timeout_error
from schema.comment.commenters import CommenterMutations, CommenterQueries
from schema.comment.mutations import CommentMutations
from schema.comment.queries import CommentQueries
from schema.comment.replies import CommentReplyMutations
from schema.context import Context
from schema.cost import query_cost_rule
from schema.dashboard import DashboardQueries
from schema.editorial import EditorialMutations, EditorialQueries
from schema.errors import DomainErrors, present_stream
from schema.execution import is_anonymous, plain_field_execution
from schema.input_safety import SafeStringLiterals, unsafe_request
from schema.invalidation import OnMutation, after_mutations
from schema.node import NodeQueries
from schema.outage import DatabaseOutage
from schema.page.mutations import PageMutations
from schema.page.queries import PageQueries
from schema.scalars import SCALAR_OVERRIDES
from schema.section.mutations import SectionMutations
from schema.streamed import is_subscription, operation_context, rechecked_events, refusal
from schema.subscription import Subscription
from schema.token.mutations import TokenMutations
from schema.token.queries import TokenQueries
from schema.user.mutations import UserMutations
from schema.user.queries import UserQueries
from schema.viewer import ViewerQueries

DOCUMENT_CACHE_SIZE = 1024

logger = logging.getLogger("cms.graphql")


@strawberry.type(description="Reading content. Readers see published pages only.")
class Query(
    PageQueries,
    NodeQueries,
    ViewerQueries,
    CommentQueries,
    CommenterQueries,
    EditorialQueries,
    TokenQueries,
    UserQueries,
    DashboardQueries,
):
    pass


@strawberry.type(description="Changing content. All but `addComment` need an editor's API token.")
class Mutation(
    PageMutations,
    SectionMutations,
    CommentMutations,
    CommenterMutations,
    TokenMutations,
    EditorialMutations,
    UserMutations,
    CommentReplyMutations,
):
    pass


class CmsSchema(strawberry.Schema):
    """Logging of errors is left to :class:`DomainErrors`: it logs unexpected errors with
    their stack trace, and keeps clients' mistakes (bad documents, bad input) out of the log.
    Plain fields skip graphql-core's resolver machinery (:mod:`schema.execution`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execution_context_class = plain_field_execution(self._schema)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            logger.debug("GraphQL error: %s", error.message)

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        """Unusable strings are refused (:mod:`schema.input_safety`). Anonymous operations
        are stopped once they run longer than allowed, even while they wait (on the
        database); the execution budget also checks between fields."""
        refusal = unsafe_request(kwargs.get("variable_values"), kwargs.get("operation_name"))
        if refusal is not None:
            return ExecutionResult(data=None, errors=[refusal])
        context = kwargs.get("context_value")
        if not is_anonymous(context):
            return await super().execute(*args, **kwargs)
        settings = context.settings
        try:
            async with asyncio.timeout(settings.max_execution_seconds):
                return await super().execute(*args, **kwargs)
        except TimeoutError:
            return ExecutionResult(
                data=None, errors=[timeout_error(settings.max_execution_seconds)]
            )

    async def stream(self, query: str | None, *args: Any, **kwargs: Any) -> Any:
        """WebSocket operations: each with its own context and a re-checked viewer, each
        subscription event re-checked (:mod:`schema.streamed`); allow-list mode applies
        (:mod:`schema.allow_list`), and results get the same error codes and masking as
        other results."""
        operation_name = kwargs.get("operation_name")
        unsafe = unsafe_request(kwargs.get("variable_values"), operation_name)
        if unsafe is not None:
            return single(PreExecutionError(data=None, errors=[unsafe]))
        context = kwargs.get("context_value")
        if isinstance(context, Context):
            try:
                context = kwargs["context_value"] = await operation_context(context)
            except CmsError as error:
                return single(PreExecutionError(data=None, errors=[refusal(error)]))
        refused = await allow_list_refusal(context, query)
        if refused is not None:
            return single(refused)
        results = await super().stream(query, *args, **kwargs)
        if isinstance(context, Context) and is_subscription(query, operation_name):
            results = rechecked_events(results, context)
        return present_stream(results)


def build_schema(settings: Settings, *, on_mutation: OnMutation | None = None) -> strawberry.Schema:
    """The schema with its limits. Build it once per process: it is costly and immutable.
    ``on_mutation`` runs after every mutation operation, before its response is sent, with
    the surrogate keys of what readers see change (the caches' invalidation)."""
    # The limits' validation rules are made once: the validation cache's key includes the
    # rule classes, and the limiter extensions would make new ones for every request.
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
        query_cost_rule(settings.max_query_cost, settings.max_page_size),
        SafeStringLiterals,
    ]
    return CmsSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            lambda: AddValidationRules(limit_rules),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            DomainErrors,
            DatabaseOutage,  # after DomainErrors: its results are seen first
            *([after_mutations(on_mutation)] if on_mutation else []),
        ],
    )
