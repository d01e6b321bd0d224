# Files besides images (issue 15): a kind, and no pixel size for files. Existing assets
# are images (the column's default).
from tortoise import migrations
from tortoise.migrations import operations as ops
from cms.models.asset import AssetKind
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('cms', '0010_comment_thread_path')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Asset',
            name='height',
            field=fields.IntField(null=True),
        ),
        ops.AlterField(
            model_name='Asset',
            name='width',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Asset',
            name='kind',
            field=fields.CharEnumField(default=AssetKind.IMAGE, description='IMAGE: image\nFILE: file', enum_type=AssetKind, max_length=8),
        ),
        ops.AddIndex(
            model_name='Asset',
            index=Index(fields=['kind', 'created_at', 'id']),
        ),
    ]
