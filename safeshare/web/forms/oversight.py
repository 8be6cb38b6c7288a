"""Forms for oversight of the ledger: the history filter, marking notifications seen, the review
queue filter and recording a review."""

from __future__ import annotations

from django import forms

from safeshare.oversight.models import ReviewOutcome
from safeshare.oversight.selectors import RECORD_ACCESS_FILTERS
from safeshare.web.forms.base import GovukForm, choice_messages, required

QUEUE, REVIEWED = "queue", "reviewed"


class RecordAccessFilterForm(GovukForm):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=list(RECORD_ACCESS_FILTERS.items()),
        error_messages=choice_messages("Select what to show"),
    )

    def shown(self) -> str:
        """What to show ("all" when the input is missing or unknown)."""
        if not self.is_valid():
            return "all"
        return self.cleaned_data["show"] or "all"


class MarkSeenForm(GovukForm):
    up_to = forms.IntegerField(
        min_value=0, widget=forms.HiddenInput, error_messages=required("Nothing to mark as seen")
    )


class ReviewFilterForm(GovukForm):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[(QUEUE, "Waiting for review"), (REVIEWED, "Reviewed")],
    )

    def reviewed(self) -> bool:
        return self.is_valid() and self.cleaned_data["show"] == REVIEWED


class ReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Was this access appropriate?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether the access was appropriate"),
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Needed when the access was not appropriate or needs follow-up. Kept encrypted; "
            "only your agency's information governance officers can read it."
        ),
        error_messages={"max_length": "The note must be 5000 characters or fewer"},
    )
