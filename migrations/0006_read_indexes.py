from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('cms', '0005_comment_hardening')]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name='Comment',
            name=None,
            fields=['page_id', 'status', 'created_at'],
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['page_id', 'status', 'parent_id', 'created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['parent_id', 'status', 'created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['status', 'created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['status', 'published_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['status', 'created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['status', 'updated_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['status', 'live_title', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['published_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['updated_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Page',
            index=Index(fields=['title', 'id']),
        ),
        ops.AddIndex(
            model_name='ScheduledJob',
            index=Index(fields=['page_id', 'run_at', 'id']),
        ),
        ops.AddIndex(
            model_name='WebhookDelivery',
            index=Index(fields=['webhook_id', 'id']),
        ),
    ]
