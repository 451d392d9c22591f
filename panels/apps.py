from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self):
        from cases.visibility import register_case_visibility_rule

        from .selectors import cases_on_agendas_of

        # Section 8: chairs and members see the cases on agendas of panels they sit on.
        register_case_visibility_rule(cases_on_agendas_of)
