"""The reviews sweep's overdue marks and the partial indexes it reads (decision 0196), and the
marks backfilled from the overdue alerts already recorded: one set-based UPDATE per kind, no
rows in Python, in SQL both PostgreSQL and SQLite (the local default) run. A mark is set only where the overdue notification of the row's current
milestone exists, as the sweep sets it."""

from django.db import migrations, models

#: Each joins a kind of row to its overdue notifications, one per (object, milestone) (each
#: recipient has its own row), by the milestone key the sweep builds ("name@YYYY-MM-DD").
BACKFILL = [
    """UPDATE reviews_review AS r
    SET overdue_alerted_milestone = r.next_milestone, overdue_alerted_due = r.next_milestone_due
    FROM (SELECT DISTINCT object_id, milestone FROM notifications_notification
      WHERE kind = 'review_overdue' AND level = 'overdue' AND object_type = 'review') n
    WHERE n.object_id = CAST(r.id AS text)
    AND n.milestone = r.next_milestone || '@' || CAST(r.next_milestone_due AS text)""",
    """UPDATE reviews_activeplan AS p SET review_overdue_alerted_on = p.review_due
    FROM (SELECT DISTINCT object_id, milestone FROM notifications_notification
      WHERE kind = 'review_overdue' AND level = 'overdue' AND object_type = 'active_plan') n
    WHERE n.object_id = CAST(p.id AS text)
    AND n.milestone = 'annual_review@' || CAST(p.review_due AS text)""",
    """UPDATE reviews_activeplan AS p SET transfer_overdue_alerted_on = p.phase_transfer_due
    FROM (SELECT DISTINCT object_id, milestone FROM notifications_notification
      WHERE kind = 'review_overdue' AND level = 'overdue' AND object_type = 'active_plan') n
    WHERE n.object_id = CAST(p.id AS text)
    AND n.milestone = 'phase_transfer@' || CAST(p.phase_transfer_due AS text)""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0008_alert_state_recheck_on"),
        ("reviews", "0002_review_letters_versions_and_section_e"),
    ]

    operations = [
        migrations.AddField(
            model_name="activeplan",
            name="review_overdue_alerted_on",
            field=models.DateField(
                blank=True, editable=False, help_text="The review date alerted overdue.", null=True
            ),
        ),
        migrations.AddField(
            model_name="activeplan",
            name="transfer_overdue_alerted_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The phase transfer date alerted overdue.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="overdue_alerted_due",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="review",
            name="overdue_alerted_milestone",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=32
            ),
        ),
        migrations.AddIndex(
            model_name="activeplan",
            index=models.Index(
                condition=models.Q(
                    ("ceased_on__isnull", True),
                    models.Q(("review_overdue_alerted_on", models.F("review_due")), _negated=True),
                ),
                fields=["review_due"],
                name="plan_review_due_owing",
            ),
        ),
        migrations.AddIndex(
            model_name="activeplan",
            index=models.Index(
                condition=models.Q(
                    ("ceased_on__isnull", True),
                    ("phase_transfer_due__isnull", False),
                    ("phase_transfer_named_on__isnull", True),
                    models.Q(
                        ("transfer_overdue_alerted_on", models.F("phase_transfer_due")),
                        _negated=True,
                    ),
                ),
                fields=["phase_transfer_due"],
                name="plan_transfer_due_owing",
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                condition=models.Q(
                    ("next_milestone_due__isnull", False),
                    (
                        "status__in",
                        [
                            "scheduled",
                            "invitations_sent",
                            "meeting_held",
                            "report_received",
                            "amending",
                            "amendments_proposed",
                            "cease_proposed",
                            "cease_consulted",
                        ],
                    ),
                    models.Q(
                        models.Q(
                            ("overdue_alerted_due", models.F("next_milestone_due")), _negated=True
                        ),
                        models.Q(
                            ("overdue_alerted_milestone", models.F("next_milestone")), _negated=True
                        ),
                        _connector="OR",
                    ),
                ),
                fields=["next_milestone_due"],
                name="review_milestone_owing",
            ),
        ),
        *[migrations.RunSQL(sql, reverse_sql=migrations.RunSQL.noop) for sql in BACKFILL],
    ]
