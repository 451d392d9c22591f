from django.apps import AppConfig


class AdviceRequestsConfig(AppConfig):
    name = "advice_requests"

    def ready(self):
        """Plug advice into the case lifecycle: agreeing to assess requests the advice chosen,
        and overdue advice puts a case at risk (sections 3, 4 and 6)."""
        from cases import models as case_models  # noqa: PLC0415 - apps are loaded only now
        from cases.extensions import (  # noqa: PLC0415
            register_case_page_section,
            register_case_readiness_provider,
            register_transition_detail_form,
        )
        from cases.services import register_transition_hook  # noqa: PLC0415

        from .case_page import advice_section, readiness_for_api  # noqa: PLC0415
        from .forms import advice_choice_form  # noqa: PLC0415
        from .hooks import (  # noqa: PLC0415
            cancel_advice_on_withdrawal,
            overdue_advice_condition,
            request_advice_on_agreement,
        )

        register_transition_hook("agree_to_assess", request_advice_on_agreement)
        register_transition_hook("withdraw", cancel_advice_on_withdrawal)
        register_transition_detail_form("agree_to_assess", advice_choice_form)
        register_case_page_section(advice_section)
        register_case_readiness_provider(readiness_for_api)
        if overdue_advice_condition not in case_models.RISK_EXTRA_CONDITIONS:
            case_models.RISK_EXTRA_CONDITIONS.append(overdue_advice_condition)
