"""Forms for signing in, the second factor and API tokens."""

from __future__ import annotations

from django import forms

from safeshare.web.forms.base import GovukForm, required

SIGN_IN_ERROR = "Enter a correct username and password"
CODE_FORMAT_ERROR = "Enter the security code as 6 digits"
CODE_WRONG_ERROR = "The security code is not correct or has expired"


class SignInForm(GovukForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages=required("Enter your username"),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages=required("Enter your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TokenForm(GovukForm):
    """A six-digit code from the practitioner's authenticator app."""

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=20,
        error_messages={
            "required": "Enter the security code",
            "max_length": CODE_FORMAT_ERROR,
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split())
        if len(token) != 6 or not token.isascii() or not token.isdigit():
            raise forms.ValidationError(CODE_FORMAT_ERROR)
        return token


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Name of the token",
        help_text="Say what will use it, for example 'Case system integration'",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
