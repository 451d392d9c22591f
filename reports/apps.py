from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports, SEN2 export and tracker import"

    def ready(self):
        """The deadline sweep also refreshes the dashboard's summary (decision 0160)."""
        from notifications.sweep import register_sweep_source  # noqa: PLC0415 - apps loaded now

        from .summary import dashboard_summary_refresh  # noqa: PLC0415

        register_sweep_source("dashboard", dashboard_summary_refresh)
