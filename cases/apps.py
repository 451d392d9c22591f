from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        """The child and family, and the case's documents, on the case page (section 10),
        through the same extension point other apps use."""
        from .case_page import documents_section  # noqa: PLC0415 - apps are loaded only now
        from .extensions import register_case_page_section  # noqa: PLC0415
        from .family_views import family_section  # noqa: PLC0415

        register_case_page_section(family_section)
        register_case_page_section(documents_section)
