"""Forms for oversight of the ledger: the history filter, marking notifications seen, the review
queue filter and recording a review."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from safeshare.oversight.models import ReviewOutcome
from safeshare.oversight.selectors import (
    RECORD_ACCESS_FILTERS,
    SYSTEM_ACTOR,
    RecordAccessChoices,
    RecordAccessFilters,
)
from safeshare.web.forms.base import (
    GovukForm,
    choice_messages,
    required,
)
from safeshare.web.forms.dates import DateField

QUEUE, REVIEWED = "queue", "reviewed"
GROUPED, EACH = "grouped", "each"


class RecordAccessFilterForm(GovukForm):
    """Who has seen or changed a record: what to show, grouped by person, day and kind of access
    or every entry on its own, between two days, by agency, person and kind. The people,
    agencies and kinds offered are those in the record's history (``choices``)."""

    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=list(RECORD_ACCESS_FILTERS.items()),
        error_messages=choice_messages("Select what to show"),
    )
    view = forms.ChoiceField(
        label="List",
        required=False,
        choices=[
            (GROUPED, "Grouped by person, day and kind of access"),
            (EACH, "Every entry on its own"),
        ],
        error_messages=choice_messages("Select how to list the entries"),
    )
    date_from = DateField(
        label="Date from",
        subject="Date from",
        past=True,
        required=False,
        help_text="The first day to show",
    )
    date_to = DateField(
        label="Date to",
        subject="Date to",
        required=False,
        help_text="The last day to show",
    )
    agency = forms.ChoiceField(
        label="Agency",
        required=False,
        error_messages=choice_messages("Select an agency from the list"),
    )
    person = forms.ChoiceField(
        label="Person",
        required=False,
        error_messages=choice_messages("Select a person from the list"),
    )
    kind = forms.ChoiceField(
        label="Kind of access",
        required=False,
        error_messages=choice_messages("Select a kind of access from the list"),
    )

    def __init__(self, *args: Any, choices: RecordAccessChoices | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offered = choices or RecordAccessChoices(agencies=(), people=(), kinds=())
        for name, everyone, pairs in (
            ("agency", "All agencies", offered.agencies),
            ("person", "Everyone", offered.people),
            ("kind", "Every kind", offered.kinds),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
            field.choices = [("", everyone), *pairs]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned

    def shown(self) -> str:
        """What to show ("all" when the input is missing or unknown), read before the record's
        history is known (and recorded with the read of the page)."""
        value = self.data.get("show", "")
        return value if value in RECORD_ACCESS_FILTERS else "all"

    def grouped(self) -> bool:
        """Grouped unless asked for every entry (grouped too when the form is not valid)."""
        return not (self.is_valid() and self.cleaned_data["view"] == EACH)

    def filters(self) -> RecordAccessFilters:
        """The filters chosen; only what to show when the form is not valid."""
        if not self.is_valid():
            return RecordAccessFilters(show=self.shown())
        data = self.cleaned_data
        person = data["person"]
        return RecordAccessFilters(
            show=data["show"] or "all",
            date_from=data["date_from"],
            date_to=data["date_to"],
            agency_id=uuid.UUID(data["agency"]) if data["agency"] else None,
            actor=(person if person == SYSTEM_ACTOR else uuid.UUID(person)) if person else None,
            event_code=int(data["kind"]) if data["kind"] else None,
        )


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
