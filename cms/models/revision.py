"""Revisions: snapshots of a page and its whole section tree, taken on save and publish."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from cms.models.page import Page


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
    message = fields.CharField(max_length=500, null=True)
    content = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)

    page_id: int

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


# A publish or unpublish due at run_at. Workers claim a job with an atomic update of its
# state, so it runs exactly once however many processes are polling.
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

    page_id: int

    class Meta:
        table = "scheduled_job"
        indexes = (("state", "run_at"),)
