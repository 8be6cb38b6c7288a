"""Forms for casework basics: a person's addresses and contact details, the people involved in a
case, and who is allocated to it.

Field names match the services' arguments (and the ``field`` their errors name), so a refused
write lands on the right input. The forms only parse; every rule stays in the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from safeshare.cases.models import (
    AllocationEndReason,
    AllocationRole,
    InvolvementEndReason,
    Relationship,
)
from safeshare.people.models import ContactKind, Sex
from safeshare.web.forms.base import GovukForm, choice_messages, required
from safeshare.web.forms.dates import DateField

Options = Sequence[tuple[str, str]]

_NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}


def _radios(label: str, choices: Options, message: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        error_messages=choice_messages(message),
        **kwargs,
    )


def _relationship() -> forms.ChoiceField:
    return _radios(
        "Their relationship to the child",
        Relationship.choices,
        "Select their relationship to the child",
    )


def _parental_responsibility() -> forms.BooleanField:
    return forms.BooleanField(
        label="They have parental responsibility for the child",
        required=False,
        help_text="Birth mothers always have it; fathers and others in the ways the law sets out",
    )


# --- Addresses and contact details ----------------------------------------------------------------


class AddressForm(GovukForm):
    lines = forms.CharField(
        label="Address",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="Building and street, town or city, on separate lines",
        error_messages={
            **required("Enter the address"),
            "max_length": "The address must be 500 characters or fewer",
        },
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
        error_messages={
            **required("Enter the postcode"),
            "max_length": "The postcode must be 10 characters or fewer",
        },
    )
    lived_from = DateField(
        label="Date they moved in",
        subject="Date they moved in",
        required=False,
        help_text="If you know it. Their current address, if any, ends on this date.",
    )
    is_protected = forms.BooleanField(
        label="This is a protected address",
        required=False,
        help_text=(
            "For example a refuge. It is never shared without a recorded reason, never with "
            "anyone recorded as an alleged perpetrator, and never shown in search results."
        ),
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "lines": data["lines"],
            "postcode": data["postcode"],
            "lived_from": data["lived_from"],
            "is_protected": data["is_protected"],
        }


class AddressEndForm(GovukForm):
    lived_to = DateField(
        label="Date they moved out",
        subject="Date they moved out",
        error_messages={"required": "Enter the date they moved out"},
    )


class ContactForm(GovukForm):
    kind = _radios("Type of contact detail", ContactKind.choices, "Select telephone or email")
    value = forms.CharField(
        label="Telephone number or email address",
        max_length=200,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
        error_messages={
            **required("Enter the telephone number or email address"),
            "max_length": "The contact detail must be 200 characters or fewer",
        },
    )
    is_protected = forms.BooleanField(
        label="These contact details are protected",
        required=False,
        help_text="For example a safe number for someone fleeing abuse",
    )


class ConfirmForm(GovukForm):
    """A page whose only answer is its button (the record and the action are in the URL)."""


# --- People involved in a case ----------------------------------------------------------------


class InvolvementForm(GovukForm):
    """Add a person the agency already holds to one of the cases the actor may edit."""

    case = _radios("Which case are they involved in?", (), "Select the case")
    relationship = _relationship()
    has_parental_responsibility = _parental_responsibility()

    def __init__(self, *args: Any, cases: Options = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = list(cases)
        field.empty_html = "There are no open cases you can add them to."  # type: ignore[attr-defined]


class NewPersonInvolvementForm(GovukForm):
    """Record someone new to the agency and add them to the case, on one page."""

    given_name = forms.CharField(
        label="Given name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
    )
    family_name = forms.CharField(
        label="Family name",
        max_length=100,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
        error_messages=required("Enter the family name"),
    )
    date_of_birth = DateField(
        label="Date of birth",
        subject="Date of birth",
        past=True,
        required=False,
        help_text="If you know it",
    )
    sex = _radios(
        "Sex", Sex.choices, "Select their sex, or 'Not recorded'", initial=Sex.NOT_RECORDED
    )
    relationship = _relationship()
    has_parental_responsibility = _parental_responsibility()


class InvolvementEndForm(GovukForm):
    reason = _radios(
        "Why are they no longer involved?",
        InvolvementEndReason.choices,
        "Select why they are no longer involved",
    )


# --- Allocations -------------------------------------------------------------------------------


def _practitioner_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, error_messages=choice_messages("Select the practitioner"))


class _PractitionerChoice(GovukForm):
    def __init__(self, *args: Any, practitioners: Options = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared by subclasses
        field.choices = [("", "Select a practitioner"), *practitioners]


class AllocationForm(_PractitionerChoice):
    practitioner = _practitioner_field("Practitioner")
    role = _radios(
        "Their role in the case",
        AllocationRole.choices,
        "Select their role in the case",
        initial=AllocationRole.ALLOCATED_WORKER,
    )


class ReallocationForm(_PractitionerChoice):
    practitioner = _practitioner_field("Who should take over the case?")
    reason = _radios(
        "Why is the case being reallocated?",
        AllocationEndReason.choices,
        "Select why the case is being reallocated",
    )


class AllocationEndForm(GovukForm):
    reason = _radios(
        "Why is the allocation ending?",
        AllocationEndReason.choices,
        "Select why the allocation is ending",
    )
