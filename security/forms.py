from django import forms

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
