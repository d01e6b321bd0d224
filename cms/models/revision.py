"""Revisions: snapshots of a page and its whole section tree, taken on save and publish."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from cms.models.page import Page
from cms.models.user import User


class RevisionKind(StrEnum):
    SAVE = "SAVE"
    PUBLISH = "PUBLISH"
    RESTORE = "RESTORE"


class Revision(Model):
    id = fields.IntField(primary_key=True)
    page: fields.ForeignKeyRelation[Page] = fields.ForeignKeyField(
        "cms.Page", related_name="revisions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    kind = fields.CharEnumField(RevisionKind, max_length=16)
    page_version = fields.IntField()
    author_name = fields.CharField(max_length=100)
    # The signed-in user who saved it (null for token-only or older revisions).
    author_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "cms.User", related_name="revisions", null=True, on_delete=fields.SET_NULL
    )
    message = fields.CharField(max_length=500, null=True)
    content = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)

    page_id: int
    author_user_id: int | None

    class Meta:
        table = "revision"
        unique_together = (("page", "number"),)
        ordering = ("-number",)


class ScheduledAction(StrEnum):
    PUBLISH = "PUBLISH"
    UNPUBLISH = "UNPUBLISH"


class ScheduleState(StrEnum):
    PENDING = "PENDING"
    DONE = "DONE"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"


# A publish or unpublish due at run_at. A worker claims a job with an atomic update that
# leases it (leased_until) and marks it DONE in the transaction that publishes: a worker that
# dies mid-run leaves it PENDING, and another takes it over once the lease has expired.
class ScheduledJob(Model):
    id = fields.IntField(primary_key=True)
    page: fields.ForeignKeyRelation[Page] = fields.ForeignKeyField(
        "cms.Page", related_name="scheduled_jobs", on_delete=fields.CASCADE
    )
    action = fields.CharEnumField(ScheduledAction, max_length=16)
    run_at = fields.DatetimeField()
    state = fields.CharEnumField(ScheduleState, max_length=16, default=ScheduleState.PENDING)
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    executed_at = fields.DatetimeField(null=True)
    error = fields.TextField(null=True)
    # The snapshot of the working copy taken when the publish was scheduled: what goes live.
    revision: fields.ForeignKeyNullableRelation[Revision] = fields.ForeignKeyField(
        "cms.Revision", related_name="scheduled_jobs", null=True, on_delete=fields.CASCADE
    )
    leased_until = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)

    page_id: int
    revision_id: int | None

    class Meta:
        table = "scheduled_job"
        indexes = (("state", "run_at"), ("page_id", "run_at", "id"))
