"""The Merkle tree's tables: leaves, signed tree heads and the sealer's row (audit/models.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditLeaf',
            fields=[
                ('index', models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name='叶子序号')),
                ('hash', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': '审计叶子',
                'verbose_name_plural': '审计叶子',
                'ordering': ['index'],
            },
        ),
        migrations.CreateModel(
            name='AuditSealer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.PositiveBigIntegerField(default=0)),
                ('frontier', models.JSONField(default=list)),
                ('seen_xmax', models.BigIntegerField(default=0)),
                ('seen_running', models.JSONField(default=list)),
                ('last_entry_id', models.BigIntegerField(default=0)),
                ('sealed_at', models.DateTimeField(blank=True, null=True)),
                ('last_batch', models.PositiveIntegerField(default=0)),
                ('last_lag_ms', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='AuditTreeHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.PositiveBigIntegerField(unique=True, verbose_name='叶子数')),
                ('root_hash', models.CharField(max_length=64)),
                ('timestamp', models.DateTimeField(verbose_name='时间')),
                ('key_id', models.CharField(max_length=64)),
                ('signature', models.CharField(max_length=128)),
            ],
            options={
                'verbose_name': '签名树头',
                'verbose_name_plural': '签名树头',
                'ordering': ['tree_size'],
            },
        ),
        migrations.AddField(
            model_name='auditleaf',
            name='entry',
            field=models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='leaf', to='audit.auditentry', verbose_name='审计记录'),
        ),
        migrations.AddConstraint(
            model_name='auditsealer',
            constraint=models.CheckConstraint(condition=models.Q(('id', 1)), name='audit_sealer_single_row'),
        ),
    ]
