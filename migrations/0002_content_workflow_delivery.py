from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from cms.models.revision import RevisionKind, ScheduleState, ScheduledAction
from cms.models.webhook import DeliveryStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('cms', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PersistedQuery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sha256', fields.CharField(unique=True, max_length=64)),
                ('document', fields.TextField(unique=False)),
                ('allow_listed', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'persisted_query', 'app': 'cms', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Revision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('page', fields.ForeignKeyField('cms.Page', source_field='page_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('kind', fields.CharEnumField(description='SAVE: SAVE\nPUBLISH: PUBLISH\nRESTORE: RESTORE', enum_type=RevisionKind, max_length=16)),
                ('page_version', fields.IntField()),
                ('author_name', fields.CharField(max_length=100)),
                ('message', fields.CharField(null=True, max_length=500)),
                ('content', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'revision', 'app': 'cms', 'unique_together': (('page', 'number'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScheduledJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('page', fields.ForeignKeyField('cms.Page', source_field='page_id', db_constraint=True, to_field='id', related_name='scheduled_jobs', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharEnumField(description='PUBLISH: PUBLISH\nUNPUBLISH: UNPUBLISH', enum_type=ScheduledAction, max_length=16)),
                ('run_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('state', fields.CharEnumField(default=ScheduleState.PENDING, description='PENDING: PENDING\nDONE: DONE\nCANCELLED: CANCELLED\nFAILED: FAILED', enum_type=ScheduleState, max_length=16)),
                ('created_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('executed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'scheduled_job', 'app': 'cms', 'indexes': [Index(fields=['state', 'run_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Webhook',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=2000)),
                ('events', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('secret', fields.CharField(max_length=128)),
                ('active', fields.BooleanField(default=True)),
                ('created_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook', 'app': 'cms', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('webhook', fields.ForeignKeyField('cms.Webhook', source_field='webhook_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('event', fields.CharField(max_length=100)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: PENDING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED', enum_type=DeliveryStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('response_status', fields.IntField(null=True)),
                ('error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'cms', 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Comment',
            name='author_ip',
            field=fields.CharField(null=True, max_length=45),
        ),
        ops.AddField(
            model_name='Comment',
            name='author_user_agent',
            field=fields.CharField(null=True, max_length=500),
        ),
        ops.AddField(
            model_name='Comment',
            name='edited_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['page_id', 'status', 'created_at']),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['author_email', 'status']),
        ),
        ops.AddField(
            model_name='Page',
            name='comments_open',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Page',
            name='live_revision_id',
            field=fields.IntField(null=True),
        ),
        ops.AddIndex(
            model_name='Section',
            index=Index(fields=['page_id', 'parent_id', 'position']),
        ),
    ]
