"""Forms for agency administration: removing a role, ending a case allocation, deactivating and
reactivating a practitioner. Each asks why, from a fixed list (the code goes into the ledger
entry), with a note (required for "another reason"; the service holds that rule and keeps the
note sealed)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from safeshare.agencies.models import DeactivationReason, ReactivationReason, RoleRemovalReason
from safeshare.cases.models import AllocationEndReason
from safeshare.web.forms.base import GovukForm, choice_messages

NOTE_HINT = (
    "Required if you chose another reason. Kept with the practitioner's record, where other "
    "administrators can read it"
)


def _reason(label: str, choices: list[tuple[str, str]], missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages(missing),
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HINT,
        error_messages={"max_length": "The note must be 1000 characters or fewer"},
    )


class RoleRemovalForm(GovukForm):
    reason = _reason(
        "Why are you removing this role?",
        RoleRemovalReason.choices,
        "Select why you are removing this role",
    )
    note = _note()


class AllocationEndForm(GovukForm):
    reason = _reason(
        "Why is this allocation ending?",
        AllocationEndReason.choices,
        "Select why the allocation is ending",
    )


class DeactivationForm(GovukForm):
    reason = _reason(
        "Why are you deactivating this practitioner?",
        DeactivationReason.choices,
        "Select why you are deactivating this practitioner",
    )
    note = _note()


class ReactivationForm(GovukForm):
    reason = _reason(
        "Why are you reactivating this practitioner?",
        ReactivationReason.choices,
        "Select why you are reactivating this practitioner",
    )
    note = _note()
    roles = forms.MultipleChoiceField(
        label="Roles they come back with",
        help_text="None of their previous roles comes back unless you select it here",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select only roles you can give"),
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = roles
