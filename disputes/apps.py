from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "disputes"

    def ready(self):
        """Plug disputes into the case page, the case lifecycle and the deadline sweep
        (section 14), and open the appeal window of a review's decision (reviews' step hooks),
        through the hooks those apps offer."""
        from cases.extensions import register_case_page_section  # noqa: PLC0415
        from cases.services import register_transition_hook  # noqa: PLC0415
        from notifications.sweep import register_sweep_source  # noqa: PLC0415
        from reviews.plan_documents import register_review_letters_sent_hook  # noqa: PLC0415
        from reviews.services import register_review_transition_hook  # noqa: PLC0415

        from .alerts import sweep_disputes  # noqa: PLC0415
        from .case_page import disputes_section  # noqa: PLC0415
        from .hooks import HOOKS, REVIEW_HOOKS, open_review_window_when_sent  # noqa: PLC0415

        register_case_page_section(disputes_section)
        for transition, hook in HOOKS.items():
            register_transition_hook(transition, hook)
        for transition, hook in REVIEW_HOOKS.items():
            register_review_transition_hook(transition, hook)
        register_review_letters_sent_hook(open_review_window_when_sent)
        register_sweep_source("disputes", sweep_disputes)
