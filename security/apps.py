from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security and data protection"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login/session receivers)
