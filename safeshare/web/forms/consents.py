"""Consent forms: record consent given, refused or not sought, and withdraw it.

Field names match the consent services' arguments (and the fields their errors name), so a
refused write lands on the right input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from safeshare.agencies.models import Agency, AgencyType
from safeshare.consent.models import ConsentMethod, GivenBy, NotSoughtReason
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.web.forms.base import GovukForm, choice_messages, required
from safeshare.web.forms.dates import DateField

GIVEN, REFUSED, NOT_SOUGHT = "given", "refused", "not-sought"


def _many(label: str, choices: Sequence[tuple[str, str]], hint: str = "") -> forms.Field:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=list(choices),
        widget=forms.CheckboxSelectMultiple,
        help_text=hint,
        error_messages=choice_messages("Select from the list"),
    )


class ConsentForm(GovukForm):
    """One form for the three kinds of record; ``kind`` keeps the fields that kind asks for."""

    given_by = forms.ChoiceField(
        label="Who gave or refused consent?",
        choices=GivenBy.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select who decided about consent"),
    )
    given_by_name = forms.CharField(
        label="Their name and relationship to the child",
        max_length=200,
        help_text="For example 'Fakemum Testington, mother'",
        error_messages=required("Enter the name of who decided about consent"),
    )
    competence_note = forms.CharField(
        label="Why the child is competent to decide",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when a competent child decides (Gillick or Fraser)",
    )
    method = forms.ChoiceField(
        label="How was it given or refused?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how consent was given or refused"),
    )
    evidence = forms.CharField(
        label="Where the evidence is kept",
        max_length=500,
        help_text="For example 'Signed form scanned to the case file'",
        error_messages=required("Enter where the evidence of consent is kept"),
    )
    not_sought_reason = forms.ChoiceField(
        label="Why was consent not sought?",
        choices=NotSoughtReason.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select why consent was not sought"),
    )
    not_sought_explanation = forms.CharField(
        label="Explain why, in this case",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Explain why consent was not sought in this case"),
    )
    purposes = _many("Purposes", SharingPurpose.choices, "What the information may be shared for")
    recipient_agencies = _many("Agencies", (), "Who the information may be shared with")
    recipient_agency_types = _many(
        "Types of agency", AgencyType.choices, "Or any agency of these types"
    )
    categories = _many("Categories of information", InformationCategory.choices)
    starts_on = DateField(
        label="Date consent starts",
        subject="Date consent starts",
        required=False,
        help_text="Leave empty for today",
    )
    expires_on = DateField(
        label="Date consent expires",
        subject="Date consent expires",
        future=True,
        error_messages=required("Enter the date the consent expires"),
    )
    refused_on = DateField(
        label="Date consent was refused",
        subject="Date consent was refused",
        past=True,
        required=False,
        help_text="Leave empty for today",
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    _FIELDS = {
        GIVEN: (
            "given_by",
            "given_by_name",
            "competence_note",
            "method",
            "evidence",
            "purposes",
            "recipient_agencies",
            "recipient_agency_types",
            "categories",
            "starts_on",
            "expires_on",
        ),
        REFUSED: (
            "given_by",
            "given_by_name",
            "competence_note",
            "method",
            "purposes",
            "recipient_agencies",
            "recipient_agency_types",
            "categories",
            "refused_on",
            "note",
        ),
        NOT_SOUGHT: (
            "not_sought_reason",
            "not_sought_explanation",
            "purposes",
            "recipient_agencies",
            "recipient_agency_types",
            "categories",
        ),
    }

    def __init__(self, *args: Any, kind: str, agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in self._FIELDS[kind]:
                del self.fields[name]
        if kind == GIVEN:
            for name in ("purposes", "categories"):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = (
                    f"Select at least one of the {name} the consent covers"
                )
        self._agencies = {str(agency.pk): agency for agency in agencies}
        cast(forms.MultipleChoiceField, self.fields["recipient_agencies"]).choices = [
            (key, agency.name) for key, agency in self._agencies.items()
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["recipient_agencies"] = [self._agencies[key] for key in data["recipient_agencies"]]
        if self.kind == NOT_SOUGHT:
            data["reason"] = data.pop("not_sought_reason")
            data["explanation"] = data.pop("not_sought_explanation")
        return data


class WithdrawForm(GovukForm):
    note = forms.CharField(
        label="How and why was consent withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who withdrew it, when and how",
        error_messages=required("Enter how and why consent was withdrawn"),
    )
