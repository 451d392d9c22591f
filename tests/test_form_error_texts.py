"""Issue 14: no form shows Django's default error texts ("This field is required.", "Select a
valid choice.", "Ensure this value has at most ..."): each says what went wrong in the words of
its own label. Every form of the pages is built here and each field's messages compared with
Django's defaults for that kind of field."""

import pytest
from django import forms
from django.core.validators import MaxLengthValidator

from advice_requests.forms import AdviceChoiceForm, ReasonForm, SubmissionForm
from notifications.forms import EmailPreferencesForm
from panels.forms import AddCaseForm, OutcomeForm
from panels.models import PanelType
from reports.forms import TrackerUploadForm
from security.forms import SecondFactorForm, SignInForm
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

#: The case page's own forms (cases/forms.py) are being reworded on another branch of issue 14
#: (usability-cases); add them here when it is merged.


def django_defaults(field) -> dict[str, str]:
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def default_texts_in(form) -> list[str]:
    """Each field message a page could show that is still Django's own."""
    found = []
    for name, field in form.fields.items():
        defaults = django_defaults(field)
        for key, message in field.error_messages.items():
            if key == "required" and not field.required:
                continue
            if defaults.get(key) == message:
                found.append(f"{type(form).__name__}.{name}: {key}")
        has_limit = any(isinstance(v, MaxLengthValidator) for v in field.validators)
        if has_limit and "max_length" not in field.error_messages:
            found.append(f"{type(form).__name__}.{name}: max_length")
    return found


def page_forms():
    return [
        AddCaseForm(),
        OutcomeForm(panel_type=PanelType.NAP),
        OutcomeForm(panel_type=PanelType.STATUTORY),
        AdviceChoiceForm(case=make_case()),
        ReasonForm(),
        SubmissionForm(),
        SecondFactorForm(),
        SecondFactorForm(setup=True),
        SignInForm(),
        TrackerUploadForm(),
        EmailPreferencesForm(),
    ]


def test_no_form_keeps_a_django_default_error_text():
    found = [text for form in page_forms() for text in default_texts_in(form)]
    assert not found, "\n".join(found)


def test_the_check_finds_a_default_text():
    class Plain(forms.Form):
        name = forms.CharField(max_length=10)

    assert default_texts_in(Plain()) == ["Plain.name: required", "Plain.name: max_length"]


def test_the_sign_in_page_says_what_is_missing(client):
    page = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page
    assert "Enter your password" in page
    assert "This field is required." not in page
    wrong = client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    assert "The username or password is not right" in wrong.content.decode()
