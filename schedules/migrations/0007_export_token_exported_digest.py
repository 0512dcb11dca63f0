"""Export tokens keep a bounded digest of the events their last export showed, so that the
events withdrawn from it are found without the cache (docs/exports.md#withdrawn-events)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("schedules", "0006_export_token_withdrawn_events")]

    operations = [
        migrations.AddField(
            model_name="exporttoken",
            name="exported_digest",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
