from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        """A final plan issued here becomes an active plan (section 13); reviews join the
        deadline sweep (section 6)."""
        from cases.services import register_transition_hook  # noqa: PLC0415 - apps loaded now

        from .services import active_plan_from_final_plan  # noqa: PLC0415

        register_transition_hook("issue_final", active_plan_from_final_plan)
