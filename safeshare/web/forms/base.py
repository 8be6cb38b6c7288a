"""The base for every web form: GOV.UK error wording and rendering through components/field.html."""

from __future__ import annotations

from typing import Any

from django import forms


class GovukForm(forms.Form):
    """A form rendered field by field with ``components/field.html``.

    Subclasses give each field GOV.UK-style error messages ("Enter ...", "Select ...") through
    the helpers below; the rules of the domain stay in the services, whose errors are added to
    the form with ``safeshare.web.views.base.render_domain_error``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def required(message: str) -> dict[str, str]:
    """Error messages for a required field."""
    return {"required": message}


def choice_messages(message: str) -> dict[str, str]:
    """Error messages for a choice field: one message for missing and for unknown choices."""
    return {"required": message, "invalid_choice": message, "invalid_list": message}


def reason_field(*, label: str, help_text: str, missing: str) -> forms.CharField:
    """A required free-text reason of up to 1000 characters (kept encrypted by the service that
    records it; the service also holds the minimum length)."""
    return forms.CharField(
        label=label,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={
            **required(missing),
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )
