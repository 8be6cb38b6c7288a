"""Forms for the administration pages: agencies, information sharing agreements, practitioners.

The forms check the shape of the input (present, a number, a date, a known choice); the services
check the rules (two parties, review after start, unique names, password strength).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from safeshare.agencies.models import Agency, AgencyType, AgreementStatus, Role
from safeshare.consent.lawful_bases import CATALOGUE as LAWFUL_BASIS_CATALOGUE
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.web.forms.base import GovukForm, choice_messages, required
from safeshare.web.forms.dates import DateField

# The lawful bases an agreement may cite (UK GDPR articles and the Data Protection Act 2018).
LAWFUL_BASES: list[tuple[str, str]] = [
    (entry.code, f"{entry.citation}: {entry.title[:1].lower()}{entry.title[1:]}")
    for entry in LAWFUL_BASIS_CATALOGUE
]
LAWFUL_BASIS_LABELS = dict(LAWFUL_BASES)


def _model_choice_messages(message: str) -> dict[str, str]:
    return {
        "required": message,
        "invalid_choice": message,
        "invalid_pk_value": message,
        "invalid_list": message,
    }


class AgencyForm(GovukForm):
    name = forms.CharField(
        label="Name of the agency",
        max_length=200,
        error_messages={
            "required": "Enter the agency's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    agency_type = forms.ChoiceField(
        label="Type of agency",
        choices=AgencyType.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select the type of agency"),
    )
    local_authority_area = forms.CharField(
        label="Local authority area",
        max_length=100,
        error_messages={
            "required": "Enter the local authority area",
            "max_length": "Local authority area must be 100 characters or fewer",
        },
    )
    ods_code = forms.CharField(
        label="ODS code or school URN",
        help_text="For NHS organisations the ODS code; for schools the unique reference number",
        max_length=20,
        required=False,
        error_messages={"max_length": "Code must be 20 characters or fewer"},
    )


class AgreementForm(GovukForm):
    reference = forms.CharField(
        label="Reference",
        help_text="For example ISA-TESTSHIRE-001",
        max_length=40,
        error_messages={
            "required": "Enter a reference",
            "max_length": "Reference must be 40 characters or fewer",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    parties = forms.ModelMultipleChoiceField(
        label="Parties to the agreement",
        help_text="Your own agency is always a party",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_model_choice_messages("Select the agencies that are party to it"),
    )
    purposes = forms.MultipleChoiceField(
        label="Purposes of sharing",
        choices=SharingPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one purpose"),
    )
    data_categories = forms.MultipleChoiceField(
        label="Categories of information shared",
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one data category"),
    )
    lawful_bases = forms.MultipleChoiceField(
        label="Lawful bases",
        choices=LAWFUL_BASES,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one lawful basis"),
    )
    retention_days = forms.IntegerField(
        label="Retention period in days",
        help_text="How long each party keeps information shared under the agreement",
        min_value=1,
        max_value=36500,
        error_messages={
            "required": "Enter the retention period in days",
            "invalid": "Retention period must be a whole number of days",
            "min_value": "Retention period must be at least one day",
            "max_value": "Retention period must be 36500 days or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    start_date = DateField(label="Start date", subject="Start date")
    review_date = DateField(label="Review date", subject="Review date")
    end_date = DateField(label="End date", subject="End date", required=False)
    dpia_reference = forms.CharField(
        label="DPIA reference",
        help_text="The reference of the data protection impact assessment",
        max_length=60,
        required=False,
        error_messages={"max_length": "DPIA reference must be 60 characters or fewer"},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = self.fields["parties"]
        assert isinstance(parties, forms.ModelMultipleChoiceField)  # noqa: S101
        parties.queryset = agencies


class AgreementStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="New status",
        choices=AgreementStatus.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select the new status"),
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Reason must be 1000 characters or fewer"},
    )


class PractitionerForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        error_messages=_model_choice_messages("Select the practitioner's agency"),
    )
    username = forms.CharField(
        label="Username",
        help_text="Used to sign in; letters, numbers and full stops, for example jo.bloggs",
        max_length=150,
        error_messages={
            "required": "Enter a username",
            "max_length": "Username must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    given_name = forms.CharField(
        label="Given name",
        max_length=100,
        error_messages={
            "required": "Enter the given name",
            "max_length": "Given name must be 100 characters or fewer",
        },
    )
    family_name = forms.CharField(
        label="Family name",
        max_length=100,
        error_messages={
            "required": "Enter the family name",
            "max_length": "Family name must be 100 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=150,
        required=False,
        error_messages={"max_length": "Job title must be 150 characters or fewer"},
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select at least one role"),
    )
    password = forms.CharField(
        label="Initial password",
        help_text=(
            "At least 12 characters, not a common password. Give it to the practitioner "
            "securely; they set up their authenticator app when they first sign in."
        ),
        strip=False,
        error_messages=required("Enter an initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency] | None,
        roles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        """``agencies``: None when the agency is the actor's own; ``roles``: the roles offered."""
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            agency = self.fields["agency"]
            assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
            agency.queryset = agencies
        role_field = self.fields["roles"]
        assert isinstance(role_field, forms.MultipleChoiceField)  # noqa: S101
        role_field.choices = roles


class AuthenticatorResetForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        help_text="For example, lost or replaced phone. Kept with the practitioner's record",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for resetting the authenticator app",
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )
