"""Export tokens keep the cache key of the content they last showed and only the events withdrawn
from their exports (at most a thousand), instead of everything they last exported."""

from django.db import migrations, models

MAX_WITHDRAWN = 1000


def keep_withdrawn_only(apps, schema_editor):
    ExportToken = apps.get_model("schedules", "ExportToken")
    for token in ExportToken.objects.only("pk", "withdrawn_events").iterator():
        withdrawn = [event for event in token.withdrawn_events if event.get("cancelled_at")]
        if withdrawn != token.withdrawn_events:
            ExportToken.objects.filter(pk=token.pk).update(
                withdrawn_events=withdrawn[-MAX_WITHDRAWN:]
            )


class Migration(migrations.Migration):
    dependencies = [("schedules", "0005_shift_swaps")]

    operations = [
        migrations.RenameField("exporttoken", "exported_events", "withdrawn_events"),
        migrations.AddField(
            model_name="exporttoken",
            name="exported_key",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(keep_withdrawn_only, migrations.RunPython.noop),
    ]
