"""The features linkage and identity search compare, made from a person's details (pure).

Linkage (Splink, in SQL) and identity search (Python, ``scoring.py``) must compare exactly the same
things, so every derived value is made here once, in Python, and both sides read the result:
lower-case names (a previous family name too) with the punctuation gone, the formal form of a
nickname, the date of birth as text and with day and month swapped, the birth year, and the
postcode with its sector and district.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TypedDict

from safeshare.linkage.nicknames import formal_given_name

FEATURE_COLUMNS: tuple[str, ...] = (
    "given_name",
    "given_canonical",
    "family_name",
    "previous_family_name",
    "dob",
    "dob_swapped",
    "birth_year",
    "sex",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "nhs_number",
)

_NOT_LETTERS = re.compile(r"[^a-z]+")
_NOT_POSTCODE = re.compile(r"[^A-Z0-9]+")
_SEXES = {"f": "F", "female": "F", "m": "M", "male": "M"}


class Features(TypedDict):
    given_name: str | None
    given_canonical: str | None
    family_name: str | None
    previous_family_name: str | None
    dob: str | None
    dob_swapped: str | None
    birth_year: int | None
    sex: str | None
    postcode: str | None
    postcode_sector: str | None
    postcode_district: str | None
    nhs_number: str | None


def clean_name(name: str | None) -> str | None:
    """Lower case, letters only ("O'Fakeby-Mock " -> "ofakebymock"); None when nothing is left."""
    if not name:
        return None
    cleaned = _NOT_LETTERS.sub("", name.lower())
    return cleaned or None


def clean_postcode(postcode: str | None) -> str | None:
    """Upper case without spaces ("zz1 2ab" -> "ZZ12AB"); None when too short to be one."""
    if not postcode:
        return None
    cleaned = _NOT_POSTCODE.sub("", postcode.upper())
    return cleaned if len(cleaned) >= 5 else None


def postcode_parts(postcode: str | None) -> tuple[str | None, str | None]:
    """(sector, district) of a cleaned postcode: "ZZ12AB" -> ("ZZ1 2", "ZZ1")."""
    if not postcode:
        return None, None
    outward, inward = postcode[:-3], postcode[-3:]
    return f"{outward} {inward[0]}", outward


def swap_day_month(dob: date | None) -> str | None:
    """The date with day and month swapped, as ISO text, when that is itself a different date."""
    if dob is None or dob.day == dob.month or dob.day > 12:
        return None
    return date(dob.year, dob.day, dob.month).isoformat()


def parse_date(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def make_features(
    *,
    given_name: str | None,
    family_name: str | None,
    date_of_birth: date | str | None,
    sex: str | None,
    postcode: str | None,
    nhs_number: str | None,
    previous_family_name: str | None = None,
) -> Features:
    """Everything linkage and search compare, from one record's (or one query's) details.

    ``previous_family_name`` is a family name the record says the person used to have (after a
    parent's marriage, an adoption, a change of name); a query has none.
    """
    given = clean_name(given_name)
    dob = parse_date(date_of_birth)
    code = clean_postcode(postcode)
    sector, district = postcode_parts(code)
    nhs = "".join(ch for ch in (nhs_number or "") if ch.isdigit())
    return Features(
        given_name=given,
        given_canonical=formal_given_name(given) if given else None,
        family_name=clean_name(family_name),
        previous_family_name=clean_name(previous_family_name),
        dob=dob.isoformat() if dob else None,
        dob_swapped=swap_day_month(dob),
        birth_year=dob.year if dob else None,
        sex=_SEXES.get((sex or "").strip().lower()),
        postcode=code,
        postcode_sector=sector,
        postcode_district=district,
        nhs_number=nhs if len(nhs) == 10 else None,
    )
