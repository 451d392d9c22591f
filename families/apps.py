from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    """The family portal (issue 16): parents and young people see their requests online."""

    name = "families"

    def ready(self):
        from advice_requests.roles import register_family_respondent  # noqa: PLC0415
        from cases.extensions import register_case_page_section  # noqa: PLC0415
        from cases.services import (  # noqa: PLC0415
            register_creation_hook,
            register_transition_hook,
        )
        from notifications.sweep import register_sweep_source  # noqa: PLC0415

        from . import (
            messages,  # noqa: PLC0415
            selectors,  # noqa: PLC0415
        )
        from .case_page import family_portal_section  # noqa: PLC0415

        register_case_page_section(family_portal_section)
        register_creation_hook(messages.request_received)
        for transition in messages.TRANSITION_KINDS:
            register_transition_hook(transition, messages.decision_hook(transition))
        register_sweep_source("family", messages.sweep_family)
        register_family_respondent(selectors.family_may_give_views)
