"""Notifications store their kind and context and render their text when read (decision 0072).

Rows recorded before keep their rendered text, renamed `stored_subject`/`stored_body`, and are
shown exactly as before; new rows leave it empty."""

from django.db import migrations, models

import notifications.messages


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_outbox_inbox_alert_state"),
    ]

    operations = [
        migrations.RenameField(
            model_name="notification", old_name="subject", new_name="stored_subject"
        ),
        migrations.RenameField(model_name="notification", old_name="body", new_name="stored_body"),
        migrations.AlterField(
            model_name="notification",
            name="stored_subject",
            field=models.CharField(
                blank=True,
                help_text="Text recorded before decision 0072; else empty.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="stored_body",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="context",
            field=models.JSONField(
                blank=True,
                decoder=notifications.messages.ContextDecoder,
                default=dict,
                encoder=notifications.messages.ContextEncoder,
                help_text="What the kind's templates are rendered with: safe fields only, no child data.",
            ),
        ),
    ]
