"""Forms for a case's chronology: its filters, and adding received items to one of our cases."""

from __future__ import annotations

from django import forms

from safeshare.core.vocabulary import InformationCategory
from safeshare.web.forms.base import GovukForm, choice_messages

ALL = "all"
OURS = "ours"
RECEIVED = "received"
# The order of a chronology everywhere: newest event first unless asked for the oldest first.
NEWEST = "newest"
OLDEST = "oldest"


class ChronologyFilterForm(GovukForm):
    """Which entries to show: by source (ours or received) and by category; and in which order
    (the "Show oldest first" link's ``order``, carried by the filter form as a hidden input)."""

    source = forms.ChoiceField(
        label="Source",
        required=False,
        choices=[(ALL, "All"), (OURS, "Our agency"), (RECEIVED, "Received from others")],
        error_messages=choice_messages("Select where the information came from"),
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "All categories"), *InformationCategory.choices],
        error_messages=choice_messages("Select a category"),
    )
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(NEWEST, "Newest first"), (OLDEST, "Oldest first")],
        widget=forms.HiddenInput,
        error_messages=choice_messages("Choose newest first or oldest first"),
    )

    def filters(self) -> dict[str, str]:
        """The chosen filters and order; none and newest first when the form is not valid."""
        if not self.is_valid():
            return {"source": ALL, "category": "", "order": NEWEST}
        return {
            "source": self.cleaned_data["source"] or ALL,
            "category": self.cleaned_data["category"],
            "order": self.cleaned_data["order"] or NEWEST,
        }
