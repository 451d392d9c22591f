from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        """A final plan issued here becomes an active plan (section 13); reviews join the
        deadline sweep (section 6); a review's letters, once sent, date its decision."""
        from cases.extensions import register_case_page_section  # noqa: PLC0415 - apps loaded now
        from cases.services import register_transition_hook  # noqa: PLC0415
        from notifications.sweep import register_sweep_source  # noqa: PLC0415
        from plans.letters import register_notice_sent_hook  # noqa: PLC0415
        from security.access_log import register_logged_route  # noqa: PLC0415

        from .alerts import sweep_reviews  # noqa: PLC0415
        from .case_page import plan_section  # noqa: PLC0415
        from .plan_documents import review_letters_sent  # noqa: PLC0415
        from .services import active_plan_from_final_plan  # noqa: PLC0415
        from .views import logged_plan, logged_plan_of_review  # noqa: PLC0415

        register_transition_hook("issue_final", active_plan_from_final_plan)
        register_notice_sent_hook(review_letters_sent)
        register_sweep_source("reviews", sweep_reviews)
        register_case_page_section(plan_section)
        register_logged_route("reviews:plan", "active plan page", logged_plan)
        register_logged_route("reviews:review", "review page", logged_plan_of_review)
        register_logged_route("reviews:school-report", "review report page", logged_plan_of_review)
