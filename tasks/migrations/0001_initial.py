# TaskProgress, moved here from core. The model enters this app's state on the table core's 0001 created
# (core_taskprogress), then the table is renamed to tasks_taskprogress and its content type follows, so the
# rows, the admin's history of them and any permissions granted on them are kept.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def content_type_to_tasks(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _move_content_type(apps, schema_editor, "core", "tasks")


def content_type_to_core(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _move_content_type(apps, schema_editor, "tasks", "core")


def _move_content_type(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor, old_label: str,
                       new_label: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=new_label, model="taskprogress").exists():
        content_types.filter(app_label=old_label, model="taskprogress").update(app_label=new_label)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TaskProgress',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('kind', models.CharField(max_length=100, verbose_name='任务类型')),
                        ('label', models.CharField(max_length=200, verbose_name='任务')),
                        ('status', models.CharField(choices=[('queued', '排队中'), ('running', '进行中'), ('succeeded', '已完成'), ('failed', '失败')], default='queued', max_length=20, verbose_name='状态')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='已完成')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='总数')),
                        ('message', models.TextField(blank=True, verbose_name='说明')),
                        ('result', models.JSONField(blank=True, null=True, verbose_name='结果')),
                        ('task_result_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='更新时间')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '后台任务',
                        'verbose_name_plural': '后台任务',
                        'ordering': ['-created_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('done__lte', models.F('total')), ('total', 0), _connector='OR'), name='progress_done_within_total')],
                        'db_table': 'core_taskprogress',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='taskprogress', table=None),
        migrations.RunPython(content_type_to_tasks, content_type_to_core),
    ]
