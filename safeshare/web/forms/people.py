"""The person search form."""

from __future__ import annotations

from django import forms


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name or NHS number",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def query(self) -> str:
        """The search words ("" when there are none or the input is unusable)."""
        if not self.is_valid():
            return ""
        value: str = self.cleaned_data["q"]
        return value
