from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('cms', '0004_scheduled_job_lease')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CommentFormTokenUse',
            fields=[
                ('token_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('used_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'comment_form_token_use', 'app': 'cms', 'pk_attr': 'token_id', 'table_description': 'A comment form token that has posted its comment: each token posts one. Rows older'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Comment',
            name='duplicate_key',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
    ]
