"""The facts of a sharing situation, and their JSON-safe mapping form.

Pure Python (no Django). ``facts_from_mapping`` is the one place that validates outside input: it
names the field that is wrong in :class:`InvalidFacts` so web, API and CLI can point at it.

Design choices (documented because the guidance leaves them open):

- ``consent_not_sought_reason`` only means something when ``consent`` is ``not_sought``. A mapping
  that gives a reason with any other consent state is refused (``InvalidFacts``), because it usually
  means a form kept a stale answer. A mapping with ``not_sought`` and no reason is accepted: the
  engine answers "seek advice" (the guidance lists the only reasons for not seeking consent, and you
  have not given one), which is more useful to a practitioner than an error.
- A ``Facts`` built directly in Python is not validated: the engine gives an answer for every
  combination (it ignores a reason that comes with a consent state other than ``not_sought``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Final, TypeVar


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


class Recipient(StrEnum):
    AGREEMENT = "agreement"  # party to an active agreement covering the purpose
    STATUTORY_PARTNER = "statutory_partner"  # LA children's social care, police, health
    NOT_ENTITLED = "not_entitled"


@dataclass(frozen=True)
class Facts:
    purpose: str  # a SharingPurpose value (free str here; the engine is pure)
    purpose_clear_and_legitimate: Tristate
    identifies_living_person: Tristate
    confidential: Tristate
    special_category: bool
    criminal_offence_data: bool
    consent: ConsentState
    consent_not_sought_reason: NotSoughtReason | None
    significant_harm_concern: bool  # child suffering or likely to suffer significant harm
    immediate_danger: bool
    consent_would_increase_risk_to_child: bool
    consent_would_put_adult_at_serious_risk: bool
    consent_would_undermine_crime_prevention: bool
    statutory_duty_or_court_order: bool
    recipient: Recipient
    advice_sought: bool

    def __post_init__(self) -> None:
        """Hold enum members, never their plain string values, so that the rule tables can
        compare by identity: ``Facts(consent="given")`` means ``ConsentState.GIVEN``."""
        for name, kind in _COERCED_FIELDS.items():
            value = getattr(self, name)
            if value is None or isinstance(value, kind):
                continue
            try:
                object.__setattr__(self, name, kind(value))
            except ValueError as exc:
                raise InvalidFacts(f"{value!r} is not a valid {name}", field=name) from exc


FACT_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Facts))
"""Field names in declaration order (the order a wizard asks them)."""

_ENUM_FIELDS: Final[dict[str, type[StrEnum]]] = {
    "purpose_clear_and_legitimate": Tristate,
    "identifies_living_person": Tristate,
    "confidential": Tristate,
    "consent": ConsentState,
    "recipient": Recipient,
}
_BOOL_FIELDS: Final[tuple[str, ...]] = (
    "special_category",
    "criminal_offence_data",
    "significant_harm_concern",
    "immediate_danger",
    "consent_would_increase_risk_to_child",
    "consent_would_put_adult_at_serious_risk",
    "consent_would_undermine_crime_prevention",
    "statutory_duty_or_court_order",
    "advice_sought",
)
PURPOSE_MAX_LENGTH: Final = 64

_E = TypeVar("_E", bound=StrEnum)


def facts_to_mapping(facts: Facts) -> dict[str, object]:
    """A JSON-safe dict (enum values as plain strings), in field order."""
    out: dict[str, object] = {}
    for name in FACT_FIELDS:
        value = getattr(facts, name)
        out[name] = str(value) if isinstance(value, StrEnum) else value
    return out


def _enum(name: str, value: object, enum: type[_E]) -> _E:
    allowed = ", ".join(member.value for member in enum)
    if not isinstance(value, str):
        raise InvalidFacts(f"{name} must be one of {allowed}; got {value!r}", field=name)
    try:
        return enum(value)
    except ValueError:
        raise InvalidFacts(f"{name} must be one of {allowed}; got {value!r}", field=name) from None


def facts_from_mapping(data: Mapping[str, object]) -> Facts:
    """Read facts from a mapping (e.g. parsed JSON). Raises InvalidFacts naming the field."""
    if not isinstance(data, Mapping):
        raise InvalidFacts("facts must be an object with named fields", field=None)
    unknown = sorted(str(key) for key in data if key not in FACT_FIELDS)
    if unknown:
        raise InvalidFacts(f"{unknown[0]} is not a fact we ask about", field=unknown[0])
    for name in FACT_FIELDS:
        if name not in data:
            raise InvalidFacts(f"{name} is missing", field=name)

    purpose = data["purpose"]
    if not isinstance(purpose, str) or not purpose.strip():
        raise InvalidFacts("purpose must be a non-empty string", field="purpose")
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise InvalidFacts(
            f"purpose must be at most {PURPOSE_MAX_LENGTH} characters", field="purpose"
        )

    values: dict[str, object] = {"purpose": purpose}
    for name, enum in _ENUM_FIELDS.items():
        values[name] = _enum(name, data[name], enum)
    for name in _BOOL_FIELDS:
        value = data[name]
        if not isinstance(value, bool):
            raise InvalidFacts(f"{name} must be true or false; got {value!r}", field=name)
        values[name] = value

    raw_reason = data["consent_not_sought_reason"]
    reason = (
        None
        if raw_reason is None
        else _enum("consent_not_sought_reason", raw_reason, NotSoughtReason)
    )
    if reason is not None and values["consent"] != ConsentState.NOT_SOUGHT:
        raise InvalidFacts(
            "consent_not_sought_reason is only given when consent is not_sought; "
            f"consent is {values['consent']}",
            field="consent_not_sought_reason",
        )
    values["consent_not_sought_reason"] = reason
    return Facts(**values)  # type: ignore[arg-type]


_COERCED_FIELDS: dict[str, type[StrEnum]] = {
    "purpose_clear_and_legitimate": Tristate,
    "identifies_living_person": Tristate,
    "confidential": Tristate,
    "consent": ConsentState,
    "consent_not_sought_reason": NotSoughtReason,
    "recipient": Recipient,
}
