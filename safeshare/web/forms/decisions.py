"""The sharing decision wizard: up to nine GOV.UK question pages, then the decision itself.

The wizard keeps its answers in the session as plain JSON values (one dict per case), named by
answer key (mostly the engine's fact names). The step table below says which page asks what, in
which order, and which pages apply after a given answer:

1. danger: is anyone in immediate danger? If yes, the emergency path asks only page 2 more;
2. purpose: why, and with whom (the recipient agency);
3. asked: has anyone asked for it (and, revealed, have you checked who they are);
4. clear-purpose: is the purpose clear and legitimate;
5. information: does it identify a living person, whom it is about, its kinds, confidential;
6. harm: the graded worry about the child;
7. young-person: a young person's wish for confidentiality (only about the child);
8. consent: the consent position, revealing the consent relied on, the reason it was not sought,
   or whether seeking or respecting it would put someone at risk;
9. duty-and-advice: a statutory duty or court order, and advice (revealing who advised).

A question shown inside a GOV.UK conditional reveal is "revealed" by one option of the question
above it; it is asked, checked and kept only when that option is chosen. A question revealed by
several options is a separate form field under each (``<answer key>__<option>``), so that each
reveal has its own inputs; they all give the one answer.

``facts_mapping`` turns the answers into the engine's facts mapping (the engine's validator is
the one validator); the rules of the domain stay in the engine and in ``decision_record``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from django import forms

from safeshare.consent.lawful_bases import KINDS as LAWFUL_BASIS_KINDS
from safeshare.consent.lawful_bases import choices as lawful_basis_choices
from safeshare.consent.models import EffectiveConsent, NotSoughtReason
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.decisions.models import DecisionOutcome, SharingDecision
from safeshare.web.forms.base import GovukForm, choice_messages, required

Answers = dict[str, Any]
Options = Sequence[tuple[str, str]]

YES, NO, NOT_SURE = "yes", "no", "not_sure"
TRISTATE_CHOICES = [(YES, "Yes"), (NO, "No"), (NOT_SURE, "I'm not sure")]
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
NEITHER = "neither"
NONE = "none"
CHILD, ADULT = "child", "adult"
NOBODY, STATUTORY_ENQUIRY, OTHER_AGENCY = "nobody", "statutory_enquiry", "other_agency"
GIVEN, NOT_SOUGHT = str(EffectiveConsent.GIVEN), str(EffectiveConsent.NOT_SOUGHT)
RISK_CONSENT_STATES = (
    str(EffectiveConsent.REFUSED),
    str(EffectiveConsent.WITHDRAWN),
    str(EffectiveConsent.EXPIRED),
    str(EffectiveConsent.NOT_ASKED),
)
"""The consent positions under which we ask whether seeking or respecting consent is unsafe."""

KIND_CHOICES = [
    ("special_category", "Special category data (for example health, ethnicity or sex life)"),
    ("criminal_offence_data", "Criminal offence data (allegations, offences or convictions)"),
    (NEITHER, "Neither"),
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
CONSENT_RISK_FACTS = tuple(name for name, _ in CONSENT_RISK_CHOICES if name != NONE)
HARM_CHOICES = [
    ("significant_harm", "The child is suffering, or is likely to suffer, significant harm"),
    ("child_in_need", "The child may be a child in need"),
    ("welfare_concern", "A worry about the child's welfare, below those thresholds"),
    (NONE, "No worry about harm to the child"),
    (NOT_SURE, "I'm not sure whether my worry meets a threshold"),
]
HARM_HINTS = {
    "significant_harm": "Abuse or neglect that is, or could be, seriously affecting their health "
    "or development (Children Act 1989, section 47)",
    "child_in_need": "They are unlikely to stay healthy or develop properly without help from "
    "services, or they are disabled (Children Act 1989, section 17)",
    "welfare_concern": "Something is not right and help could prevent it getting worse, for "
    "example through early help",
    NOT_SURE: "You will be told who to ask, without naming the child",
}
CONSENT_CHOICES = [
    (str(state), str(state.label))
    for state in (
        EffectiveConsent.GIVEN,
        EffectiveConsent.REFUSED,
        EffectiveConsent.WITHDRAWN,
        EffectiveConsent.EXPIRED,
        EffectiveConsent.NOT_ASKED,
        EffectiveConsent.NOT_SOUGHT,
    )
]


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


def _consent_risks(label: str) -> forms.MultipleChoiceField:
    return _checkboxes(
        label,
        CONSENT_RISK_CHOICES,
        "Select what it would do, or 'None of these'",
        "Select all that apply",
    )


def answer_key(name: str) -> str:
    """The answer a form field gives: ``consent_risks__refused`` gives ``consent_risks``."""
    return name.split("__", 1)[0]


class PageForm(GovukForm):
    """One question page.

    ``heading``: the page's H1 when it asks more than one question (each question is then a
    fieldset with a medium legend); empty when the page asks one question (its legend or label is
    the H1), whatever it reveals. ``reveals``: for a question, the option values that reveal
    other fields of the page. ``exclusive``: a checkbox answer that cannot be combined with the
    others ("None of these"). ``option_hints``: hints under individual options.
    """

    heading: ClassVar[str] = ""
    reveals: ClassVar[Mapping[str, Mapping[str, Sequence[str]]]] = {}
    exclusive: ClassVar[Mapping[str, str]] = {}
    option_hints: ClassVar[Mapping[str, Mapping[str, str]]] = {}

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        answers: Answers | None = None,
        options: Mapping[str, Options] | None = None,
        hints: Mapping[str, str] | None = None,
        empty: Mapping[str, str] | None = None,
    ) -> None:
        answers = answers or {}
        initial = {
            name: answers[answer_key(name)]
            for name in self.base_fields
            if answer_key(name) in answers
        }
        super().__init__(data, initial=initial)
        for name, bound in self.fields.items():
            if options and name in options:
                cast(forms.ChoiceField, bound).choices = list(options[name])
            if hints and hints.get(name):
                bound.help_text = hints[name]
            # Read by the govuk template filters when the field is rendered.
            bound.reveals = self.reveals.get(name, {})  # type: ignore[attr-defined]
            bound.exclusive = self.exclusive.get(name)  # type: ignore[attr-defined]
            bound.option_hints = self.option_hints.get(name, {})  # type: ignore[attr-defined]
            bound.empty_html = (empty or {}).get(name, "")  # type: ignore[attr-defined]

    # --- The shape of the page ---------------------------------------------------------------
    @classmethod
    def revealed_by(cls) -> dict[str, tuple[str, str]]:
        """Each revealed field and the (question, option) that reveals it."""
        return {
            name: (parent, value)
            for parent, by_value in cls.reveals.items()
            for value, names in by_value.items()
            for name in names
        }

    @classmethod
    def top_level(cls) -> list[str]:
        """The fields not inside a reveal, in order."""
        inner = cls.revealed_by()
        return [name for name in cls.base_fields if name not in inner]

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Every answer this page can give."""
        return tuple(dict.fromkeys(answer_key(name) for name in cls.base_fields))

    @classmethod
    def asked_fields(cls, answers: Mapping[str, Any]) -> list[str]:
        """The fields asked, given the answers to the page's own questions."""
        inner = cls.revealed_by()
        asked = []
        for name in cls.base_fields:
            if name in inner:
                parent, value = inner[name]
                if answers.get(answer_key(parent)) != value:
                    continue
            asked.append(name)
        return asked

    @classmethod
    def asked_keys(cls, answers: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(answer_key(name) for name in cls.asked_fields(answers)))

    def layout(self) -> list[forms.BoundField]:
        """The top-level questions, for the template (reveals are rendered inside them)."""
        return [self[name] for name in self.top_level()]

    def title(self) -> str:
        """The page's H1 text: the heading, or its one question."""
        return self.heading or str(self.fields[self.top_level()[0]].label)

    # --- Validation --------------------------------------------------------------------------
    def _chosen(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {answer_key(name): data.get(name) for name in self.top_level()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asked = set(self.asked_fields(self._chosen()))
        for name in self.base_fields:
            if name not in asked:
                # Inside a reveal that is closed: not asked, whatever was typed in it.
                self.errors.pop(name, None)
                data.pop(name, None)
        for name, value in self.exclusive.items():
            chosen = data.get(name) or []
            if name in asked and value in chosen and len(chosen) > 1:
                choices = cast(Options, cast(forms.ChoiceField, self.fields[name]).choices)
                label = next(text for key, text in choices if key == value)
                self.add_error(name, f"Select '{label}' on its own, or the ones that apply")
        return data

    def answers(self) -> Answers:
        """The JSON-safe answers this page gives (call only when valid)."""
        return {answer_key(name): value for name, value in self.cleaned_data.items()}


class DangerForm(PageForm):
    immediate_danger = _radios(
        "Is anyone in immediate danger?",
        YES_NO_CHOICES,
        "Select whether anyone is in immediate danger",
        "Someone could be seriously hurt now or very soon. If so, call 999 or children's social "
        "care first: you will then be asked only what the referral needs.",
    )


class PurposeForm(PageForm):
    heading = "Why would you share the information, and with whom?"
    purpose = _radios(
        "Why would the information be shared?",
        SharingPurpose.choices,
        "Select the purpose of sharing",
    )
    recipient = forms.ChoiceField(
        label="Which agency would receive the information?",
        help_text="We work out from the agreements in place whether they are entitled to it",
        error_messages=choice_messages("Select the agency that would receive the information"),
    )


def _verified(label_suffix: str) -> forms.ChoiceField:
    return _radios(
        "Have you checked who they are and that they are entitled to it?",
        TRISTATE_CHOICES,
        "Select whether you have checked who asked",
        "For example by calling them back through their organisation's published number"
        + label_suffix,
    )


class AskedForm(PageForm):
    asked_by = _radios(
        "Has anyone asked you for this information?",
        [
            (NOBODY, "No, I am raising a concern or sharing of my own accord"),
            (STATUTORY_ENQUIRY, "Yes, children's social care or the police, in an enquiry"),
            (OTHER_AGENCY, "Yes, another practitioner or agency"),
        ],
        "Select whether anyone has asked you for the information",
    )
    recipient_verified__statutory_enquiry = _verified(", or because they asked through SafeShare")
    recipient_verified__other_agency = _verified(", or because they asked through SafeShare")
    reveals = {
        "asked_by": {
            STATUTORY_ENQUIRY: ("recipient_verified__statutory_enquiry",),
            OTHER_AGENCY: ("recipient_verified__other_agency",),
        }
    }
    option_hints = {
        "asked_by": {
            STATUTORY_ENQUIRY: "A section 47 enquiry, a strategy discussion or a MASH enquiry",
        }
    }


class ClearPurposeForm(PageForm):
    purpose_clear_and_legitimate = _radios(
        "Is the purpose of sharing clear and legitimate?",
        TRISTATE_CHOICES,
        "Select whether the purpose is clear and legitimate",
        "You can say why you want to share, and the reason is one the law and your role allow",
    )


class InformationForm(PageForm):
    heading = "What is the information, and who is it about?"
    identifies_living_person = _radios(
        "Does the information identify a living person?",
        TRISTATE_CHOICES,
        "Select whether the information identifies a living person",
        "On its own or together with other information the recipient has or may get",
    )
    about = _radios(
        "Who is the information about?",
        [(CHILD, "The child"), (ADULT, "An adult in contact with the child")],
        "Select who the information is about",
    )
    bears_on_child_safety = _radios(
        "Does it bear on the child's safety?",
        YES_NO_CHOICES,
        "Select whether the information bears on the child's safety",
        "For example a partner's history of violence, or a relative's drug use at home",
    )
    information_kind = _checkboxes(
        "What kind of information is it?",
        KIND_CHOICES,
        "Select the kinds of information, or 'Neither'",
        "Select all that apply",
    )
    confidential = _radios(
        "Is the information confidential?",
        TRISTATE_CHOICES,
        "Select whether the information is confidential",
        "Given in confidence, or the person would expect it to be kept private",
    )
    reveals = {"about": {ADULT: ("bears_on_child_safety",)}}
    exclusive = {"information_kind": NEITHER}
    option_hints = {
        "about": {ADULT: "A parent, a parent's partner, a relative or a visitor"},
    }


class HarmForm(PageForm):
    harm = _radios(
        "What is your worry about the child?",
        HARM_CHOICES,
        "Select what your worry about the child is",
        "Choose the most serious that fits",
    )
    option_hints = {"harm": HARM_HINTS}


class YoungPersonForm(PageForm):
    young_person_confidentiality = _radios(
        "Has the child asked you to keep this confidential?",
        YES_NO_CHOICES,
        "Select whether the child asked you to keep this confidential",
    )
    child_competent = _radios(
        "Are they competent to make this decision?",
        TRISTATE_CHOICES,
        "Select whether they are competent to make this decision",
        "They understand what they are asking and what could follow (Gillick competence). From "
        "16 a young person is presumed competent unless you have assessed that they are not.",
    )
    risk_indicators = _radios(
        "Are there any signs of exploitation, abuse or a much older partner?",
        YES_NO_CHOICES,
        "Select whether there are signs of exploitation, abuse or a much older partner",
    )
    reveals = {"young_person_confidentiality": {YES: ("child_competent", "risk_indicators")}}


class ConsentForm(PageForm):
    consent = _radios(
        "What is the position on consent to share?",
        CONSENT_CHOICES,
        "Select the position on consent",
    )
    consent_record = _radios(
        "Which consent are you relying on?",
        (),
        "Select the consent you are relying on",
        "Consent recorded for the child",
    )
    consent_risks__refused = _consent_risks("Would respecting the refusal do any of these?")
    consent_risks__withdrawn = _consent_risks("Would respecting the withdrawal do any of these?")
    consent_risks__expired = _consent_risks("Would seeking consent again do any of these?")
    consent_not_sought_reason = _radios(
        "Why was consent not sought?",
        NotSoughtReason.choices,
        "Select why consent was not sought",
        "Only these reasons allow you not to seek consent",
    )
    consent_risks__not_asked = _consent_risks("Would seeking consent do any of these?")
    reveals = {
        "consent": {
            GIVEN: ("consent_record",),
            str(EffectiveConsent.REFUSED): ("consent_risks__refused",),
            str(EffectiveConsent.WITHDRAWN): ("consent_risks__withdrawn",),
            str(EffectiveConsent.EXPIRED): ("consent_risks__expired",),
            str(EffectiveConsent.NOT_ASKED): ("consent_risks__not_asked",),
            NOT_SOUGHT: ("consent_not_sought_reason",),
        }
    }
    exclusive = {
        "consent_risks__refused": NONE,
        "consent_risks__withdrawn": NONE,
        "consent_risks__expired": NONE,
        "consent_risks__not_asked": NONE,
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        record = cast(forms.ChoiceField, self.fields["consent_record"])
        if data.get("consent") == GIVEN and not record.choices:
            self.errors.pop("consent_record", None)
            self.add_error(
                "consent_record",
                "No consent given is recorded for this child: record it first, or select "
                "another answer",
            )
        return data


class DutyAdviceForm(PageForm):
    heading = "Does the law require you to share, and have you had advice?"
    statutory_duty_or_court_order = _radios(
        "Is there a statutory duty or a court order to share?",
        YES_NO_CHOICES,
        "Select whether there is a statutory duty or court order",
    )
    advice_sought = _radios(
        "Have you sought advice about this?",
        YES_NO_CHOICES,
        "Select whether you have sought advice",
        "From your designated safeguarding lead, manager or information governance lead",
    )
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
    reveals = {"advice_sought": {YES: ("advice_sought_from", "advice_given")}}


# ---------------------------------------------------------------------------------------------
# The journey
# ---------------------------------------------------------------------------------------------


def emergency(answers: Mapping[str, Any]) -> bool:
    """Someone is in immediate danger: the short path (danger, purpose and recipient)."""
    return answers.get("immediate_danger") == YES


def _full(answers: Answers) -> bool:
    return not emergency(answers)


def _about_the_child(answers: Answers) -> bool:
    return _full(answers) and answers.get("about") == CHILD


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[PageForm]
    applies: Callable[[Answers], bool] = field(default=lambda answers: True)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.form.keys()


STEPS: tuple[Step, ...] = (
    Step("danger", DangerForm),
    Step("purpose", PurposeForm),
    Step("asked", AskedForm, _full),
    Step("clear-purpose", ClearPurposeForm, _full),
    Step("information", InformationForm, _full),
    Step("harm", HarmForm, _full),
    Step("young-person", YoungPersonForm, _about_the_child),
    Step("consent", ConsentForm, _full),
    Step("duty-and-advice", DutyAdviceForm, _full),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
FIRST = STEPS[0].slug
RECOMMENDATION, DECISION, CHECK = "recommendation", "decision", "check"
PAGES: tuple[str, ...] = (*(step.slug for step in STEPS), RECOMMENDATION, DECISION, CHECK)

SUMMARY_LABELS: dict[str, str] = {
    "immediate_danger": "Anyone in immediate danger",
    "purpose": "Purpose",
    "recipient": "Recipient",
    "asked_by": "Asked for by",
    "recipient_verified": "Checked who asked and that they are entitled",
    "purpose_clear_and_legitimate": "Purpose clear and legitimate",
    "identifies_living_person": "Identifies a living person",
    "about": "Who the information is about",
    "bears_on_child_safety": "Bears on the child's safety",
    "information_kind": "Kind of information",
    "confidential": "Confidential",
    "harm": "Worry about the child",
    "young_person_confidentiality": "Child asked for confidentiality",
    "child_competent": "Competent to decide",
    "risk_indicators": "Signs of exploitation, abuse or a much older partner",
    "consent": "Consent",
    "consent_record": "Consent relied on",
    "consent_not_sought_reason": "Why consent was not sought",
    "consent_risks": "Seeking or respecting consent would",
    "statutory_duty_or_court_order": "Statutory duty or court order",
    "advice_sought": "Advice sought",
    "advice_sought_from": "Who gave advice",
    "advice_given": "What they advised",
}
"""The short question each answer gives on check your answers and the decision page."""

FACT_ANSWERS: dict[str, str] = {
    "special_category": "information_kind",
    "criminal_offence_data": "information_kind",
    "significant_harm_concern": "harm",
    "consent_not_sought_reason": "consent_not_sought_reason",
    **dict.fromkeys(CONSENT_RISK_FACTS, "consent_risks"),
}
"""Engine facts asked under another answer's name (the rest are asked under their own)."""


def applicable_steps(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def applicable_pages(answers: Answers) -> list[str]:
    """The pages this journey goes through, in order, given the answers so far."""
    return [*(step.slug for step in applicable_steps(answers)), RECOMMENDATION, DECISION, CHECK]


def first_unanswered(answers: Answers, *, before: str | None = None) -> str | None:
    """The first page still to answer (before ``before``, when given), or None."""
    for slug in applicable_pages(answers):
        if slug == before:
            return None
        step = STEP_BY_SLUG.get(slug)
        if step is not None and any(key not in answers for key in step.form.asked_keys(answers)):
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


def answer_for_fact(fact: str) -> str:
    """The answer that gives an engine fact (``special_category``: ``information_kind``)."""
    return FACT_ANSWERS.get(fact, fact)


def step_for_answer(key: str) -> Step | None:
    """The page that asks ``key`` (an answer key or an engine fact), or None (not asked)."""
    key = answer_for_fact(key)
    return next((step for step in STEPS if key in step.keys), None)


def question_pages(answers: Answers) -> list[str]:
    """The question pages the answers went through (for counting them)."""
    return [step.slug for step in applicable_steps(answers)]


# ---------------------------------------------------------------------------------------------
# Answers <-> facts
# ---------------------------------------------------------------------------------------------

EMERGENCY_DEFAULTS: dict[str, object] = {
    # Not asked when someone is in immediate danger; the engine answers "refer now" for any
    # immediate danger (EM-01) before reading the rest. The defaults say what we know:
    "purpose_clear_and_legitimate": YES,  # protecting someone from immediate danger
    "identifies_living_person": YES,  # a referral is about someone
    "confidential": NOT_SURE,  # not asked
    "special_category": False,
    "criminal_offence_data": False,
    "consent": str(EffectiveConsent.NOT_ASKED),  # nobody has asked for consent
    "consent_not_sought_reason": None,
    "harm": NOT_SURE,  # not asked whether the danger is to a child, and how
    "consent_would_increase_risk_to_child": False,
    "consent_would_put_adult_at_serious_risk": False,
    "consent_would_undermine_crime_prevention": False,
    "statutory_duty_or_court_order": False,
    "advice_sought": False,  # nobody should wait for advice
    "about": CHILD,
    "asked_by": NOBODY,
}


def facts_mapping(
    answers: Answers, *, recipient: str, child_age: int | None = None
) -> dict[str, object]:
    """The engine's facts mapping from complete answers, the recipient's entitlement (worked out
    from the agreements) and the child's age (from their date of birth; None when not known)."""
    base: dict[str, object] = {
        "purpose": answers["purpose"],
        "recipient": recipient,
        "child_age": child_age,
    }
    if emergency(answers):
        return {**base, **EMERGENCY_DEFAULTS, "immediate_danger": True}
    kinds = set(answers["information_kind"])
    consent = answers["consent"]
    risks = set(answers.get("consent_risks") or ()) if consent in RISK_CONSENT_STATES else set()
    about = answers["about"]
    young = about == CHILD and answers.get("young_person_confidentiality") == YES
    mapping: dict[str, object] = {
        **base,
        "purpose_clear_and_legitimate": answers["purpose_clear_and_legitimate"],
        "identifies_living_person": answers["identifies_living_person"],
        "confidential": answers["confidential"],
        "special_category": "special_category" in kinds,
        "criminal_offence_data": "criminal_offence_data" in kinds,
        "consent": consent,
        "consent_not_sought_reason": answers.get("consent_not_sought_reason")
        if consent == NOT_SOUGHT
        else None,
        "harm": answers["harm"],
        "immediate_danger": False,
        **{name: name in risks for name in CONSENT_RISK_FACTS},
        "statutory_duty_or_court_order": answers["statutory_duty_or_court_order"] == YES,
        "advice_sought": answers["advice_sought"] == YES,
        "about": about,
        "bears_on_child_safety": about == ADULT and answers.get("bears_on_child_safety") == YES,
        "asked_by": answers["asked_by"],
        "young_person_confidentiality": young,
        "risk_indicators": young and answers.get("risk_indicators") == YES,
    }
    if young:
        mapping["child_competent"] = answers["child_competent"]
    if answers["asked_by"] != NOBODY:
        mapping["recipient_verified"] = answers["recipient_verified"]
    return mapping


def _yes_no(value: Any) -> str:
    return YES if value else NO


def answers_from_facts(facts: Mapping[str, Any]) -> Answers:
    """Wizard answers that reproduce recorded facts (to reconsider a decision, or to show it).

    Reads facts recorded under any rule version: a 2024.1 decision has no ``harm`` (its
    significant harm answer is read as significant harm or none), and none of the other facts
    2024.2 added (their defaults are what 2024.1 assumed: about the child, nobody asked, no
    wish for confidentiality)."""
    if facts.get("immediate_danger"):
        # The emergency path asked only these; anything else recorded was not asked of them.
        return {"immediate_danger": YES, "purpose": facts["purpose"]}

    def chosen(names: Iterable[str], empty: str) -> list[str]:
        return [name for name in names if facts.get(name)] or [empty]

    harm = facts.get("harm") or (
        "significant_harm" if facts.get("significant_harm_concern") else NONE
    )
    about = facts.get("about") or CHILD
    asked_by = facts.get("asked_by") or NOBODY
    consent = facts["consent"]
    answers: Answers = {
        "immediate_danger": NO,
        "purpose": facts["purpose"],
        "asked_by": asked_by,
        "purpose_clear_and_legitimate": facts["purpose_clear_and_legitimate"],
        "identifies_living_person": facts["identifies_living_person"],
        "about": about,
        "information_kind": chosen(("special_category", "criminal_offence_data"), NEITHER),
        "confidential": facts["confidential"],
        "harm": harm,
        "consent": consent,
        "statutory_duty_or_court_order": _yes_no(facts["statutory_duty_or_court_order"]),
        "advice_sought": _yes_no(facts["advice_sought"]),
    }
    if asked_by != NOBODY:
        answers["recipient_verified"] = facts.get("recipient_verified") or YES
    if about == ADULT:
        answers["bears_on_child_safety"] = _yes_no(facts.get("bears_on_child_safety"))
    else:
        young = bool(facts.get("young_person_confidentiality"))
        answers["young_person_confidentiality"] = _yes_no(young)
        if young:
            answers["child_competent"] = facts.get("child_competent") or NOT_SURE
            answers["risk_indicators"] = _yes_no(facts.get("risk_indicators"))
    if consent in RISK_CONSENT_STATES:
        answers["consent_risks"] = chosen(CONSENT_RISK_FACTS, NONE)
    if consent == NOT_SOUGHT and facts.get("consent_not_sought_reason"):
        answers["consent_not_sought_reason"] = facts["consent_not_sought_reason"]
    return answers


def answers_from_decision(decision: SharingDecision) -> Answers:
    """Wizard answers that reproduce a recorded decision's questions (to reconsider it)."""
    answers = answers_from_facts(decision.facts)
    if decision.recipient_agency_id:
        answers["recipient"] = str(decision.recipient_agency_id)
    if decision.consent_id and answers.get("consent") == GIVEN:
        answers["consent_record"] = str(decision.consent_id)
    if answers.get("advice_sought") == YES:
        answers["advice_sought_from"] = decision.advice_sought_from
        answers["advice_given"] = decision.advice_given
    return answers


def _display(bound: forms.Field, value: Any) -> str:
    choices = getattr(bound, "choices", None)
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
    """Summary list rows for the questions asked, with Change links when ``change_url``."""
    rows: list[dict[str, str]] = []
    for step in applicable_steps(answers):
        form = step.form(options=options)
        for name in step.form.asked_fields(answers):
            key = answer_key(name)
            if key not in answers or any(row.get("_key") == key for row in rows):
                continue
            label = SUMMARY_LABELS.get(key, str(form.fields[name].label))
            row = {"_key": key, "key": label, "value": _display(form.fields[name], answers[key])}
            if change_url is not None:
                row["action_href"] = change_url(step.slug)
                row["action_hidden"] = label.lower()
            rows.append(row)
    for row in rows:
        del row["_key"]
    return rows


# ---------------------------------------------------------------------------------------------
# The decision, check your answers and approval
# ---------------------------------------------------------------------------------------------


def _basis_field(kind: str, label: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        help_text=hint,
        choices=[("", "None"), *lawful_basis_choices(kind)],
        error_messages=choice_messages("Select a lawful basis from the list"),
    )


def needed_when(field: forms.Field, words: str) -> None:
    """Label a field that is required only in some cases with those cases ("needed if you
    share") instead of "(optional)" (components/field.html reads ``needed_when``)."""
    field.needed_when = words  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DecisionNeeds:
    """What the answers so far make necessary for a share, so that the decision page's labels
    say what it needs (and "(optional)" only where it is)."""

    special_category: bool = False
    criminal_offence_data: bool = False
    relies_on_consent: bool = False


_IF_SHARING = "needed if you share"


class DecisionForm(GovukForm):
    """The practitioner's decision. Whether the reasons, override reason, lawful basis and kinds
    of information are enough is decided by ``decision_record`` (``decision_check`` asks it on
    the decision page itself); its errors land on these fields by name. Fields needed only in
    some cases say so in their label (``needed_when``)."""

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
        help_text="Leave empty if you decide as the guidance recommends",
    )
    article_6 = _basis_field("article_6", "Lawful basis (UK GDPR Article 6)")
    article_9 = _basis_field("article_9", "Article 9 condition", "Only for special category data")
    schedule_1 = _basis_field(
        "schedule_1",
        "Data Protection Act 2018 Schedule 1 condition",
        "Some Article 9 conditions need one; the list says which",
    )
    article_10 = _basis_field(
        "article_10", "Article 10 condition", "Only for criminal offence data"
    )
    what_to_share = forms.CharField(
        label="What will be shared",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only what is necessary for the purpose",
    )
    categories = forms.MultipleChoiceField(
        label="What kinds of information will you share?",
        required=False,
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=choice_messages("Select kinds of information from the list"),
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

    def __init__(self, *args: Any, needs: DecisionNeeds | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = needs or DecisionNeeds()
        fields = self.fields
        needed_when(fields["override_reason"], "needed if your decision differs")
        needed_when(fields["article_6"], _IF_SHARING)
        needed_when(fields["what_to_share"], _IF_SHARING)
        needed_when(fields["schedule_1"], "needed with some Article 9 conditions")
        if needs.special_category:
            needed_when(fields["article_9"], f"{_IF_SHARING}: it is special category data")
            fields["article_9"].help_text = ""
        if needs.criminal_offence_data:
            needed_when(fields["article_10"], f"{_IF_SHARING}: it is criminal offence data")
            fields["article_10"].help_text = ""
        if needs.relies_on_consent:
            needed_when(fields["categories"], f"{_IF_SHARING}: we check the consent covers them")

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
            "categories": list(data["categories"]),
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
        help_text="Why you do not approve, or anything the decider should know",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed_when(self.fields["comment"], "needed if you do not approve")
