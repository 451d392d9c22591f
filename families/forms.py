"""The family portal's forms: accepting an invitation and the emailed sign-in code. Messages in
plain words (GOV.UK content style), never Django's defaults."""

from django import forms

EMAIL_MISSING = "Enter the email address the invitation was sent to"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
PASSWORD_MISSING = "Enter a password"  # noqa: S105 - a message, not a secret
PASSWORDS_DIFFER = "The passwords do not match. Enter the same password twice"
CODE_MISSING = "Enter the code we sent to your email"
CODE_WRONG = "The code is not right or has ended. Check the email, or ask for a new code"
YOUNG_PERSON_EMAIL_MISSING = "Enter the young person's email address"


class AcceptInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": EMAIL_MISSING, "invalid": EMAIL_INVALID},
    )
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
    )
    password_again = forms.CharField(
        label="Enter the password again",
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in

    def clean(self):
        cleaned = super().clean()
        if self.signed_in:
            return cleaned
        password = cleaned.get("password")
        if not password:
            self.add_error("password", PASSWORD_MISSING)
        elif password != cleaned.get("password_again"):
            self.add_error("password_again", PASSWORDS_DIFFER)
        return cleaned


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=12, strip=True, error_messages={"required": CODE_MISSING}
    )


class YoungPersonInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Young person's email address",
        error_messages={"required": YOUNG_PERSON_EMAIL_MISSING, "invalid": EMAIL_INVALID},
    )


def error_items(form) -> list[dict]:
    """The GOV.UK error summary's links, one per message, to the field it belongs to."""
    items = []
    for name, messages in form.errors.items():
        anchor = f"#{form[name].id_for_label}" if name in form.fields else ""
        items.extend({"text": message, "href": anchor} for message in messages)
    return items
