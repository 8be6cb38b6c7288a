"""Forms for MASH triage. Field names match the services' arguments (and the fields their
errors name), so a refused write lands on the right input. The rules stay in
``safeshare.mash.services``: these forms only parse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from safeshare.core.workdays import UK
from safeshare.mash.models import (
    ContactCategory,
    ContactOutcome,
    ContactSource,
    ContactStatus,
    ParentalAwareness,
    RagRating,
)
from safeshare.people.exceptions import NhsNumberInvalid
from safeshare.people.services import clean_nhs_number
from safeshare.web.forms.base import GovukForm, choice_messages, required
from safeshare.web.forms.dates import DateField
from safeshare.web.forms.times import TimeField

Options = Sequence[tuple[str, str]]


def _text(label: str, message: str, *, rows: int = 5, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=hint,
        error_messages=required(message),
    )


def _set_choices(form: forms.Form, name: str, options: Options, blank: str = "") -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared on the form
    field.choices = [("", blank), *options] if blank else list(options)


class ContactFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "All"), *ContactStatus.choices]
    )
    rating = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[
            ("", "All"),
            *[(r.value, r.value.title()) for r in RagRating],
            ("none", "Not rated"),
        ],
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"status": "", "rating": "", "overdue": False}
        return {
            "status": self.cleaned_data["status"],
            "rating": self.cleaned_data["rating"],
            "overdue": self.cleaned_data["overdue"],
        }


class ContactForm(GovukForm):
    """Record a contact or referral."""

    received_on = DateField(
        label="Date received",
        subject="Date received",
        past=True,
        error_messages=required("Enter the date the contact was received"),
    )
    received_time = TimeField(label="Time received", subject="time the contact was received")
    source = forms.ChoiceField(
        label="How was it received?",
        choices=ContactSource.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how the contact was received"),
    )
    referrer_agency = forms.ChoiceField(
        label="Referrer's agency",
        required=False,
        help_text="Leave empty for a member of the public",
    )
    referrer_name = forms.CharField(
        label="Referrer's name",
        max_length=200,
        error_messages=required("Enter who made the contact"),
    )
    referrer_role = forms.CharField(label="Referrer's role", required=False, max_length=200)
    referrer_contact = forms.CharField(
        label="How to contact the referrer", required=False, max_length=200
    )
    parental_awareness = forms.ChoiceField(
        label="Do the parents or carers know about this contact?",
        choices=ParentalAwareness.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages(
            "Select whether the parents or carers know about the contact"
        ),
    )
    awareness_reason = forms.CharField(
        label="Why do they not know, or not agree?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed unless they know and agree",
    )
    nhs_number = forms.CharField(
        label="Child's NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    given_name = forms.CharField(label="Child's given name", required=False, max_length=100)
    family_name = forms.CharField(label="Child's family name", required=False, max_length=100)
    date_of_birth = DateField(
        label="Child's date of birth", subject="Date of birth", past=True, required=False
    )
    postcode = forms.CharField(label="Child's postcode", required=False, max_length=10)
    category = forms.ChoiceField(
        label="Main concern",
        choices=ContactCategory.choices,
        error_messages=choice_messages("Select the main concern"),
    )
    concerns = _text(
        "What are the concerns?",
        "Describe the concerns",
        rows=6,
        hint="What the referrer saw or heard, and when. Say what is fact and what is opinion.",
    )
    assigned_to = forms.ChoiceField(label="MASH officer", required=False)

    def __init__(
        self, *args: Any, agencies: Options = (), officers: Options = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "referrer_agency", agencies, "Member of the public")
        _set_choices(self, "assigned_to", officers, "Me")

    def clean_nhs_number(self) -> str:
        try:
            return clean_nhs_number(self.cleaned_data.get("nhs_number", ""))
        except NhsNumberInvalid as exc:
            raise forms.ValidationError(exc.message) from exc

    def received_at(self) -> dt.datetime:
        """The date and time received, as UK wall-clock time."""
        day, time = self.cleaned_data["received_on"], self.cleaned_data["received_time"]
        return dt.datetime.combine(day, time, tzinfo=UK)


class EnquiryForm(GovukForm):
    partner_agencies = forms.MultipleChoiceField(
        label="Which partner agencies do you need to ask?",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one partner agency"),
    )
    information_sought = _text(
        "What do you need to know?",
        "Describe the information you need",
        hint="Only what you need to decide on the response: for example, call-outs to the "
        "address in the last 12 months",
    )
    justification = _text(
        "Why do you need it?",
        "Explain why you need it",
        hint="The partner agency sees this when deciding what to share",
    )

    def __init__(self, *args: Any, agencies: Options = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "partner_agencies", agencies)


class RatingForm(GovukForm):
    rating = forms.ChoiceField(
        label="RAG rating",
        choices=RagRating.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select a RAG rating"),
    )
    reasons = _text("Reasons for the rating", "Explain the rating")


WITHDRAW = "withdraw"
KEEP_OPEN = "keep_open"


class OutcomeForm(GovukForm):
    """The outcome, its reasons, the allocated worker (revealed under "already open") and, only
    while enquiries to partner agencies are still open, whether to withdraw them. Whether each
    outcome is allowed is the service's rule."""

    outcome = forms.ChoiceField(
        label="What is the outcome?",
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select the outcome"),
    )
    allocated_worker = forms.CharField(
        label="Allocated worker",
        required=False,
        max_length=200,
        help_text="Who the child's case is already allocated to, and their team",
    )
    reasons = _text(
        "Reasons for the outcome",
        "Explain the outcome",
        hint="What you weighed up, including what partner agencies told you",
    )
    withdraw_open_enquiries = forms.ChoiceField(
        label="Withdraw the enquiries still open?",
        choices=[
            (WITHDRAW, "Yes, withdraw them: the partner agencies no longer need to answer"),
            (KEEP_OPEN, "No, keep them open: their answers are still needed"),
        ],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether to withdraw the enquiries still open"),
    )

    def __init__(self, *args: Any, open_enquiries: Options = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        outcome.reveals = {ContactOutcome.ALREADY_OPEN.value: ["allocated_worker"]}  # type: ignore[attr-defined]
        if not open_enquiries:
            del self.fields["withdraw_open_enquiries"]
            return
        agencies = ", ".join(name for _, name in open_enquiries)
        count = len(open_enquiries)
        question = self.fields["withdraw_open_enquiries"]
        question.label = (
            f"{'1 enquiry' if count == 1 else f'{count} enquiries'} to partner agencies "
            "still open: withdraw them?"
        )
        question.help_text = f"Not answered yet: {agencies}"

    @property
    def revealed(self) -> frozenset[str]:
        """Fields rendered inside an option's reveal, not on their own."""
        return frozenset({"allocated_worker"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") != ContactOutcome.ALREADY_OPEN:
            # An answer inside a reveal belongs to its option (GOV.UK conditional reveal).
            cleaned["allocated_worker"] = ""
        return cleaned

    def withdraw(self) -> bool | None:
        """The answer for the service: None when there was no question."""
        if "withdraw_open_enquiries" not in self.fields:
            return None
        return bool(self.cleaned_data["withdraw_open_enquiries"] == WITHDRAW)
