from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from cases.services import register_assignment_hook
        from panels.services import AGENDA_PUBLISHED_HOOKS

        from .case_alerts import sweep_cases
        from .panel_alerts import agenda_published_notify
        from .services import case_assigned_notify
        from .sweep import register_sweep_source

        register_sweep_source("cases", sweep_cases)
        register_assignment_hook(case_assigned_notify)
        if agenda_published_notify not in AGENDA_PUBLISHED_HOOKS:
            AGENDA_PUBLISHED_HOOKS.append(agenda_published_notify)
