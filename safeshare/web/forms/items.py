"""The information item form: one class for recording an item and for correcting it.

Field names match the ``item_create`` / ``item_update`` arguments, so a refused write's
``DomainError.field`` lands on the right input.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms

from safeshare.cases.models import Case, FactOrOpinion, HowKnown, InformationItem
from safeshare.core.vocabulary import InformationCategory, SpecialCategory
from safeshare.people.models import Person
from safeshare.web.forms.dates import DateField

# The "not special category" choice is the empty string in the model; a visible value keeps the
# select answerable (an empty value would read as "nothing chosen").
_NOT_SPECIAL = "none"
_SPECIAL_CHOICES = [(value or _NOT_SPECIAL, label) for value, label in SpecialCategory.choices]
_SPECIAL_FROM_FORM = {value or _NOT_SPECIAL: value for value in SpecialCategory.values}

_BOOLEAN_FIELDS = ("criminal_offence_data", "is_confidential", "third_party_protected")
_TEXT_FIELDS = ("category", "summary", "content", "fact_or_opinion", "source", "how_known")


def _people_in(case: Case) -> dict[str, Person]:
    """The child first, then everyone involved in the case, keyed by id."""
    people = {str(case.subject_id): case.subject}
    for involvement in case.involvements.all():
        people.setdefault(str(involvement.person_id), involvement.person)
    return people


def _about_choices(case: Case) -> list[tuple[str, str]]:
    relationships: dict[str, list[str]] = {}
    for involvement in case.involvements.all():
        relationships.setdefault(str(involvement.person_id), []).append(
            involvement.get_relationship_display().lower()
        )
    choices = [(str(case.subject_id), f"{case.subject.display_name} (the child)")]
    for key, person in _people_in(case).items():
        if key in relationships:
            choices.append((key, f"{person.display_name} ({', '.join(relationships[key])})"))
    return choices


class ItemForm(forms.Form):
    category = forms.ChoiceField(
        label="Category of information",
        choices=InformationCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category of information"},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=200,
        help_text="One line, 200 characters or fewer",
        error_messages={
            "required": "Enter a short summary",
            "max_length": "The summary must be 200 characters or fewer",
        },
    )
    content = forms.CharField(
        label="The information",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Say what happened, who was there and what was said, in plain words",
        error_messages={"required": "Enter the information"},
    )
    fact_or_opinion = forms.ChoiceField(
        label="Is this fact or professional opinion?",
        choices=FactOrOpinion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is fact or opinion"},
    )
    source = forms.CharField(
        label="Source",
        max_length=500,
        help_text="Who the information came from, for example 'Class teacher'",
        error_messages={"required": "Enter where the information came from"},
    )
    how_known = forms.ChoiceField(
        label="How is this known?",
        choices=HowKnown.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the information is known"},
    )
    event_date = DateField(
        label="Date of the event",
        subject="Date of the event",
        error_messages={"required": "Enter the date of the event"},
    )
    about = forms.ChoiceField(
        label="Who is this about?",
        error_messages={
            "required": "Select who the information is about",
            "invalid_choice": "Select the child or someone involved in the case",
        },
    )
    special_category = forms.ChoiceField(
        label="Special category data",
        choices=_SPECIAL_CHOICES,
        initial=_NOT_SPECIAL,
        help_text="Health, ethnicity, religion, sex life and other UK GDPR Article 9 data",
        error_messages={"required": "Select the special category, or 'Not special category'"},
    )
    criminal_offence_data = forms.BooleanField(
        label="Criminal offence data",
        required=False,
        help_text="Allegations, offences or convictions (UK GDPR Article 10)",
    )
    is_confidential = forms.BooleanField(
        label="Confidential",
        required=False,
        help_text="Given in confidence; share only with a lawful basis",
    )
    third_party_protected = forms.BooleanField(
        label="Contains third-party or informant content",
        required=False,
        help_text="The identity of a third party or informant must be protected",
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The previous wording is kept with this reason",
        error_messages={"required": "Enter why the item is being changed"},
    )

    def __init__(self, *args: Any, case: Case, with_reason: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self._people = _people_in(case)
        about = cast(forms.ChoiceField, self.fields["about"])
        about.choices = _about_choices(case)
        about.initial = str(case.subject_id)
        if not with_reason:
            del self.fields["reason"]

    @classmethod
    def initial_from(cls, item: InformationItem) -> dict[str, Any]:
        """The form's starting values when correcting ``item``."""
        return {
            **{name: getattr(item, name) for name in (*_TEXT_FIELDS, *_BOOLEAN_FIELDS)},
            "event_date": item.event_date,
            "about": str(item.about_id or item.case.subject_id),
            "special_category": item.special_category or _NOT_SPECIAL,
        }

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``item_create`` / ``item_update`` (call only when valid)."""
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            **{name: data[name] for name in (*_TEXT_FIELDS, *_BOOLEAN_FIELDS)},
            "event_date": data["event_date"],
            "about": self._people[data["about"]],
            "special_category": _SPECIAL_FROM_FORM[data["special_category"]],
        }
        if "reason" in self.fields:
            arguments["reason"] = data["reason"]
        return arguments
