from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        """The child and family section of the case page (section 10), through the same
        extension point other apps use."""
        from .extensions import register_case_page_section  # noqa: PLC0415 - apps loaded now
        from .family_views import family_section  # noqa: PLC0415

        register_case_page_section(family_section)
