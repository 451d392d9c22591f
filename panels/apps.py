from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self):
        from cases.risk_reasons import register_risk_reason_provider
        from cases.visibility import register_case_visibility_rule

        from .risk_reasons import rolled_off_reason
        from .selectors import cases_on_agendas_of

        # Section 8: chairs and members see the cases on agendas of panels they sit on.
        register_case_visibility_rule(cases_on_agendas_of)
        # Issue 14: the case page says which full agenda a case rolled off.
        register_risk_reason_provider(rolled_off_reason)
