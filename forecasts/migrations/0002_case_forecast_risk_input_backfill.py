"""Decision 0190: every case's forecast-to-miss flag from the stored forecasts, set-based. The
SQL is forecasts.risk_inputs.SYNC as of this migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forecasts", "0001_stage_durations_case_forecasts_capacity_backtest"),
        ("cases", "0012_case_risk_inputs"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                """
UPDATE cases_case SET forecast_to_miss = false
WHERE forecast_to_miss AND NOT EXISTS (
  SELECT 1 FROM forecasts_caseforecast f
  WHERE f.case_id = cases_case.id AND f.misses_final_plan
)
""",
                """
UPDATE cases_case SET forecast_to_miss = true
FROM forecasts_caseforecast f
WHERE f.case_id = cases_case.id AND f.misses_final_plan AND NOT cases_case.forecast_to_miss
""",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
