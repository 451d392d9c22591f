from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self):
        """Plug the plan and the letters into the case lifecycle (sections 3, 11 and 12): the
        decision steps write letters, issuing a draft or the final plan freezes a version, and
        late consultations and unsent letters put a case at risk."""
        from cases import models as case_models  # noqa: PLC0415 - apps are loaded only now
        from cases.extensions import register_case_page_section  # noqa: PLC0415
        from notifications.sweep import register_sweep_source  # noqa: PLC0415

        from . import hooks  # noqa: PLC0415
        from .alerts import sweep_plans  # noqa: PLC0415
        from .case_page import plan_section  # noqa: PLC0415

        hooks.register()
        register_case_page_section(plan_section)
        register_sweep_source("plans", sweep_plans)
        for condition in (hooks.late_consultation_condition, hooks.unsent_letter_condition):
            if condition not in case_models.RISK_EXTRA_CONDITIONS:
                case_models.RISK_EXTRA_CONDITIONS.append(condition)
