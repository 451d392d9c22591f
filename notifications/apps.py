from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        """Plug the alert producers into the apps they watch (section 6): the cases and advice
        sweep sources, the assignment hook, the agenda-published hook, the digest's advice
        section."""
        from advice_requests.chase import register_chased_hook
        from cases.assignment import register_bulk_assignment_hook
        from cases.exception_services import register_exception_proposed_hook
        from cases.services import register_assignment_hook
        from panels.services import AGENDA_PUBLISHED_HOOKS

        from .advice_alerts import sweep_advice
        from .advice_digest import advice_overdue_by_service
        from .agenda_alerts import agenda_published_notify
        from .case_alerts import sweep_cases
        from .chase_alerts import advice_chased_notify
        from .digest import register_digest_section
        from .exception_alerts import exception_proposed_notify
        from .services import case_assigned_notify, cases_assigned_notify
        from .sweep import register_sweep_source

        register_sweep_source("cases", sweep_cases)
        register_sweep_source("advice", sweep_advice)
        register_assignment_hook(case_assigned_notify)
        register_bulk_assignment_hook(cases_assigned_notify)
        register_exception_proposed_hook(exception_proposed_notify)
        if agenda_published_notify not in AGENDA_PUBLISHED_HOOKS:
            AGENDA_PUBLISHED_HOOKS.append(agenda_published_notify)
        register_digest_section(advice_overdue_by_service)
        register_chased_hook(advice_chased_notify)

        from django.core import checks

        from .texts import check_text_settings

        checks.register(check_text_settings)
