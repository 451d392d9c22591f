from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    """The family portal (issue 16): parents and young people see their requests online."""

    name = "families"

    def ready(self):
        from cases.extensions import register_case_page_section  # noqa: PLC0415

        from .case_page import family_portal_section  # noqa: PLC0415

        register_case_page_section(family_portal_section)
