"""Where other apps plug into the case page and the case API, so `cases` imports no other app.

- `TRANSITION_DETAIL_FORMS[transition]`: `factory(case=, data=None) -> form`. The form is
  shown inside that step's form on the case page and validated with it; `form.details()` is
  passed to `case_transition(details=...)` (for example the advice chosen when agreeing to
  assess); `form.template_name` renders its fields.
- `CASE_PAGE_SECTIONS`: `section(request=, case=, today=) -> (template_name, context) | None`,
  rendered on the case page after the timeline, in registration order.
- `CASE_READINESS_PROVIDERS`: `provider(case=, today=) -> dict` with `ready` and `outstanding`
  (section 4: is the case ready for the statutory panel, and what is still owed).
"""

from __future__ import annotations

TRANSITION_DETAIL_FORMS: dict = {}
CASE_PAGE_SECTIONS: list = []
CASE_READINESS_PROVIDERS: list = []


def register_transition_detail_form(transition: str, factory) -> None:
    TRANSITION_DETAIL_FORMS[transition] = factory


def register_case_page_section(section) -> None:
    if section not in CASE_PAGE_SECTIONS:
        CASE_PAGE_SECTIONS.append(section)


def register_case_readiness_provider(provider) -> None:
    if provider not in CASE_READINESS_PROVIDERS:
        CASE_READINESS_PROVIDERS.append(provider)


def case_readiness(*, case, today) -> dict | None:
    """The registered provider's answer (None when no app provides one)."""
    for provider in CASE_READINESS_PROVIDERS:
        return provider(case=case, today=today)
    return None
