from django import forms

from .two_factor import CODE_MISSING


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        max_length=32, strip=True, error_messages={"required": CODE_MISSING}, label="Code"
    )
