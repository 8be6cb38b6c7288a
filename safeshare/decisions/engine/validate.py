"""Reading facts from outside input: the one validator that the web, the API and the command
line share, so each says the same thing about the same mistake.

``facts_from_mapping(data)`` reads a mapping (parsed JSON, or the wizard's answers turned into the
engine's names) for a rule version and raises :class:`InvalidFacts` naming the field at fault.
What it checks is the shape and the cross-field rules that make an answer unreadable:

- every fact the version asks is present (2024.2 lets the newer facts be left out; their defaults
  are in ``Facts``), and nothing is present that the engine does not ask about;
- ``purpose`` is one of the sharing purposes;
- ``consent_not_sought_reason`` is given exactly when ``consent`` is ``not_sought``: the guidance
  allows not seeking consent only for the reasons it lists (seed 003, sections 3.3 and 3.4);
- ``harm`` and ``significant_harm_concern``, when both are given, agree;
- ``recipient_verified`` is given whenever somebody asked (seed 003, section 3.5);
- ``bears_on_child_safety`` is only true for information about an adult;
- ``child_age`` is a whole number of years from 0 to ``CHILD_AGE_MAX``.

Answers that can be read but contradict each other (special category data that identifies
nobody, say) are not refused here: the engine shows them back as "check your answers".
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, TypeVar, cast

from safeshare.decisions.engine.facts import (
    BOOL_FIELDS,
    CHILD_AGE_MAX,
    ENUM_FIELDS,
    FACT_FIELDS,
    PURPOSES,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    InvalidFacts,
    NotSoughtReason,
)
from safeshare.decisions.engine.rules import CURRENT_VERSION, rule_set

_E = TypeVar("_E", bound=StrEnum)

_HARM_FIELDS: Final = ("harm", "significant_harm_concern")


def _enum(name: str, value: object, enum: type[_E]) -> _E:
    # The enum's own value map: one dict lookup on the way through (this runs for every fact of
    # every request); the list of allowed values is only spelt out for the error.
    member = enum._value2member_map_.get(value) if isinstance(value, str) else None
    if member is not None:
        return cast(_E, member)
    allowed = ", ".join(member.value for member in enum)
    raise InvalidFacts(f"{name} must be one of {allowed}; got {_shown(value)}", field=name)


def _shown(value: object) -> str:
    """A short, safe rendering of a bad value for a message (never a whole document)."""
    text = repr(value) if isinstance(value, str | bool | int | float) or value is None else ""
    if not text:
        return f"a {type(value).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."


def _bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidFacts(f"{name} must be true or false; got {_shown(value)}", field=name)
    return value


def _age(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidFacts(
            f"child_age must be a whole number of years; got {_shown(value)}", field="child_age"
        )
    if not 0 <= value <= CHILD_AGE_MAX:
        raise InvalidFacts(
            f"child_age must be from 0 to {CHILD_AGE_MAX}; got {value}", field="child_age"
        )
    return value


def facts_from_mapping(data: object, *, version: str = CURRENT_VERSION) -> Facts:
    """Read facts for rule ``version`` from a mapping. Raises InvalidFacts naming the field."""
    rules = rule_set(version)
    if not isinstance(data, Mapping):
        raise InvalidFacts("facts must be an object with named fields", field=None)
    # An optional fact given as null is a fact not given (its default applies).
    optional = set(rules.optional_facts) | set(_HARM_FIELDS)
    data = {k: v for k, v in data.items() if not (v is None and k in optional)}
    known = set(rules.required_facts) | set(rules.optional_facts) | set(_HARM_FIELDS)
    unknown = sorted(str(key) for key in data if key not in known or key not in FACT_FIELDS)
    if unknown:
        raise InvalidFacts(f"{unknown[0]} is not a fact we ask about", field=unknown[0])
    for name in rules.required_facts:
        if name not in data:
            raise InvalidFacts(f"{name} is missing", field=name)
    if "harm" not in data and "significant_harm_concern" not in data:
        first = next(name for name in _HARM_FIELDS if name in known)
        raise InvalidFacts(f"{first} is missing", field=first)

    purpose = data["purpose"]
    if not isinstance(purpose, str) or purpose not in PURPOSES:
        raise InvalidFacts(
            f"purpose must be one of {', '.join(PURPOSES)}; got {_shown(purpose)}",
            field="purpose",
        )
    values: dict[str, object] = {"purpose": purpose}
    for name, enum in ENUM_FIELDS.items():
        if name in data:
            values[name] = _enum(name, data[name], enum)
    for name in BOOL_FIELDS:
        if name in data:
            values[name] = _bool(name, data[name])
    if "child_age" in data:
        values["child_age"] = _age(data["child_age"])

    raw_reason = data.get("consent_not_sought_reason")
    reason = (
        None
        if raw_reason is None
        else _enum("consent_not_sought_reason", raw_reason, NotSoughtReason)
    )
    not_sought = values["consent"] is ConsentState.NOT_SOUGHT
    if reason is not None and not not_sought:
        raise InvalidFacts(
            "consent_not_sought_reason is only given when consent is not_sought; "
            f"consent is {values['consent']}",
            field="consent_not_sought_reason",
        )
    if reason is None and not_sought:
        raise InvalidFacts(
            "consent_not_sought_reason is required when consent is not_sought: give the "
            "reason the guidance allows for not seeking consent",
            field="consent_not_sought_reason",
        )
    values["consent_not_sought_reason"] = reason

    harm = values.get("harm")
    agrees = values.get("significant_harm_concern", harm is Harm.SIGNIFICANT)
    if harm is not None and agrees != (harm is Harm.SIGNIFICANT):
        raise InvalidFacts(
            "significant_harm_concern disagrees with harm; give harm alone",
            field="significant_harm_concern",
        )
    values.setdefault("significant_harm_concern", harm is Harm.SIGNIFICANT)

    asked = values.get("asked_by", AskedBy.NOBODY)
    if asked is not AskedBy.NOBODY and "recipient_verified" not in values:
        raise InvalidFacts(
            "recipient_verified is required when somebody asked for the information",
            field="recipient_verified",
        )
    if values.get("bears_on_child_safety") and values.get("about", "child") != "adult":
        raise InvalidFacts(
            "bears_on_child_safety is only given for information about an adult",
            field="bears_on_child_safety",
        )
    return Facts(**values)  # type: ignore[arg-type]
