"""Forms for a case's chronology: its filters, and adding received items to one of our cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from safeshare.core.vocabulary import InformationCategory
from safeshare.web.forms.base import GovukForm, choice_messages

ALL = "all"
OURS = "ours"
RECEIVED = "received"


class ChronologyFilterForm(GovukForm):
    """Which entries to show: by source (ours or received) and by category."""

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

    def filters(self) -> dict[str, str]:
        """The chosen filters; none when the form is not valid."""
        if not self.is_valid():
            return {"source": ALL, "category": ""}
        return {
            "source": self.cleaned_data["source"] or ALL,
            "category": self.cleaned_data["category"],
        }


class AddToCaseForm(GovukForm):
    """One of the recipient's own open cases that they may edit."""

    case = forms.ChoiceField(
        label="Which of your cases is this child's?",
        error_messages=choice_messages("Select the case to add the information to"),
    )

    def __init__(self, *args: Any, cases: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "Select a case"), *cases]
