from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "forecasts"

    def ready(self):
        """A case forecast to miss week 20 is at risk with that reason (section 6's risk, issue
        19); the case page shows its forecast with its basis."""
        from cases import models as case_models  # noqa: PLC0415 - apps are loaded only now
        from cases.extensions import register_case_page_section  # noqa: PLC0415
        from cases.risk_reasons import register_risk_reason_provider  # noqa: PLC0415

        from .case_page import forecast_section  # noqa: PLC0415
        from .risk import forecast_to_miss_condition  # noqa: PLC0415
        from .risk_reasons import forecast_reason  # noqa: PLC0415

        register_case_page_section(forecast_section)
        register_risk_reason_provider(forecast_reason)
        if forecast_to_miss_condition not in case_models.RISK_EXTRA_CONDITIONS:
            case_models.RISK_EXTRA_CONDITIONS.append(forecast_to_miss_condition)
