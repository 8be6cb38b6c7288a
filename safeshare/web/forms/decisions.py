"""The sharing decision wizard: one GOV.UK question page per fact, then the decision itself.

The wizard keeps its answers in the session as plain JSON values (one dict per case). The step
table below says which page asks what, in which order, and which pages only apply after a given
answer (the consent record only when consent was given; the reason only when consent was not
sought). ``facts_mapping`` turns the answers into the engine's facts mapping; the rules of the
domain stay in the engine and in ``decision_record``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms

from safeshare.consent.lawful_bases import KINDS as LAWFUL_BASIS_KINDS
from safeshare.consent.lawful_bases import choices as lawful_basis_choices
from safeshare.consent.models import EffectiveConsent, NotSoughtReason
from safeshare.core.vocabulary import SharingPurpose
from safeshare.decisions.models import DecisionOutcome, SharingDecision
from safeshare.web.forms.base import GovukForm, choice_messages, required

Answers = dict[str, Any]
Options = Sequence[tuple[str, str]]

YES, NO, NOT_SURE = "yes", "no", "not_sure"
TRISTATE_CHOICES = [(YES, "Yes"), (NO, "No"), (NOT_SURE, "I'm not sure")]
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
NEITHER = "neither"
NONE = "none"

KIND_CHOICES = [
    ("special_category", "Special category data (for example health, ethnicity or sex life)"),
    ("criminal_offence_data", "Criminal offence data (allegations, offences or convictions)"),
    (NEITHER, "Neither"),
]
RISK_CHOICES = [
    ("significant_harm_concern", "A child is suffering, or is likely to suffer, significant harm"),
    ("immediate_danger", "Someone is in immediate danger"),
    (NONE, "None of these"),
]
CONSENT_RISK_CHOICES = [
    ("consent_would_increase_risk_to_child", "Place a child at increased risk of harm"),
    ("consent_would_put_adult_at_serious_risk", "Place an adult at risk of serious harm"),
    (
        "consent_would_undermine_crime_prevention",
        "Undermine the prevention, detection or prosecution of serious crime",
    ),
    (NONE, "None of these"),
]


class StepForm(GovukForm):
    """One question page. ``options`` fills the choices of a question whose answers depend on the
    records (agencies, consent records); ``hint`` replaces the question's hint."""

    question = ""

    def __init__(self, *args: Any, options: Options = (), hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if options:
            cast(forms.ChoiceField, self.fields[self.question]).choices = list(options)
        if hint:
            self.fields[self.question].help_text = hint

    def answers(self) -> Answers:
        """The JSON-safe answers this page gives (call only when valid)."""
        return {name: self.cleaned_data[name] for name in self.fields}


def _radios(label: str, choices: Options, message: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages=choice_messages(message),
    )


def _checkboxes(
    label: str, choices: Options, message: str, hint: str = ""
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.CheckboxSelectMultiple,
        help_text=hint,
        error_messages=choice_messages(message),
    )


class _ExclusiveChoiceForm(StepForm):
    """Checkboxes with a "none of these" answer that cannot be combined with the others."""

    exclusive = NONE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get(self.question) or []
        if self.exclusive in chosen and len(chosen) > 1:
            label = dict(self.fields[self.question].choices)[self.exclusive]  # type: ignore[attr-defined]
            self.add_error(self.question, f"Select '{label}' on its own, or the ones that apply")
        return data


class PurposeForm(StepForm):
    question = "purpose"
    purpose = _radios(
        "Why would the information be shared?",
        SharingPurpose.choices,
        "Select the purpose of sharing",
    )


class RecipientForm(StepForm):
    question = "recipient"
    recipient = forms.ChoiceField(
        label="Which agency would receive the information?",
        help_text="We work out from the agreements in place whether they are entitled to it",
        error_messages=choice_messages("Select the agency that would receive the information"),
    )


class ClearPurposeForm(StepForm):
    question = "purpose_clear_and_legitimate"
    purpose_clear_and_legitimate = _radios(
        "Is the purpose of sharing clear and legitimate?",
        TRISTATE_CHOICES,
        "Select whether the purpose is clear and legitimate",
        "You can say why you want to share, and the reason is one the law and your role allow",
    )


class LivingPersonForm(StepForm):
    question = "identifies_living_person"
    identifies_living_person = _radios(
        "Does the information identify a living person?",
        TRISTATE_CHOICES,
        "Select whether the information identifies a living person",
        "On its own or together with other information the recipient has or may get",
    )


class ConfidentialForm(StepForm):
    question = "confidential"
    confidential = _radios(
        "Is the information confidential?",
        TRISTATE_CHOICES,
        "Select whether the information is confidential",
        "Given in confidence, or the person would expect it to be kept private",
    )


class InformationKindForm(_ExclusiveChoiceForm):
    question = "information_kind"
    exclusive = NEITHER
    information_kind = _checkboxes(
        "What kind of information is it?",
        KIND_CHOICES,
        "Select the kinds of information, or 'Neither'",
        "Select all that apply",
    )


class RiskForm(_ExclusiveChoiceForm):
    question = "risk"
    risk = _checkboxes(
        "Are you worried about any of these?",
        RISK_CHOICES,
        "Select the concerns you have, or 'None of these'",
        "Select all that apply",
    )


class ConsentForm(StepForm):
    question = "consent"
    consent = _radios(
        "What is the position on consent to share?",
        EffectiveConsent.choices,
        "Select the position on consent",
    )


class ConsentRecordForm(StepForm):
    question = "consent_record"
    consent_record = _radios(
        "Which consent are you relying on?",
        (),
        "Select the consent you are relying on",
        "Consent recorded for the child",
    )


class NotSoughtReasonForm(StepForm):
    question = "consent_not_sought_reason"
    consent_not_sought_reason = _radios(
        "Why was consent not sought?",
        NotSoughtReason.choices,
        "Select why consent was not sought",
        "Only these reasons allow you not to seek consent",
    )


class ConsentRisksForm(_ExclusiveChoiceForm):
    question = "consent_risks"
    consent_risks = _checkboxes(
        "Would seeking consent do any of these?",
        CONSENT_RISK_CHOICES,
        "Select what seeking consent would do, or 'None of these'",
        "Select all that apply",
    )


class StatutoryDutyForm(StepForm):
    question = "statutory_duty_or_court_order"
    statutory_duty_or_court_order = _radios(
        "Is there a statutory duty or a court order to share?",
        YES_NO_CHOICES,
        "Select whether there is a statutory duty or court order",
    )


class AdviceForm(StepForm):
    question = "advice_sought"
    advice_sought = _radios(
        "Have you sought advice about this?",
        YES_NO_CHOICES,
        "Select whether you have sought advice",
        "From your designated safeguarding lead, manager or information governance lead",
    )


class AdviceDetailForm(StepForm):
    question = "advice_sought_from"
    advice_sought_from = forms.CharField(
        label="Who gave you advice?",
        max_length=200,
        help_text="Their name and role, for example 'Fakename Testperson, DSL'",
        error_messages={
            **required("Enter who gave you advice"),
            "max_length": "Enter 200 characters or fewer",
        },
    )
    advice_given = forms.CharField(
        label="What did they advise?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Enter what they advised"),
    )


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[StepForm]
    title: str  # the short question for check your answers
    applies: Callable[[Answers], bool] = field(default=lambda answers: True)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.form.base_fields)


STEPS: tuple[Step, ...] = (
    Step("purpose", PurposeForm, "Purpose"),
    Step("recipient", RecipientForm, "Recipient"),
    Step("clear-purpose", ClearPurposeForm, "Purpose clear and legitimate"),
    Step("living-person", LivingPersonForm, "Identifies a living person"),
    Step("confidential", ConfidentialForm, "Confidential"),
    Step("information-kind", InformationKindForm, "Kind of information"),
    Step("risk", RiskForm, "Concerns"),
    Step("consent", ConsentForm, "Consent"),
    Step(
        "consent-record",
        ConsentRecordForm,
        "Consent relied on",
        lambda answers: answers.get("consent") == EffectiveConsent.GIVEN,
    ),
    Step(
        "not-sought-reason",
        NotSoughtReasonForm,
        "Why consent was not sought",
        lambda answers: answers.get("consent") == EffectiveConsent.NOT_SOUGHT,
    ),
    Step("seeking-consent", ConsentRisksForm, "Seeking consent would"),
    Step("statutory-duty", StatutoryDutyForm, "Statutory duty or court order"),
    Step("advice", AdviceForm, "Advice sought"),
    Step(
        "advice-detail",
        AdviceDetailForm,
        "Advice",
        lambda answers: answers.get("advice_sought") == YES,
    ),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
RECOMMENDATION, DECISION, CHECK = "recommendation", "decision", "check"
PAGES: tuple[str, ...] = (*(step.slug for step in STEPS), RECOMMENDATION, DECISION, CHECK)


def applicable_pages(answers: Answers) -> list[str]:
    """The pages this journey goes through, in order, given the answers so far."""
    steps = [step.slug for step in STEPS if step.applies(answers)]
    return [*steps, RECOMMENDATION, DECISION, CHECK]


def first_unanswered(answers: Answers, *, before: str | None = None) -> str | None:
    """The first page still to answer (before ``before``, when given), or None."""
    for slug in applicable_pages(answers):
        if slug == before:
            return None
        step = STEP_BY_SLUG.get(slug)
        if step is not None and any(key not in answers for key in step.keys):
            return slug
        if slug == DECISION and "decision" not in answers:
            return slug
    return None


def previous_page(answers: Answers, slug: str) -> str | None:
    pages = applicable_pages(answers)
    index = pages.index(slug) if slug in pages else 0
    return pages[index - 1] if index > 0 else None


def next_page(answers: Answers, slug: str) -> str:
    pages = applicable_pages(answers)
    return pages[pages.index(slug) + 1]


def facts_mapping(answers: Answers, *, recipient: str) -> dict[str, object]:
    """The engine's facts mapping from complete answers and the derived recipient entitlement."""
    kinds = set(answers["information_kind"])
    risks = set(answers["risk"])
    consent_risks = set(answers["consent_risks"])
    not_sought = answers["consent"] == EffectiveConsent.NOT_SOUGHT
    return {
        "purpose": answers["purpose"],
        "purpose_clear_and_legitimate": answers["purpose_clear_and_legitimate"],
        "identifies_living_person": answers["identifies_living_person"],
        "confidential": answers["confidential"],
        "special_category": "special_category" in kinds,
        "criminal_offence_data": "criminal_offence_data" in kinds,
        "consent": answers["consent"],
        "consent_not_sought_reason": answers.get("consent_not_sought_reason")
        if not_sought
        else None,
        "significant_harm_concern": "significant_harm_concern" in risks,
        "immediate_danger": "immediate_danger" in risks,
        "consent_would_increase_risk_to_child": "consent_would_increase_risk_to_child"
        in consent_risks,
        "consent_would_put_adult_at_serious_risk": "consent_would_put_adult_at_serious_risk"
        in consent_risks,
        "consent_would_undermine_crime_prevention": "consent_would_undermine_crime_prevention"
        in consent_risks,
        "statutory_duty_or_court_order": answers["statutory_duty_or_court_order"] == YES,
        "recipient": recipient,
        "advice_sought": answers["advice_sought"] == YES,
    }


def answers_from_facts(facts: Mapping[str, Any]) -> Answers:
    """Wizard answers that reproduce recorded facts (to reconsider a decision)."""

    def chosen(names: Sequence[str], empty: str) -> list[str]:
        return [name for name in names if facts.get(name)] or [empty]

    answers: Answers = {
        "purpose": facts["purpose"],
        "purpose_clear_and_legitimate": facts["purpose_clear_and_legitimate"],
        "identifies_living_person": facts["identifies_living_person"],
        "confidential": facts["confidential"],
        "information_kind": chosen(("special_category", "criminal_offence_data"), NEITHER),
        "risk": chosen(("significant_harm_concern", "immediate_danger"), NONE),
        "consent": facts["consent"],
        "consent_risks": chosen([name for name, _ in CONSENT_RISK_CHOICES[:-1]], NONE),
        "statutory_duty_or_court_order": YES if facts["statutory_duty_or_court_order"] else NO,
        "advice_sought": YES if facts["advice_sought"] else NO,
    }
    if facts.get("consent_not_sought_reason"):
        answers["consent_not_sought_reason"] = facts["consent_not_sought_reason"]
    return answers


def answers_from_decision(decision: SharingDecision) -> Answers:
    """Wizard answers that reproduce a recorded decision's questions (to reconsider it)."""
    answers = answers_from_facts(decision.facts)
    if decision.recipient_agency_id:
        answers["recipient"] = str(decision.recipient_agency_id)
    if decision.consent_id and answers["consent"] == EffectiveConsent.GIVEN:
        answers["consent_record"] = str(decision.consent_id)
    if answers["advice_sought"] == YES:
        answers["advice_sought_from"] = decision.advice_sought_from
        answers["advice_given"] = decision.advice_given
    return answers


def _display(form: StepForm, name: str, value: Any) -> str:
    choices = getattr(form.fields[name], "choices", None)
    if choices is None:
        return str(value)
    labels = {str(key): str(label) for key, label in choices}
    if isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(str(value), str(value))


def answer_rows(
    answers: Answers,
    *,
    options: Mapping[str, Options],
    change_url: Callable[[str], str] | None = None,
) -> list[dict[str, str]]:
    """Summary list rows for the answered questions, with Change links when ``change_url``."""
    rows: list[dict[str, str]] = []
    for step in STEPS:
        if not step.applies(answers):
            continue
        form = step.form(options=options.get(step.slug, ()))
        for name in step.keys:
            if name not in answers:
                continue
            label = step.title if len(step.keys) == 1 else str(form.fields[name].label)
            row = {"key": label, "value": _display(form, name, answers[name])}
            if change_url is not None:
                row["action_href"] = change_url(step.slug)
                row["action_hidden"] = label.lower()
            rows.append(row)
    return rows


def _basis_field(kind: str, label: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        help_text=hint,
        choices=[("", "None"), *lawful_basis_choices(kind)],
        error_messages=choice_messages("Select a lawful basis from the list"),
    )


class DecisionForm(GovukForm):
    """The practitioner's decision. Whether the reasons, override reason and lawful basis are
    enough is decided by ``decision_record``; its errors land on these fields by name."""

    outcome = _radios(
        "What have you decided?",
        DecisionOutcome.choices,
        "Select your decision",
        "The recommendation is selected; you may decide differently and say why",
    )
    reasons = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why you decided this, in plain words. Record this whether or not you share.",
        error_messages=required("Enter the reasons for your decision"),
    )
    override_reason = forms.CharField(
        label="Why your decision differs from the recommendation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only if you decide differently from the recommendation",
    )
    article_6 = _basis_field("article_6", "Lawful basis (UK GDPR Article 6)", "Needed to share")
    article_9 = _basis_field(
        "article_9", "Article 9 condition", "Needed to share special category data"
    )
    schedule_1 = _basis_field(
        "schedule_1",
        "Data Protection Act 2018 Schedule 1 condition",
        "Needed with some Article 9 conditions",
    )
    article_10 = _basis_field(
        "article_10", "Article 10 condition", "Needed to share criminal offence data"
    )
    what_to_share = forms.CharField(
        label="What will be shared",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only what is necessary for the purpose. Needed if you share.",
    )
    is_urgent = forms.BooleanField(
        label="This is urgent: share now and get approval afterwards",
        required=False,
        help_text="Approval of a share without consent is then due within one working day",
    )
    individual_not_told_reason = forms.CharField(
        label="Why the individual will not be told",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty if they will be told what was shared",
    )

    def answers(self) -> Answers:
        return dict(self.cleaned_data)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "reasons": data["reasons"],
            "override_reason": data["override_reason"],
            "lawful_basis": {kind: data[kind] or None for kind in LAWFUL_BASIS_KINDS},
            "what_to_share": data["what_to_share"],
            "is_urgent": data["is_urgent"],
            "individual_not_told_reason": data["individual_not_told_reason"],
        }


class CheckForm(GovukForm):
    reconsideration_reason = forms.CharField(
        label="What is new since the earlier decision?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Enter what is new since the earlier decision"),
    )

    def __init__(self, *args: Any, reconsidering: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not reconsidering:
            del self.fields["reconsideration_reason"]


class ApprovalForm(GovukForm):
    approved = forms.TypedChoiceField(
        label="Do you approve this decision to share without consent?",
        choices=[("yes", "Yes, approve it"), ("no", "No, do not approve it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select whether you approve the decision"),
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you do not approve",
    )
