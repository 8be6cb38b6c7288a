"""Forms for the case list filter, opening a case for a new child, and changing a case's status.

Forms only parse and check the shape of input; the services own every rule (NHS number check
digit, dates in the past...) and their errors are put back on these fields by the views.
"""

from __future__ import annotations

from typing import Any

from django import forms

from safeshare.cases.models import OPEN_STATUSES, CaseStatus
from safeshare.people.models import DobPrecision, Sex
from safeshare.web.forms.dates import DateField

_ALL_STATUSES = ""
_DATE_FIELDS = ("date_of_birth", "expected_date")

OPEN_STATUS_CHOICES = [(s.value, s.label) for s in CaseStatus if s in OPEN_STATUSES]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="Search by name or case reference",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(_ALL_STATUSES, "All statuses"), *CaseStatus.choices],
    )

    def filters(self) -> dict[str, str]:
        """``query`` and ``status`` for the case_list selector (no filter when input is bad)."""
        if not self.is_valid():
            return {"query": "", "status": ""}
        return {"query": self.cleaned_data["q"], "status": self.cleaned_data["status"]}


# How the date of birth is known: the person_create arguments it means, and which date applies.
DOB_KNOWN = "known"
DOB_NOT_KNOWN = "not_known"
DOB_UNBORN = "unborn"
_DOB_ANSWERS: dict[str, tuple[dict[str, Any], frozenset[str]]] = {
    DOB_KNOWN: (
        {"dob_precision": DobPrecision.EXACT, "is_unborn": False},
        frozenset({"date_of_birth"}),
    ),
    DOB_NOT_KNOWN: ({"dob_precision": DobPrecision.UNKNOWN, "is_unborn": False}, frozenset()),
    DOB_UNBORN: (
        {"dob_precision": DobPrecision.UNKNOWN, "is_unborn": True},
        frozenset({"expected_date"}),
    ),
}

# The date a "Yes" or "not born yet" answer asks for (the conditional question's follow-up).
_DATE_ASKED_FOR: dict[str, tuple[str, str]] = {
    DOB_KNOWN: ("date_of_birth", "Enter the date of birth, or say it is not known"),
    DOB_UNBORN: ("expected_date", "Enter the expected date of delivery"),
}


class NewChildCaseForm(forms.Form):
    """Open a case for a child the agency does not hold yet (one page, one service call)."""

    given_name = forms.CharField(
        label="Given name",
        required=False,
        max_length=100,
        help_text="Leave blank for an unborn baby who has not been named",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    family_name = forms.CharField(
        label="Family name",
        max_length=100,
        error_messages={"required": "Enter the family name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    dob_known = forms.ChoiceField(
        label="Do you know the child's date of birth?",
        choices=[
            (DOB_KNOWN, "Yes"),
            (DOB_NOT_KNOWN, "No, it is not known"),
            (DOB_UNBORN, "The child is not born yet"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you know the child's date of birth"},
    )
    date_of_birth = DateField(
        label="Date of birth",
        subject="Date of birth",
        past=True,
        required=False,
        help_text="If you know it",
    )
    expected_date = DateField(
        label="Expected date of delivery",
        subject="Expected date of delivery",
        required=False,
        help_text="If the child is not born yet",
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex, or 'Not recorded'"},
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(
        label="Case status",
        choices=OPEN_STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the case status"},
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        asked_for = _DATE_ASKED_FOR.get(data.get("dob_known", ""))
        if asked_for is not None:
            name, message = asked_for
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, message)
        return data

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``case_open_for_new_child`` (call only when valid).

        Only the date that matches the answer about the date of birth is passed on.
        """
        data = self.cleaned_data
        precision, dates = _DOB_ANSWERS[data["dob_known"]]
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "sex": data["sex"],
            "nhs_number": data["nhs_number"],
            "status": data["status"],
            **precision,
            **{name: data[name] if name in dates else None for name in _DATE_FIELDS},
        }


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Case status",
        choices=CaseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the case status"},
    )
