"""A synthetic population for linkage tests and benchmarks (pure: no Django).

``generate_population(children=N, seed=S)`` invents N children in families (one or two parents or
carers, sometimes siblings), gives every person a true identity, and has several agencies hold
each person as separate records with realistic errors: typos, nicknames, swapped names and date
parts, old postcodes after a move, missing NHS numbers, previous family names, missing fields.
Every record keeps its ``identity_id`` (the truth) and the list of errors applied to it. Where a
person has a previous family name (a mother's maiden name, a child's name before a change), each
agency may also have recorded it alongside the current one (``Record.previous_family_name``).

Everything is obviously fictional. Family names are invented words built from our own syllables
("Fakeworth", "Mockbleton"); given names are ordinary, so with an invented family name the whole
reads as made up. Postcodes use the ZZ area, which no real address has; NHS numbers start 999
(never issued). The same seed always gives the same population.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from itertools import accumulate, combinations
from typing import NamedTuple

from safeshare.linkage.features import Features, make_features
from safeshare.linkage.nicknames import NICKNAMES

# --- names ------------------------------------------------------------------------------------

_FAMILY_PREFIXES: tuple[str, ...] = (
    "Fake", "Mock", "Quib", "Test", "Stub", "Bogus", "Faux", "Pseudo", "Sample", "Dummy",
    "Null", "Void", "Phantom", "Spoof", "Decoy", "Fable", "Fib", "Lorem", "Ipsum", "Proto",
    "Fixture", "Madeup", "Notreal", "Placebo", "Zilch", "Nada", "Vapour", "Fiction", "Pretend",
    "Imagin", "Hypothet", "Sandbox", "Template", "Example", "Specimen", "Makebelieve",
    "Dataless", "Nowhere", "Unreal", "Testcase",
)  # fmt: skip
_FAMILY_MIDDLES: tuple[str, ...] = (
    "ble", "er", "ing", "ly", "a", "o", "ers", "le", "an", "is", "et", "um", "ox", "ib", "ar",
)  # fmt: skip
_FAMILY_SUFFIXES: tuple[str, ...] = (
    "ton", "worth", "by", "ley", "well", "ford", "bury", "ridge", "field", "stone", "dale",
    "ham", "wick", "combe", "more", "thorpe", "shaw", "hurst", "brook", "gate",
)  # fmt: skip

_FEMALE_FORMAL = tuple(list(NICKNAMES)[:18])
_MALE_FORMAL = tuple(list(NICKNAMES)[18:])
_FEMALE_PLAIN = (
    "Amara", "Cerys", "Esme", "Freya", "Isla", "Kemi", "Maya", "Priya", "Zara", "Aisha",
    "Niamh", "Ruby", "Layla", "Poppy", "Ivy", "Nia", "Mei", "Leah", "Hana", "Orla",
)  # fmt: skip
_MALE_PLAIN = (
    "Arlo", "Kai", "Idris", "Rohan", "Omar", "Finn", "Rhys", "Kwame", "Luca", "Oscar",
    "Reuben", "Tariq", "Yusuf", "Ezra", "Jude", "Felix", "Ravi", "Callum", "Milo", "Owen",
)  # fmt: skip
FEMALE_GIVEN_NAMES: tuple[str, ...] = _FEMALE_FORMAL + _FEMALE_PLAIN
MALE_GIVEN_NAMES: tuple[str, ...] = _MALE_FORMAL + _MALE_PLAIN


def _build_family_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    common = tuple((p + s).capitalize() for p in _FAMILY_PREFIXES for s in _FAMILY_SUFFIXES)
    rare = tuple(
        (p + m + s).capitalize()
        for p in _FAMILY_PREFIXES
        for m in _FAMILY_MIDDLES
        for s in _FAMILY_SUFFIXES
    )
    # A fixed order (independent of the seed) decides which common names are the most common.
    shuffled = list(common)
    random.Random(6).shuffle(shuffled)  # noqa: S311 - fake data, not security
    return tuple(shuffled), rare


COMMON_FAMILY_NAMES, RARE_FAMILY_NAMES = _build_family_names()
FAMILY_NAMES: frozenset[str] = frozenset(COMMON_FAMILY_NAMES + RARE_FAMILY_NAMES)
GIVEN_NAMES: frozenset[str] = frozenset(
    FEMALE_GIVEN_NAMES + MALE_GIVEN_NAMES + tuple(n for ns in NICKNAMES.values() for n in ns)
)
_COMMON_SHARE = 0.55  # of families take one of the (Zipf-weighted) common family names


def _zipf_cum_weights(n: int, exponent: float) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


_COMMON_CUM = _zipf_cum_weights(len(COMMON_FAMILY_NAMES), 1.1)
_FEMALE_CUM = _zipf_cum_weights(len(FEMALE_GIVEN_NAMES), 0.7)
_MALE_CUM = _zipf_cum_weights(len(MALE_GIVEN_NAMES), 0.7)

# --- agencies and error rates -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyProfile:
    """Who an agency holds (chance per child and per adult), how often it lacks NHS numbers, and
    how often it records a person's known previous family name."""

    name: str
    child_rate: float = 0.6
    adult_rate: float = 0.5
    missing_nhs: float = 0.5
    school_age_only: bool = False
    previous_name_recorded: float = 0.3


AGENCY_PROFILES: dict[str, AgencyProfile] = {
    p.name: p
    for p in (
        AgencyProfile(
            "health",
            child_rate=0.97,
            adult_rate=0.95,
            missing_nhs=0.03,
            previous_name_recorded=0.4,
        ),
        AgencyProfile(
            "school",
            child_rate=0.95,
            adult_rate=0.0,
            missing_nhs=0.6,
            school_age_only=True,
            previous_name_recorded=0.2,
        ),
        AgencyProfile(
            "childrens_services",
            child_rate=0.6,
            adult_rate=0.5,
            missing_nhs=0.3,
            previous_name_recorded=0.6,
        ),
        AgencyProfile(
            "police",
            child_rate=0.2,
            adult_rate=0.35,
            missing_nhs=0.75,
            previous_name_recorded=0.3,
        ),
        AgencyProfile(
            "housing",
            child_rate=0.35,
            adult_rate=0.6,
            missing_nhs=0.85,
            previous_name_recorded=0.2,
        ),
    )
}
DEFAULT_AGENCIES: tuple[str, ...] = tuple(AGENCY_PROFILES)


class ErrorKind(StrEnum):
    TYPO_INSERTION = "typo_insertion"
    TYPO_DELETION = "typo_deletion"
    TYPO_SUBSTITUTION = "typo_substitution"
    TYPO_TRANSPOSITION = "typo_transposition"
    NICKNAME = "nickname"
    NAME_SWAP = "name_swap"
    DAY_MONTH_SWAP = "day_month_swap"
    DOB_DIGIT = "dob_digit"
    PREVIOUS_POSTCODE = "previous_postcode"
    PREVIOUS_FAMILY_NAME = "previous_family_name"
    MISSING_NHS = "missing_nhs"
    MISSING_FIELD = "missing_field"


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """Chance of each error per record (per name for typos), among the records it can apply to.

    A nickname needs a given name that has one, a day and month swap a day of 12 or less (and not
    equal to the month), an old postcode a family that has moved, a previous family name a person
    who has one. Missing NHS numbers come from each agency's profile instead.
    """

    typo: float = 0.05
    nickname: float = 0.15
    name_swap: float = 0.01
    day_month_swap: float = 0.01
    dob_digit: float = 0.02
    previous_postcode: float = 0.3
    previous_family_name: float = 0.4
    missing_field: float = 0.03


# --- the population ---------------------------------------------------------------------------


class Address(NamedTuple):
    postcode: str
    moved_in: date


class Person(NamedTuple):
    identity_id: int
    family_id: int
    role: str  # "child" or "parent"
    given_name: str
    other_names: str | None
    family_name: str
    previous_family_name: str | None
    sex: str  # "F" or "M"
    date_of_birth: date
    nhs_number: str
    addresses: tuple[Address, ...]  # oldest first; shared by the household


class Record(NamedTuple):
    """One agency's record of one person, as the agency holds it (errors included)."""

    record_id: int
    agency: str
    identity_id: int  # the truth, never shown to the linkage
    given_name: str
    family_name: str
    other_names: str | None
    date_of_birth: str | None  # ISO 8601
    sex: str | None
    postcode: str | None
    nhs_number: str | None
    errors: tuple[str, ...]  # "kind" or "kind:field", e.g. "typo_deletion:family_name"
    # The person's previous family name where the agency has recorded it (never when the record's
    # family name is itself the previous one).
    previous_family_name: str | None = None


ROW_COLUMNS: tuple[str, ...] = Record._fields


def record_features(record: Record) -> Features:
    """What the linkage compares for one synthetic record (as ``person_features`` does for a
    stored person)."""
    return make_features(
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        postcode=record.postcode,
        nhs_number=record.nhs_number,
        previous_family_name=record.previous_family_name,
    )


@dataclass(slots=True)
class Population:
    people: list[Person]
    records: list[Record]
    as_of: date
    _by_identity: dict[int, list[int]] | None = field(default=None, repr=False)

    def record_ids_by_identity(self) -> dict[int, list[int]]:
        if self._by_identity is None:
            grouped: dict[int, list[int]] = {}
            for r in self.records:
                grouped.setdefault(r.identity_id, []).append(r.record_id)
            self._by_identity = grouped
        return self._by_identity

    def truth_pairs(self) -> Iterator[tuple[int, int]]:
        """Every pair of records (lower id first) that belong to the same identity."""
        for ids in self.record_ids_by_identity().values():
            yield from combinations(sorted(ids), 2)

    def true_pair_count(self) -> int:
        return sum(len(ids) * (len(ids) - 1) // 2 for ids in self.record_ids_by_identity().values())

    def to_rows(self) -> dict[str, list[object]]:
        """The records as columns (dict of lists); errors joined with ";"."""
        columns = list(zip(*self.records, strict=True)) if self.records else [()] * len(ROW_COLUMNS)
        rows: dict[str, list[object]] = {
            n: list(c) for n, c in zip(ROW_COLUMNS, columns, strict=True)
        }
        rows["errors"] = [";".join(e) for e in rows["errors"]]  # type: ignore[arg-type]
        return rows


def error_kinds(record: Record) -> set[str]:
    return {e.split(":", 1)[0] for e in record.errors}


# --- generation -------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters real inward codes use


def _weighted_digit_sums(weights: tuple[int, int, int]) -> tuple[int, ...]:
    return tuple(
        sum(int(d) * w for d, w in zip(f"{n:03d}", weights, strict=True)) for n in range(1000)
    )


# The modulus-11 weights of digits 4-6 and 7-9 (the first three are 999: 9*10 + 9*9 + 9*8 = 243).
_WEIGHTED_HIGH = _weighted_digit_sums((7, 6, 5))
_WEIGHTED_LOW = _weighted_digit_sums((4, 3, 2))


class _NhsNumbers:
    """Distinct valid NHS numbers in the never-issued 999 range, drawn at random as needed."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def draw(self) -> str:
        for _ in range(10_000):
            n = self._rng.randrange(1_000_000)
            if n in self._used:
                continue
            high, low = divmod(n, 1000)
            check = 11 - (243 + _WEIGHTED_HIGH[high] + _WEIGHTED_LOW[low]) % 11
            if check != 10:
                self._used.add(n)
                return f"999{n:06d}{0 if check == 11 else check}"
        raise ValueError("the population is more than the 999 range of NHS numbers can number")


def _postcode(rng: random.Random) -> str:
    """ZZ1 to ZZ20, then an inward code such as 4PA."""
    rest, district = divmod(rng.randrange(20 * 10 * 400), 20)
    sector, unit = divmod(rest, 400)
    first, second = divmod(unit, 20)
    letters = _POSTCODE_LETTERS
    return f"ZZ{district + 1} {sector}{letters[first]}{letters[second]}"


def _pick(rng: random.Random, names: Sequence[str], cum_weights: list[float]) -> str:
    return names[bisect(cum_weights, rng.random() * cum_weights[-1])]


def _family_name(rng: random.Random) -> str:
    if rng.random() < _COMMON_SHARE:
        return _pick(rng, COMMON_FAMILY_NAMES, _COMMON_CUM)
    return rng.choice(RARE_FAMILY_NAMES)


def _given_name(rng: random.Random, sex: str) -> str:
    if sex == "F":
        return _pick(rng, FEMALE_GIVEN_NAMES, _FEMALE_CUM)
    return _pick(rng, MALE_GIVEN_NAMES, _MALE_CUM)


def _people(rng: random.Random, children: int, as_of: date) -> list[Person]:
    nhs = _NhsNumbers(rng)
    people: list[Person] = []
    made = family_id = 0
    while made < children:
        family_id += 1
        n_children = min(
            children - made, rng.choices((1, 2, 3, 4), cum_weights=(40, 75, 92, 100))[0]
        )
        made += n_children
        family_name = _family_name(rng)
        kid_dobs = [as_of - timedelta(days=rng.randrange(18 * 365)) for _ in range(n_children)]
        oldest = min(kid_dobs)
        moves = rng.choices((0, 1, 2), cum_weights=(55, 85, 100))[0]
        move_days = sorted(rng.randrange(1, max(2, (as_of - oldest).days)) for _ in range(moves))
        addresses = (
            Address(_postcode(rng), oldest),
            *(Address(_postcode(rng), oldest + timedelta(days=d)) for d in move_days),
        )
        carers = 2 if rng.random() < 0.6 else 1
        for i in range(carers):
            sex = (
                ("F" if rng.random() < 0.85 else "M")
                if i == 0
                else ("M" if people[-1].sex == "F" else "F")
            )
            own_name = family_name if i == 0 or rng.random() < 0.7 else _family_name(rng)
            maiden = _family_name(rng) if sex == "F" and rng.random() < 0.3 else None
            dob = oldest - timedelta(days=rng.randrange(18 * 365, 45 * 365))
            people.append(
                _person(
                    rng,
                    len(people) + 1,
                    family_id,
                    "parent",
                    sex,
                    own_name,
                    maiden,
                    dob,
                    nhs.draw(),
                    addresses,
                )
            )
        for dob in kid_dobs:
            sex = "F" if rng.random() < 0.5 else "M"
            previous = _family_name(rng) if rng.random() < 0.05 else None
            people.append(
                _person(
                    rng,
                    len(people) + 1,
                    family_id,
                    "child",
                    sex,
                    family_name,
                    previous,
                    dob,
                    nhs.draw(),
                    addresses,
                )
            )
    return people


def _person(
    rng: random.Random,
    identity_id: int,
    family_id: int,
    role: str,
    sex: str,
    family_name: str,
    previous_family_name: str | None,
    dob: date,
    nhs_number: str,
    addresses: tuple[Address, ...],
) -> Person:
    given = _given_name(rng, sex)
    other = _given_name(rng, sex) if rng.random() < 0.6 else None
    return Person(
        identity_id, family_id, role, given, other if other != given else None, family_name,
        previous_family_name, sex, dob, nhs_number, addresses,
    )  # fmt: skip


def _typo(rng: random.Random, name: str) -> tuple[str, ErrorKind]:
    s = name.lower()
    n = len(s)
    op = rng.randrange(4)
    if op == 0:
        pos = rng.randrange(n + 1)
        return (s[:pos] + rng.choice(_LETTERS) + s[pos:]).capitalize(), ErrorKind.TYPO_INSERTION
    if op == 1 and n > 2:
        pos = rng.randrange(n)
        return (s[:pos] + s[pos + 1 :]).capitalize(), ErrorKind.TYPO_DELETION
    if op == 3 and n > 1:
        pos = rng.randrange(n - 1)
        if s[pos] != s[pos + 1]:
            swapped = s[:pos] + s[pos + 1] + s[pos] + s[pos + 2 :]
            return swapped.capitalize(), ErrorKind.TYPO_TRANSPOSITION
    pos = rng.randrange(n)
    letter = rng.choice(_LETTERS.replace(s[pos], ""))
    return (s[:pos] + letter + s[pos + 1 :]).capitalize(), ErrorKind.TYPO_SUBSTITUTION


def _dob_digit_typo(rng: random.Random, dob: date) -> date | None:
    """The date with one digit of its day, month or year's last two digits mistyped."""
    for _ in range(6):
        text = list(dob.strftime("%Y%m%d"))
        pos = rng.choice((2, 3, 4, 5, 6, 7))
        text[pos] = rng.choice("0123456789".replace(text[pos], ""))
        joined = "".join(text)
        try:
            return date(int(joined[:4]), int(joined[4:6]), int(joined[6:]))
        except ValueError:
            continue
    return None


def _agencies_for(
    person: Person, profiles: Sequence[AgencyProfile], rng: random.Random, as_of: date
) -> list[AgencyProfile]:
    is_child = person.role == "child"
    school_age = is_child and (as_of - person.date_of_birth).days >= 4 * 365
    eligible = [p for p in profiles if not p.school_age_only or school_age]
    chosen = [p for p in eligible if rng.random() < (p.child_rate if is_child else p.adult_rate)]
    for p in eligible:  # everyone is known to at least two agencies (where two exist)
        if len(chosen) >= 2:
            break
        if p not in chosen:
            chosen.append(p)
    return chosen


def _record(
    rng: random.Random,
    record_id: int,
    person: Person,
    agency: AgencyProfile,
    rates: ErrorRates,
    recorded: random.Random,
) -> Record:
    """One agency's record of ``person``. Whether the agency recorded a previous family name is
    drawn from ``recorded``, not ``rng``, so the rest of the population is the same as before
    previous names were recorded."""
    rand = rng.random
    errors: list[str] = []
    given, family = person.given_name, person.family_name
    nicknames = NICKNAMES.get(given)
    if nicknames and rand() < rates.nickname:
        given = rng.choice(nicknames)
        errors.append(ErrorKind.NICKNAME.value)
    if person.previous_family_name and rand() < rates.previous_family_name:
        family = person.previous_family_name
        errors.append(ErrorKind.PREVIOUS_FAMILY_NAME.value)
    if rand() < rates.typo:
        given, kind = _typo(rng, given)
        errors.append(f"{kind.value}:given_name")
    if rand() < rates.typo:
        family, kind = _typo(rng, family)
        errors.append(f"{kind.value}:family_name")
    if rand() < rates.name_swap:
        given, family = family, given
        errors.append(ErrorKind.NAME_SWAP.value)
    born = person.date_of_birth
    if born.day <= 12 and born.day != born.month and rand() < rates.day_month_swap:
        born = date(born.year, born.day, born.month)
        errors.append(ErrorKind.DAY_MONTH_SWAP.value)
    if rand() < rates.dob_digit:
        typo = _dob_digit_typo(rng, born)
        if typo is not None:
            born = typo
            errors.append(ErrorKind.DOB_DIGIT.value)
    dob: date | None = born
    addresses = person.addresses
    postcode: str | None = addresses[-1].postcode
    if len(addresses) > 1 and rand() < rates.previous_postcode:
        postcode = addresses[-2].postcode
        errors.append(ErrorKind.PREVIOUS_POSTCODE.value)
    nhs: str | None = person.nhs_number
    if rand() < agency.missing_nhs:
        nhs = None
        errors.append(ErrorKind.MISSING_NHS.value)
    sex: str | None = person.sex
    if rand() < rates.missing_field:
        missing = rng.choice(("date_of_birth", "sex", "postcode"))
        if missing == "date_of_birth":
            dob = None
        elif missing == "sex":
            sex = None
        else:
            postcode = None
        errors.append(f"{ErrorKind.MISSING_FIELD.value}:{missing}")
    other = person.other_names if rand() < 0.5 else None
    iso = dob.isoformat() if dob is not None else None
    previous: str | None = None
    if (
        person.previous_family_name
        and recorded.random() < agency.previous_name_recorded
        and ErrorKind.PREVIOUS_FAMILY_NAME.value not in errors
    ):
        previous = person.previous_family_name
    return Record(
        record_id,
        agency.name,
        person.identity_id,
        given,
        family,
        other,
        iso,
        sex,
        postcode,
        nhs,
        tuple(errors) if errors else (),
        previous,
    )


def generate_population(
    *,
    children: int,
    seed: int,
    agencies: Sequence[str | AgencyProfile] = DEFAULT_AGENCIES,
    rates: ErrorRates | None = None,
    as_of: date = date(2026, 1, 1),
) -> Population:
    """``children`` children with their families, held by ``agencies`` with errors at ``rates``.

    A name in ``agencies`` that is not a known profile is held with the generic profile. Records
    come shuffled (so their order says nothing about identity) and numbered from 1. With the
    default agencies a child brings about 5 records (its own and its family's): ask for 200,000
    children to get about a million records.
    """
    if children < 1:
        raise ValueError("children must be at least 1")
    rates = rates or ErrorRates()
    profiles = [
        a if isinstance(a, AgencyProfile) else AGENCY_PROFILES.get(a, AgencyProfile(a))
        for a in agencies
    ]
    rng = random.Random(seed)  # noqa: S311 - fake data, not security
    people = _people(rng, children, as_of)
    held = [(p, a) for p in people for a in _agencies_for(p, profiles, rng, as_of)]
    rng.shuffle(held)
    recorded = random.Random(f"{seed}:previous names")  # noqa: S311 - fake data, not security
    records = [_record(rng, i, p, a, rates, recorded) for i, (p, a) in enumerate(held, start=1)]
    return Population(people=people, records=records, as_of=as_of)


def error_counts(records: Sequence[Record]) -> Counter[str]:
    """How many records carry each error kind."""
    return Counter(kind for r in records for kind in error_kinds(r))
