"""A skill links to the catalogue's occupation (issue 12 item 1)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0001_initial'),
        ('competitions', '0010_board_freeze'),
    ]

    operations = [
        migrations.AddField(
            model_name='skill',
            name='occupation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='certification.occupation', verbose_name='职业目录中的职业'),
        ),
    ]
