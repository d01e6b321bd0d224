from tortoise import migrations
from tortoise.migrations import operations as ops
from cms.models.token import Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('cms', '0006_read_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('display_name', fields.CharField(max_length=100)),
                ('role', fields.CharEnumField(description='EDITOR: EDITOR\nADMIN: ADMIN', enum_type=Role, max_length=16)),
                ('active', fields.BooleanField(default=True)),
                ('password_hash', fields.CharField(null=True, max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_sign_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'user_account', 'app': 'cms', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('cms.User', source_field='user_id', db_constraint=True, to_field='id', related_name='password_links', on_delete=OnDelete.CASCADE)),
                ('link_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'password_link', 'app': 'cms', 'pk_attr': 'id', 'table_description': 'A one-time link to choose a password (printed by ``cms user create``).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UserSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('cms.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('session_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ip', fields.CharField(null=True, max_length=45)),
                ('user_agent', fields.CharField(null=True, max_length=500)),
            ],
            options={'table': 'user_session', 'app': 'cms', 'indexes': [Index(fields=['user_id', 'ended_at'])], 'pk_attr': 'id', 'table_description': 'A signed-in browser. The cookie holds a random id, this row only its SHA-256, so a'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ApiToken',
            name='user',
            field=fields.ForeignKeyField('cms.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='api_tokens', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Comment',
            name='author_user',
            field=fields.ForeignKeyField('cms.User', source_field='author_user_id', null=True, db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Comment',
            name='moderated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Comment',
            name='moderated_by',
            field=fields.ForeignKeyField('cms.User', source_field='moderated_by_id', null=True, db_constraint=True, to_field='id', related_name='moderated_comments', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Revision',
            name='author_user',
            field=fields.ForeignKeyField('cms.User', source_field='author_user_id', null=True, db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Webhook',
            name='created_by_user',
            field=fields.ForeignKeyField('cms.User', source_field='created_by_user_id', null=True, db_constraint=True, to_field='id', related_name='webhooks', on_delete=OnDelete.SET_NULL),
        ),
    ]
