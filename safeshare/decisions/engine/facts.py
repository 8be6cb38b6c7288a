"""The facts of a sharing situation, and their JSON-safe mapping form.

Pure Python (no Django). Reading outside input is ``validate.facts_from_mapping``: one validator,
one set of messages, for the web, the API and the command line.

``Facts`` is the superset of what every rule version asks. A field added in a later version has a
default that means what the earlier version assumed, so a decision recorded under 2024.1 reads
and re-evaluates exactly as it did:

- ``harm`` (2024.2) grades the worry: significant harm, a child who may be in need, a welfare
  concern, none, or "not sure". 2024.1 asked only ``significant_harm_concern``; when ``harm`` is
  given (``None``) it is read from that answer (``graded_harm``); when it is given, it wins, and
  ``significant_harm_concern`` is set to ``harm is Harm.SIGNIFICANT`` so that 2024.1's rows read
  the same thing.
- ``about`` / ``bears_on_child_safety`` (2024.2): the information may be about an adult in contact
  with the child (a parent's partner, a relative, a visitor).
- ``asked_by`` / ``recipient_verified`` (2024.2): answering a request, and whether the identity
  and entitlement of whoever asked has been checked (seed 003, section 3.5).
- ``young_person_confidentiality``, ``child_age``, ``child_competent``, ``risk_indicators``
  (2024.2): a young person asked for confidentiality; their age, competence and any indicators of
  exploitation, abuse or a much older partner.

A ``Facts`` built directly in Python is not validated: the engine gives an answer for every
combination (contradictory ones are answered "check your answers").
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Final


class InvalidFacts(ValueError):
    """The facts given cannot be read; ``field`` names the offending field (or None)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Tristate(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class ConsentState(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NOT_SOUGHT = "not_sought"
    NOT_ASKED = "not_asked"


class NotSoughtReason(StrEnum):
    """The reasons the guidance allows for not seeking consent."""

    CHILD_AT_INCREASED_RISK = "child_at_increased_risk"
    ADULT_AT_RISK_OF_SERIOUS_HARM = "adult_at_risk_of_serious_harm"
    UNDERMINE_SERIOUS_CRIME_INVESTIGATION = "undermine_serious_crime_investigation"
    CANNOT_BE_GIVEN = "cannot_be_given"  # e.g. no capacity, nobody with PR reachable
    NOT_REASONABLE_TO_OBTAIN = "not_reasonable_to_obtain"
    UNDUE_DELAY = "undue_delay"  # seeking it would delay protecting a child
    # Seed 003 section 3.4: asking would prejudice the purpose of the request or enquiry (2024.2).
    PREJUDICE_ENQUIRY = "prejudice_enquiry"


class Recipient(StrEnum):
    AGREEMENT = "agreement"  # party to an active agreement covering the purpose
    STATUTORY_PARTNER = "statutory_partner"  # LA children's social care, police, health
    NOT_ENTITLED = "not_entitled"  # outside every agreement covering the purpose, not statutory


class Harm(StrEnum):
    """How serious the worry about the child is (Working Together 2018: s47 significant harm,
    s17 child in need, and welfare concerns below either threshold)."""

    SIGNIFICANT = "significant_harm"  # suffering, or likely to suffer, significant harm
    IN_NEED = "child_in_need"  # may be a child in need
    WELFARE = "welfare_concern"  # a worry about well-being below those thresholds
    NONE = "none"
    NOT_SURE = "not_sure"  # unsure whether the worry meets a threshold


class About(StrEnum):
    """Whom the information is about."""

    CHILD = "child"
    ADULT = "adult"  # an adult in contact with the child: parent, partner, relative, visitor


class AskedBy(StrEnum):
    """Whether somebody asked for the information, and who."""

    NOBODY = "nobody"  # the practitioner is raising a concern or sharing of their own accord
    STATUTORY_ENQUIRY = "statutory_enquiry"  # CSC or police: s47, strategy discussion, MASH
    OTHER_AGENCY = "other_agency"  # another practitioner or agency asked


@dataclass(frozen=True)
class Facts:
    purpose: str  # a SharingPurpose value (checked by the validator; the engine is pure)
    purpose_clear_and_legitimate: Tristate
    identifies_living_person: Tristate
    confidential: Tristate
    special_category: bool
    criminal_offence_data: bool
    consent: ConsentState
    consent_not_sought_reason: NotSoughtReason | None
    significant_harm_concern: bool  # kept equal to harm is Harm.SIGNIFICANT (see the docstring)
    immediate_danger: bool
    consent_would_increase_risk_to_child: bool
    consent_would_put_adult_at_serious_risk: bool
    consent_would_undermine_crime_prevention: bool
    statutory_duty_or_court_order: bool
    recipient: Recipient
    advice_sought: bool
    # --- asked from 2024.2; the defaults are what 2024.1 assumed ---------------------------------
    harm: Harm | None = None  # None: read from significant_harm_concern
    about: About = About.CHILD
    bears_on_child_safety: bool = False
    asked_by: AskedBy = AskedBy.NOBODY
    recipient_verified: Tristate = Tristate.YES
    young_person_confidentiality: bool = False
    child_age: int | None = None
    child_competent: Tristate = Tristate.NOT_SURE
    risk_indicators: bool = False

    def __post_init__(self) -> None:
        """Hold enum members, never their plain string values, so that the rule tables can
        compare by identity: ``Facts(consent="given")`` means ``ConsentState.GIVEN``. A ``harm``
        given sets ``significant_harm_concern`` to agree with it."""
        for name, kind in _COERCED_FIELDS.items():
            value = getattr(self, name)
            if value is None or isinstance(value, kind):
                continue
            try:
                object.__setattr__(self, name, kind(value))
            except ValueError as exc:
                raise InvalidFacts(f"{value!r} is not a valid {name}", field=name) from exc
        if self.harm is not None:
            object.__setattr__(self, "significant_harm_concern", self.harm is Harm.SIGNIFICANT)

    @property
    def graded_harm(self) -> Harm:
        """``harm`` when given; otherwise read from 2024.1's ``significant_harm_concern``."""
        if self.harm is not None:
            return self.harm
        return Harm.SIGNIFICANT if self.significant_harm_concern else Harm.NONE


FACT_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Facts))
"""Field names in declaration order."""

ENUM_FIELDS: Final[dict[str, type[StrEnum]]] = {
    "purpose_clear_and_legitimate": Tristate,
    "identifies_living_person": Tristate,
    "confidential": Tristate,
    "consent": ConsentState,
    "recipient": Recipient,
    "harm": Harm,
    "about": About,
    "asked_by": AskedBy,
    "recipient_verified": Tristate,
    "child_competent": Tristate,
}
BOOL_FIELDS: Final[tuple[str, ...]] = (
    "special_category",
    "criminal_offence_data",
    "significant_harm_concern",
    "immediate_danger",
    "consent_would_increase_risk_to_child",
    "consent_would_put_adult_at_serious_risk",
    "consent_would_undermine_crime_prevention",
    "statutory_duty_or_court_order",
    "advice_sought",
    "bears_on_child_safety",
    "young_person_confidentiality",
    "risk_indicators",
)
PURPOSES: Final[tuple[str, ...]] = (
    "child_protection",
    "child_in_need",
    "early_help",
    "mash_triage",
    "looked_after",
    "crime_prevention",
    "health_care",
    "education_welfare",
    "disclosure_scheme",
)
"""The values of ``safeshare.core.vocabulary.SharingPurpose`` (repeated because the engine is
pure; a test holds them equal)."""
CHILD_AGE_MAX: Final = 25  # a care leaver may be supported to 25; anything older is a typo


def facts_to_mapping(facts: Facts) -> dict[str, object]:
    """A JSON-safe dict (enum values as plain strings), in field order."""
    out: dict[str, object] = {}
    for name in FACT_FIELDS:
        value = getattr(facts, name)
        out[name] = str(value) if isinstance(value, StrEnum) else value
    return out


_COERCED_FIELDS: dict[str, type[StrEnum]] = {
    **ENUM_FIELDS,
    "consent_not_sought_reason": NotSoughtReason,
}
