"""Forms for the clerical review queue: the queue filter and the decision on a pair."""

from __future__ import annotations

from django import forms

from safeshare.linkage.models import PairStatus
from safeshare.web.forms.base import GovukForm, choice_messages, reason_field

SAME, DIFFERENT = "yes", "no"


class QueueFilterForm(GovukForm):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (PairStatus.PENDING, "Waiting for review"),
            (PairStatus.CONFIRMED, "Decided: same person"),
            (PairStatus.REJECTED, "Decided: not the same person"),
        ],
    )

    def status(self) -> str:
        """The status to list ("pending" when the input is missing or unknown)."""
        if not self.is_valid():
            return PairStatus.PENDING
        return self.cleaned_data["show"] or PairStatus.PENDING


class PairDecisionForm(GovukForm):
    same_person = forms.ChoiceField(
        label="Are these the same person?",
        choices=[(SAME, "Yes"), (DIFFERENT, "No")],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select yes if these records are the same person"),
    )
    reason = reason_field(
        label="Why did you decide this?",
        help_text=(
            "For example, what you checked and with whom. Kept encrypted and recorded with "
            "your decision; at least 10 characters."
        ),
        missing="Enter why you decided this",
    )


class ReopenForm(GovukForm):
    reason = reason_field(
        label="Why should this decision be made again?",
        help_text=(
            "For example, what new information shows the decision was wrong. Kept encrypted and "
            "recorded; at least 10 characters."
        ),
        missing="Enter why the decision should be made again",
    )
