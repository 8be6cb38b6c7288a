"""Planning the demo area's families (no database): who is in each family and who holds them.

A family is planned once, from the seeded random generator, then written by either writer (the
real services, or the bulk path), so both paths produce the same shape of data for the same seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from safeshare.agencies.models import AgencyType
from safeshare.cases.models import CaseStatus
from safeshare.cli.demo import names
from safeshare.people.models import Sex
from safeshare.people.nhs import check_digit


class AgencyKey(StrEnum):
    CSC = "csc"
    POLICE = "police"
    GP_NOWHERE = "gp_nowhere"
    GP_TESTING = "gp_testing"
    HOSPITAL = "hospital"
    SCHOOL_QUIBBLETON = "school_quibbleton"
    SCHOOL_PLACEHOLDER = "school_placeholder"
    ACADEMY = "academy"
    HOUSING = "housing"
    VOLUNTARY = "voluntary"


@dataclass(frozen=True)
class AgencySpec:
    key: AgencyKey
    name: str
    agency_type: str
    ods_code: str
    prefix: str  # for case and record references


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        AgencyKey.CSC,
        "Fakeshire Council Children's Services",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        "ZZ9LA1",
        "FCS",
    ),
    AgencySpec(AgencyKey.POLICE, "Fakeshire Constabulary", AgencyType.POLICE, "ZZ9PF1", "FPC"),
    AgencySpec(
        AgencyKey.GP_NOWHERE, "Nowhere Lane Surgery", AgencyType.GP_PRACTICE, "Z99901", "NLS"
    ),
    AgencySpec(
        AgencyKey.GP_TESTING,
        "Testing Road Medical Centre",
        AgencyType.GP_PRACTICE,
        "Z99902",
        "TRM",
    ),
    AgencySpec(
        AgencyKey.HOSPITAL, "Fakeshire General Hospital", AgencyType.HOSPITAL, "ZZ9H01", "FGH"
    ),
    AgencySpec(
        AgencyKey.SCHOOL_QUIBBLETON,
        "Quibbleton Primary School",
        AgencyType.SCHOOL,
        "999001",
        "QPS",
    ),
    AgencySpec(
        AgencyKey.SCHOOL_PLACEHOLDER,
        "Placeholder Park Primary School",
        AgencyType.SCHOOL,
        "999002",
        "PPP",
    ),
    AgencySpec(AgencyKey.ACADEMY, "Madeup Academy", AgencyType.SCHOOL, "999003", "MUA"),
    AgencySpec(AgencyKey.HOUSING, "Fakeshire Homes", AgencyType.HOUSING, "ZZ9HS1", "FSH"),
    AgencySpec(
        AgencyKey.VOLUNTARY, "Notreal Family Support", AgencyType.VOLUNTARY, "ZZ9VS1", "NFS"
    ),
)
AGENCY_BY_KEY: dict[AgencyKey, AgencySpec] = {spec.key: spec for spec in AGENCIES}
PRIMARY_SCHOOLS = (AgencyKey.SCHOOL_QUIBBLETON, AgencyKey.SCHOOL_PLACEHOLDER)
SCHOOLS = (*PRIMARY_SCHOOLS, AgencyKey.ACADEMY)
GP_PRACTICES = (AgencyKey.GP_NOWHERE, AgencyKey.GP_TESTING)


class MemberKind(StrEnum):
    CHILD = "child"
    MOTHER = "mother"
    FATHER = "father"
    PARTNER = "partner"  # a parent's new partner, living in the household
    EX_PARTNER = "ex_partner"  # not in the household: only ever an alleged perpetrator here
    FOSTER_CARER = "foster_carer"


@dataclass
class Member:
    index: int
    kind: MemberKind
    given_name: str
    family_name: str
    sex: str
    date_of_birth: dt.date | None
    nhs_number: str
    expected_date: dt.date | None = None
    previous_family_name: str = ""
    phone: str = ""
    email: str = ""
    school: AgencyKey | None = None
    own_lines: str = ""  # someone living elsewhere (ex-partner, foster carer)
    own_postcode: str = ""

    @property
    def is_child(self) -> bool:
        return self.kind == MemberKind.CHILD

    @property
    def is_unborn(self) -> bool:
        return self.is_child and self.date_of_birth is None

    @property
    def is_parent(self) -> bool:
        return self.kind in (MemberKind.MOTHER, MemberKind.FATHER)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass
class CasePlan:
    agency: AgencyKey
    child: int  # member index
    status: str  # the open status the case starts with
    closed: bool
    opened_on: dt.date


@dataclass
class Family:
    number: int
    members: list[Member]
    home_lines: str
    home_postcode: str
    previous_lines: str
    previous_postcode: str
    moved_in: dt.date
    concern: str | None  # the children's social care status, None when not known to them
    perpetrator: int | None = None
    refuge_lines: str = ""
    refuge_postcode: str = ""
    gp_out_of_date: bool = False  # the GP still holds the previous address as current
    holdings: dict[AgencyKey, list[int]] = field(default_factory=dict)
    cases: list[CasePlan] = field(default_factory=list)

    @property
    def children(self) -> list[Member]:
        return [m for m in self.members if m.is_child]

    @property
    def in_refuge(self) -> bool:
        return bool(self.refuge_lines)


class NhsNumbers:
    """Unique NHS numbers in the 999 range (never issued) with a valid modulus-11 check digit."""

    LIMIT = 850_000  # of the ~909,000 valid numbers; after that people are recorded without one

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def next(self) -> str:
        if len(self._used) >= self.LIMIT:
            return ""
        while True:
            n = self._rng.randrange(1_000_000)
            if n in self._used:
                continue
            first_nine = f"999{n:06d}"
            digit = check_digit(first_nine)
            if digit is None:
                continue
            self._used.add(n)
            return f"{first_nine}{digit}"


_CONCERNS: tuple[tuple[str | None, int], ...] = (
    (None, 48),
    (CaseStatus.EARLY_HELP, 14),
    (CaseStatus.CHILD_IN_NEED, 12),
    (CaseStatus.CHILD_PROTECTION, 8),
    (CaseStatus.LOOKED_AFTER, 4),
    (CaseStatus.CLOSED, 14),
)
_DOMESTIC_ABUSE_CHANCE: dict[str | None, float] = {
    None: 0.02,
    CaseStatus.EARLY_HELP: 0.15,
    CaseStatus.CHILD_IN_NEED: 0.3,
    CaseStatus.CHILD_PROTECTION: 0.6,
    CaseStatus.LOOKED_AFTER: 0.4,
    CaseStatus.CLOSED: 0.2,
}

_VOLUNTARY_CHANCE: dict[str | None, float] = {
    None: 0.03,
    CaseStatus.EARLY_HELP: 0.6,
    CaseStatus.CHILD_IN_NEED: 0.15,
    CaseStatus.CLOSED: 0.15,
}


def _weighted(rng: random.Random, options: tuple[tuple[str | None, int], ...]) -> str | None:
    values = [v for v, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights)[0]


def _birthday(rng: random.Random, today: dt.date, age: int) -> dt.date:
    return today - dt.timedelta(days=age * 365 + rng.randint(1, 364))


class FamilyPlanner:
    """Plans families one at a time; the same seed always gives the same families."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.nhs = NhsNumbers(rng)
        self.count = 0

    def families(self, total_children: int) -> Iterator[Family]:
        remaining = total_children
        while remaining > 0:
            family = self.family(max_children=remaining)
            remaining -= len(family.children)
            yield family

    def _adult(
        self, kind: MemberKind, sex: str, family_name: str, age: int, members: list[Member]
    ) -> Member:
        rng = self.rng
        pool = names.FEMALE_GIVEN_NAMES if sex == Sex.FEMALE else names.MALE_GIVEN_NAMES
        given = rng.choice(pool)
        member = Member(
            index=len(members),
            kind=kind,
            given_name=given,
            family_name=family_name,
            sex=sex,
            date_of_birth=_birthday(rng, self.today, age),
            nhs_number=self.nhs.next(),
            phone=names.fake_phone(rng),
            email=names.fake_email(given, family_name) if rng.random() < 0.4 else "",
        )
        members.append(member)
        return member

    def family(self, *, max_children: int) -> Family:
        rng = self.rng
        self.count += 1
        today = self.today
        surname = rng.choice(names.FAMILY_NAMES)
        concern = _weighted(rng, _CONCERNS)
        n_children = min(max_children, rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0])
        eldest_age = rng.randint(0, 17)
        members: list[Member] = []

        single = rng.random() < 0.35
        mother: Member | None = None
        father: Member | None = None
        mother_age = eldest_age + rng.randint(18, 36)
        if not single or rng.random() < 0.9:
            mother = self._adult(MemberKind.MOTHER, Sex.FEMALE, surname, mother_age, members)
            if rng.random() < 0.3:
                mother.previous_family_name = rng.choice(names.FAMILY_NAMES)
        if not single or mother is None:
            father_surname = surname if rng.random() < 0.7 else rng.choice(names.FAMILY_NAMES)
            father_age = max(18 + eldest_age, mother_age + rng.randint(-3, 6))
            father = self._adult(MemberKind.FATHER, Sex.MALE, father_surname, father_age, members)
        if (mother is None or father is None) and rng.random() < 0.15:
            # A lone parent's new partner, living in the household.
            self._adult(
                MemberKind.PARTNER,
                Sex.MALE if mother is not None else Sex.FEMALE,
                rng.choice(names.FAMILY_NAMES),
                max(18, mother_age + rng.randint(-5, 8)),
                members,
            )

        primary = rng.choice(PRIMARY_SCHOOLS)
        age = eldest_age
        for number in range(n_children):
            unborn = number == n_children - 1 and mother is not None and rng.random() < 0.03
            sex = rng.choice((Sex.FEMALE, Sex.MALE))
            pool = names.FEMALE_GIVEN_NAMES if sex == Sex.FEMALE else names.MALE_GIVEN_NAMES
            child_surname = surname
            if father is not None and father.family_name != surname and rng.random() < 0.3:
                child_surname = f"{surname}-{father.family_name}"
            if unborn:
                child = Member(
                    index=len(members),
                    kind=MemberKind.CHILD,
                    given_name="",
                    family_name=child_surname,
                    sex=Sex.UNKNOWN,
                    date_of_birth=None,
                    expected_date=today + dt.timedelta(days=rng.randint(20, 160)),
                    nhs_number="",
                )
            else:
                child = Member(
                    index=len(members),
                    kind=MemberKind.CHILD,
                    given_name=rng.choice(pool),
                    family_name=child_surname,
                    sex=sex,
                    date_of_birth=_birthday(rng, today, age),
                    nhs_number=self.nhs.next(),
                )
                if 4 <= age <= 10:
                    child.school = primary
                elif 11 <= age <= 16:
                    child.school = AgencyKey.ACADEMY
            members.append(child)
            age = max(0, age - rng.randint(1, 4))

        home_lines, home_postcode = names.fake_address_lines(rng), names.fake_postcode(rng)
        family = Family(
            number=self.count,
            members=members,
            home_lines=home_lines,
            home_postcode=home_postcode,
            previous_lines=names.fake_address_lines(rng),
            previous_postcode=names.fake_postcode(rng),
            moved_in=today - dt.timedelta(days=rng.randint(60, 3000)),
            concern=concern,
        )

        domestic_abuse = rng.random() < _DOMESTIC_ABUSE_CHANCE[concern]
        if domestic_abuse:
            if father is not None and rng.random() < 0.5:
                family.perpetrator = father.index
            else:
                ex = self._adult(
                    MemberKind.EX_PARTNER,
                    Sex.MALE,
                    rng.choice(names.FAMILY_NAMES),
                    max(18, mother_age + rng.randint(-4, 8)),
                    members,
                )
                ex.own_lines = names.fake_address_lines(rng)
                ex.own_postcode = names.fake_postcode(rng)
                family.perpetrator = ex.index
            if concern in (CaseStatus.CHILD_PROTECTION, CaseStatus.CHILD_IN_NEED) and (
                rng.random() < 0.25 and mother is not None
            ):
                family.refuge_lines = names.refuge_address_lines(rng)
                family.refuge_postcode = names.fake_postcode(rng)
        if concern == CaseStatus.LOOKED_AFTER:
            carer = self._adult(
                MemberKind.FOSTER_CARER,
                rng.choice((Sex.FEMALE, Sex.MALE)),
                rng.choice(names.FAMILY_NAMES),
                rng.randint(35, 62),
                members,
            )
            carer.own_lines = names.fake_address_lines(rng)
            carer.own_postcode = names.fake_postcode(rng)
        family.gp_out_of_date = rng.random() < 0.1
        self._assign_holdings(family, domestic_abuse=domestic_abuse)
        return family

    def _assign_holdings(self, family: Family, *, domestic_abuse: bool) -> None:
        rng = self.rng
        members = family.members
        concern = family.concern
        household = [
            m.index
            for m in members
            if m.kind not in (MemberKind.EX_PARTNER, MemberKind.FOSTER_CARER)
        ]
        born_household = [i for i in household if not members[i].is_unborn]
        children = [m.index for m in members if m.is_child]
        born_children = [i for i in children if not members[i].is_unborn]
        parents = [m.index for m in members if m.is_parent]
        adults = [m.index for m in members if not m.is_child]
        holdings: dict[AgencyKey, list[int]] = {}

        if rng.random() < 0.95:
            holdings[rng.choice(GP_PRACTICES)] = born_household
        for school in SCHOOLS:
            pupils = [i for i in born_children if members[i].school == school]
            if pupils:
                holdings[school] = pupils + parents
        if concern is not None:
            holdings[AgencyKey.CSC] = [m.index for m in members]
        police = (domestic_abuse and rng.random() < 0.85) or (
            concern == CaseStatus.CHILD_PROTECTION and rng.random() < 0.5
        )
        if police or rng.random() < 0.03:
            holdings[AgencyKey.POLICE] = [
                i for i in adults if members[i].kind != MemberKind.FOSTER_CARER
            ] + born_children
        hospital_children = [i for i in born_children if rng.random() < 0.2]
        unborn = [i for i in children if members[i].is_unborn]
        mothers = [i for i in parents if members[i].kind == MemberKind.MOTHER]
        if unborn:
            hospital_children += unborn
        if hospital_children:
            holdings[AgencyKey.HOSPITAL] = hospital_children + (mothers if unborn else [])
        housing_chance = 0.12 if concern is None else 0.3
        if rng.random() < housing_chance:
            holdings[AgencyKey.HOUSING] = born_household
        if rng.random() < _VOLUNTARY_CHANCE.get(concern, 0.05):
            holdings[AgencyKey.VOLUNTARY] = list(born_household)

        # Every child born is held by at least two agencies (the hospital saw most at birth).
        for child in born_children:
            holders = [key for key, held in holdings.items() if child in held]
            if len(holders) < 2:
                held = holdings.setdefault(AgencyKey.HOSPITAL, [])
                if child not in held:
                    held.append(child)
        family.holdings = {key: sorted(set(held)) for key, held in holdings.items()}
        self._plan_cases(family)

    def _plan_cases(self, family: Family) -> None:
        rng = self.rng
        concern = family.concern
        today = self.today
        if concern is None:
            return
        closed = concern == CaseStatus.CLOSED
        open_status = concern
        if closed:
            open_status = rng.choice((CaseStatus.EARLY_HELP, CaseStatus.CHILD_IN_NEED))
        chances = {
            AgencyKey.CSC: 1.0,
            AgencyKey.POLICE: 1.0,
            AgencyKey.HOSPITAL: 0.7
            if concern in (CaseStatus.CHILD_PROTECTION, CaseStatus.CHILD_IN_NEED)
            else 0.0,
            AgencyKey.HOUSING: 0.5,
            AgencyKey.VOLUNTARY: 1.0,
        }
        for school in SCHOOLS:
            chances[school] = 0.3 if closed else 0.7
        for gp in GP_PRACTICES:
            chances[gp] = (
                1.0
                if concern in (CaseStatus.CHILD_PROTECTION, CaseStatus.LOOKED_AFTER)
                else 0.3
                if concern == CaseStatus.CHILD_IN_NEED
                else 0.0
            )
        for key in sorted(family.holdings):
            chance = chances.get(key, 0.0)
            if chance <= 0 or rng.random() >= chance:
                continue
            held_children = [i for i in family.holdings[key] if family.members[i].is_child]
            if key == AgencyKey.HOUSING:
                held_children = held_children[:1]
            status = CaseStatus.EARLY_HELP if key == AgencyKey.VOLUNTARY else open_status
            for child in held_children:
                family.cases.append(
                    CasePlan(
                        agency=key,
                        child=child,
                        status=status,
                        closed=closed,
                        opened_on=today - dt.timedelta(days=rng.randint(20, 700)),
                    )
                )
