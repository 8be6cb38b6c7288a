"""Forms for information requests and disclosures.

Field names match the services' arguments (and the fields their errors name), so a refused write
lands on the right input. The rules stay in ``safeshare.disclosures``: these forms only parse,
and turn "the exact words to redact" into the character ranges ``redaction.py`` works with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from safeshare.cases.models import InformationItem
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.models import CorrectionKind, RequestKind, Urgency
from safeshare.disclosures.redaction import Redaction, ranges_of
from safeshare.people.exceptions import NhsNumberInvalid
from safeshare.people.models import Address
from safeshare.people.services import clean_nhs_number
from safeshare.web.forms.base import GovukForm, choice_messages, required
from safeshare.web.forms.dates import DateField

Options = Sequence[tuple[str, str]]


def _text(label: str, message: str, *, rows: int = 4, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=hint,
        error_messages=required(message),
    )


def _optional_text(label: str, *, rows: int = 3, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=hint
    )


class EmptyForm(GovukForm):
    """A form with no fields: a button whose refusal is shown in the error summary."""


# --- Requests ------------------------------------------------------------------------------------


class RequestAgencyForm(GovukForm):
    receiving_agency = forms.ChoiceField(
        label="Which agency are you asking?",
        error_messages=choice_messages("Select the agency you are asking"),
    )
    kind = forms.ChoiceField(
        label="What is this?",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select what kind of request this is"),
    )

    def __init__(self, *args: Any, agencies: Options = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiving_agency"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "Select an agency"), *agencies]


class RequestChildForm(GovukForm):
    """The child, by NHS number or by name, date of birth and postcode."""

    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    given_name = forms.CharField(label="Given name", required=False, max_length=100)
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = DateField(
        label="Date of birth", subject="Date of birth", past=True, required=False
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean_nhs_number(self) -> str:
        try:
            return clean_nhs_number(self.cleaned_data.get("nhs_number", ""))
        except NhsNumberInvalid as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("family_name") and data.get("date_of_birth") and data.get("postcode")
        if not self.errors and not data.get("nhs_number") and not named:
            self.add_error(
                "nhs_number",
                "Enter the child's NHS number, or their name, date of birth and postcode",
            )
        return data

    def answers(self) -> dict[str, str]:
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return {
            "nhs_number": data.get("nhs_number", ""),
            "given_name": data.get("given_name", ""),
            "family_name": data.get("family_name", ""),
            "date_of_birth": born.isoformat() if born else "",
            "postcode": data.get("postcode", ""),
        }


class RequestDetailsForm(GovukForm):
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=[("", "Select a purpose"), *SharingPurpose.choices],
        error_messages=choice_messages("Select the purpose"),
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select how urgent this is"),
    )
    information_sought = _text(
        "What information do you need?",
        "Describe the information you need",
        hint="Ask only for what you need for this purpose",
    )
    justification = _text("Why do you need it?", "Explain why you need it")


class RefusalForm(GovukForm):
    message = _text(
        "What the requester will be told",
        "Enter what the requester will be told",
        hint="Tell them why, as far as it is safe to say",
    )
    reasons = _text(
        "Your reasons (kept in your agency's record)",
        "Enter the reasons for refusing",
    )


class ReconsiderationForm(GovukForm):
    new_information = _text(
        "What is new since the refusal?", "Enter what is new since the refusal", rows=5
    )
    justification = _optional_text(
        "Why you need it now", hint="Leave empty to keep the original justification"
    )


# --- Issuing a disclosure ------------------------------------------------------------------------


class RecipientForm(GovukForm):
    recipient = forms.ChoiceField(
        label="Who will receive it?",
        widget=forms.RadioSelect,
        help_text="A named practitioner: information is never sent to an email address",
        error_messages=choice_messages("Select the practitioner who will receive it"),
    )
    urgent_reason = _optional_text(
        "Why share urgently outside an agreement",
        hint="Only when no agreement covers this purpose and you share urgently with a "
        "statutory partner",
    )

    def __init__(self, *args: Any, recipients: Options = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = list(recipients)


class SelectionForm(GovukForm):
    """What to share: nothing is selected until the sharer selects it."""

    items = forms.MultipleChoiceField(
        label="Information items",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select only what the recipient needs for the purpose",
        error_messages=choice_messages("Select items from the list"),
    )
    addresses = forms.MultipleChoiceField(
        label="Addresses",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A protected address is withheld unless you give the reason for including it",
        error_messages=choice_messages("Select addresses from the list"),
    )

    def __init__(
        self, *args: Any, items: Options = (), addresses: Options = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("items", items), ("addresses", addresses)):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
            field.choices = list(choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("items") and not data.get("addresses"):
            self.add_error("items", "Select the information to share")
        return data


def redact_field(item_id: str) -> str:
    return f"redact-{item_id}"


def reason_field(item_id: str) -> str:
    return f"reason-{item_id}"


def include_field(item_id: str) -> str:
    return f"include-{item_id}"


def withhold_source_field(item_id: str) -> str:
    return f"withhold-source-{item_id}"


def address_field(address_id: str) -> str:
    return f"address-{address_id}"


def phrases(words: str) -> list[str]:
    """One phrase per line, blank lines ignored."""
    return [line.strip() for line in words.splitlines() if line.strip()]


def redactions_for(text: str, words: str, reason: str) -> tuple[Redaction, ...]:
    """The ranges of ``text`` holding the words to redact, each with ``reason``."""
    return tuple(Redaction(start, end, reason) for start, end in ranges_of(text, phrases(words)))


def missing_phrases(item: InformationItem, words: str) -> list[str]:
    """Phrases found in none of the item's summary, content and source."""
    return [
        phrase
        for phrase in phrases(words)
        if phrase not in item.summary and phrase not in item.content and phrase not in item.source
    ]


class ItemDetailsForm(GovukForm):
    """For each selected item, the words to redact (in its summary, content and source) and why,
    and whether to withhold its source; the reason for including third-party content as it is;
    for each selected protected address, the reason for including it."""

    def __init__(
        self,
        *args: Any,
        items: Sequence[InformationItem] = (),
        addresses: Sequence[Address] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.addresses = list(addresses)
        for item in self.items:
            key = str(item.pk)
            self.fields[redact_field(key)] = _optional_text(
                "Words to redact",
                rows=2,
                hint="Copy the exact words from the item, one phrase per line. Every place "
                "they appear is redacted, in the source too.",
            )
            self.fields[withhold_source_field(key)] = forms.BooleanField(
                label="Withhold the source (who the information came from)",
                required=False,
                help_text=f"The source is: {item.source}. The recipient sees that it was "
                "withheld, and why.",
            )
            self.fields[reason_field(key)] = forms.CharField(
                label="Why they are redacted or withheld", required=False, max_length=200
            )
            if item.third_party_protected:
                self.fields[include_field(key)] = _optional_text(
                    "Reason for including third-party or informant content as it is",
                    hint="Not needed if you withhold the source, or redact the words that "
                    "identify who gave it. Otherwise leave it empty and the item cannot be "
                    "shared.",
                )
        for address in self.addresses:
            if address.is_protected:
                self.fields[address_field(str(address.pk))] = _optional_text(
                    "Reason for including this protected address"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for item in self.items:
            key = str(item.pk)
            words = data.get(redact_field(key), "")
            withheld = data.get(withhold_source_field(key), False)
            if (words or withheld) and not data.get(reason_field(key), "").strip():
                self.add_error(
                    reason_field(key),
                    "Give the reason for redacting these words"
                    if words
                    else "Give the reason for withholding the source",
                )
            for phrase in missing_phrases(item, words):
                self.add_error(redact_field(key), f"'{phrase}' is not in this item")
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "redactions": {
                str(item.pk): {
                    "words": data.get(redact_field(str(item.pk)), ""),
                    "reason": data.get(reason_field(str(item.pk)), ""),
                    "include": data.get(include_field(str(item.pk)), ""),
                    "withhold_source": bool(data.get(withhold_source_field(str(item.pk)))),
                }
                for item in self.items
            },
            "address_reasons": {
                str(address.pk): data.get(address_field(str(address.pk)), "")
                for address in self.addresses
            },
        }

    def sections(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        """("item" or "address", the record, its bound fields), in the order shown."""
        shown: list[tuple[str, Any, list[forms.BoundField]]] = []
        for item in self.items:
            key = str(item.pk)
            names = [
                redact_field(key),
                withhold_source_field(key),
                reason_field(key),
                include_field(key),
            ]
            shown.append(("item", item, [self[name] for name in names if name in self.fields]))
        for address in self.addresses:
            name = address_field(str(address.pk))
            if name in self.fields:
                shown.append(("address", address, [self[name]]))
        return shown


class ExpiryForm(GovukForm):
    expires_on = DateField(
        label="When must the recipient delete it?",
        subject="Date the recipient must delete it",
        future=True,
        required=False,
        help_text="Leave empty to keep it for as long as the agreement allows",
    )

    def answers(self) -> dict[str, str]:
        day = self.cleaned_data.get("expires_on")
        return {"expires_on": day.isoformat() if day else ""}


def expiry_moment(expires_on: str) -> dt.datetime | None:
    """The start (UTC) of the day the recipient must delete it by, or None for the default."""
    if not expires_on:
        return None
    return dt.datetime.combine(dt.date.fromisoformat(expires_on), dt.time(0, 0), tzinfo=dt.UTC)


# --- After sharing -------------------------------------------------------------------------------


class ReadBackForm(GovukForm):
    understanding = _text(
        "What I understood",
        "Say what you understood, in your own words",
        rows=6,
        hint="In your own words: what does this information tell you, and how serious is it?",
    )


class ReadBackConfirmForm(GovukForm):
    comment = _optional_text("Comment")


class ReadBackCorrectionForm(GovukForm):
    correction = _text(
        "What the recipient should understand instead", "Enter the correction", rows=5
    )


class RevokeForm(GovukForm):
    reason = _text("Why are you revoking it?", "Enter why you are revoking it")


class ItemCorrectionForm(GovukForm):
    kind = forms.ChoiceField(
        label="Is this a correction or a retraction?",
        choices=CorrectionKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select a correction or a retraction"),
    )
    explanation = _text(
        "The corrected information, or why it is retracted",
        "Enter the corrected information, or why it is retracted",
        rows=5,
    )


# --- Received items into one of our cases --------------------------------------------------------


class ReceivedItemsCaseForm(GovukForm):
    """Which of the recipient's own open cases the received items go to. A case whose child is
    not linked to the child the information is about needs ``same_child_confirmed`` (the page
    warns first, then asks)."""

    case = forms.ChoiceField(
        label="Which of your cases is this child's?",
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select the case to add the information to"),
    )
    same_child_confirmed = forms.BooleanField(
        label="I have checked that this case is about the same child", required=False
    )

    def __init__(
        self,
        *args: Any,
        cases: Options = (),
        hints: dict[str, str] | None = None,
        linked: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.linked = linked
        field = self.fields["case"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = list(cases)
        field.option_hints = hints or {}  # type: ignore[attr-defined]
        field.empty_html = "You have no open case you can add information to."  # type: ignore[attr-defined]
        self.labels = dict(cases)

    @property
    def unlinked_choice(self) -> str:
        """The label of the case chosen, when its child is not linked to the disclosure's."""
        chosen = self.data.get("case", "") if self.is_bound else ""
        return self.labels.get(chosen, "") if chosen and chosen not in self.linked else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("case")
        if chosen and chosen not in self.linked and not data.get("same_child_confirmed"):
            self.add_error(
                "same_child_confirmed",
                f"{self.labels[chosen]} is not linked to the child this information is about: "
                "check it is the same child and confirm, or choose another case",
            )
        return data


class InformTaskForm(GovukForm):
    how_told = _text(
        "How and when were they told?",
        "Say how and when they were told",
        hint="For example 'Told the mother by phone on 3 March'",
    )
