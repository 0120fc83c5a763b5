"""Every API token expires (issue 9 item 8): a token made without an expiry now expires a year after it was made
(accounts.tokens.MAX_DAYS), so one older than that stops working when this migration runs."""

from datetime import timedelta

from django.db import migrations, models


def give_every_token_an_expiry(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + timedelta(days=365))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_supervisor_role")]

    operations = [
        migrations.RunPython(give_every_token_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField(verbose_name="过期时间"),
        ),
    ]
