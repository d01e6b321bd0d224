from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('cms', '0003_editorial_live_and_search')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ScheduledJob',
            name='attempts',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='ScheduledJob',
            name='leased_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='ScheduledJob',
            name='revision',
            field=fields.ForeignKeyField('cms.Revision', source_field='revision_id', null=True, db_constraint=True, to_field='id', related_name='scheduled_jobs', on_delete=OnDelete.CASCADE),
        ),
    ]
