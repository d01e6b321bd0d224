"""The editorial workflow's queries and mutations, composed into the schema's root types:
revisions, search, scheduling, preview links and webhooks."""

import strawberry

from schema.page.scheduling import SchedulingMutations
from schema.revision.mutations import RevisionMutations
from schema.revision.queries import RevisionQueries
from schema.search.queries import SearchQueries
from schema.webhook.mutations import WebhookMutations
from schema.webhook.queries import WebhookQueries


@strawberry.type
class EditorialQueries(RevisionQueries, SearchQueries, WebhookQueries):
    pass


@strawberry.type
class EditorialMutations(RevisionMutations, SchedulingMutations, WebhookMutations):
    pass
