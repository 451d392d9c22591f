from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .two_factor import CODE_MISSING, SETUP_CODE_MISSING


class SecondFactorForm(forms.Form):
    """The code that signs a user in: from the authenticator app, or a recovery code (not when
    setting up the authenticator: `setup=True`)."""

    code = forms.CharField(
        max_length=32,
        strip=True,
        error_messages={"required": CODE_MISSING, "max_length": CODE_MISSING},
        label="Code",
    )

    def __init__(self, *args, setup: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if setup:
            self.fields["code"].error_messages.update(
                {"required": SETUP_CODE_MISSING, "max_length": SETUP_CODE_MISSING}
            )


USERNAME_MISSING = "Enter your username"
PASSWORD_MISSING = "Enter your password"  # noqa: S105 - a message, not a password
SIGN_IN_WRONG = "The username or password is not right: check them and try again"


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the page's own words (never "This field is required.")."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": SIGN_IN_WRONG,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages.update(
            {"required": USERNAME_MISSING, "max_length": SIGN_IN_WRONG}
        )
        self.fields["password"].error_messages.update({"required": PASSWORD_MISSING})
