from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('cms', '0008_users_and_sessions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Asset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content_hash', fields.CharField(unique=True, max_length=64)),
                ('original_name', fields.CharField(max_length=255)),
                ('media_type', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('alt', fields.TextField(default='', unique=False)),
                ('caption', fields.TextField(default='', unique=False)),
                ('credit', fields.CharField(default='', max_length=300)),
                ('decorative', fields.BooleanField(default=False)),
                ('focal_x', fields.FloatField(null=True)),
                ('focal_y', fields.FloatField(null=True)),
                ('placeholder', fields.TextField(default='', unique=False)),
                ('uploader', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'asset', 'app': 'cms', 'indexes': [Index(fields=['created_at', 'id']), Index(fields=['media_type', 'created_at', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Page',
            name='cover_image',
            field=fields.ForeignKeyField('cms.Asset', source_field='cover_image_id', null=True, db_constraint=True, to_field='id', related_name='cover_of', on_delete=OnDelete.SET_NULL),
        ),
    ]
