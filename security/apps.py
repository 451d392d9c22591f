from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security and data protection"

    def ready(self):
        from cases.extensions import register_case_page_section

        from . import signals  # noqa: F401  (connects the login/session receivers)
        from .case_page import access_log_section

        register_case_page_section(access_log_section)
