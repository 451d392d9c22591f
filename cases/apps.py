from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from .case_page import documents_section  # noqa: PLC0415 - apps are loaded only now
        from .extensions import register_case_page_section  # noqa: PLC0415

        register_case_page_section(documents_section)
