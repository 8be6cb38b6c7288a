"""Identity search: the query form (posted, so that no personal data is ever in a URL)."""

from __future__ import annotations

from typing import Any

from django import forms

from safeshare.people.exceptions import NhsNumberInvalid
from safeshare.people.services import clean_nhs_number
from safeshare.web.forms.base import GovukForm, reason_field
from safeshare.web.forms.dates import DateField


class IdentitySearchForm(GovukForm):
    """Any of name, date of birth, postcode and NHS number; whether that is enough to search is
    the search service's rule (shown on the form when it refuses)."""

    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 999 000 0018",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    given_name = forms.CharField(label="Given name", required=False, max_length=100)
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = DateField(
        label="Date of birth", subject="Date of birth", past=True, required=False
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean_nhs_number(self) -> str:
        try:
            return clean_nhs_number(self.cleaned_data.get("nhs_number", ""))
        except NhsNumberInvalid as exc:
            raise forms.ValidationError(exc.message) from exc

    def query(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "nhs_number": data.get("nhs_number", ""),
            "given_name": data.get("given_name", ""),
            "family_name": data.get("family_name", ""),
            "date_of_birth": data.get("date_of_birth"),
            "postcode": data.get("postcode", ""),
        }


class DisputeForm(GovukForm):
    reason = reason_field(
        label="Why may this not be the same child?",
        help_text=(
            "For example, what the agency told you, or details that differ. A MASH officer "
            "reviews it. Kept encrypted and recorded; at least 10 characters."
        ),
        missing="Enter why this may not be the same child",
    )
