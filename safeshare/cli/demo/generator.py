"""The fake demo area "Fakeshire": deterministic for a seed, obviously fictional everywhere.

``generate()`` creates ten agencies, forty practitioners and three active information sharing
agreements through the services, then plans families (``plan.FamilyPlanner``) and writes each
agency's own records of them: every agency that knows a child holds its own Person row, with the
small differences real records have (a nickname, a keying slip, a missing NHS number, an old
address). Small areas are written through the real services in one transaction; large ones through
the bulk writer, committed in chunks. Either way every row has its ledger entry.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from safeshare.agencies.models import AgencyType, Practitioner
from safeshare.cases.models import AllocationRole, Case, CaseStatus, Relationship
from safeshare.cli.demo import content, names
from safeshare.cli.demo.area import Area, create_area
from safeshare.cli.demo.bulk import BulkWriter, tune_connection
from safeshare.cli.demo.decisions import seed_decisions
from safeshare.cli.demo.disclosures import seed_disclosures
from safeshare.cli.demo.mash import seed_mash
from safeshare.cli.demo.plan import (
    AGENCY_BY_KEY,
    SCHOOLS,
    AgencyKey,
    CasePlan,
    Family,
    FamilyPlanner,
    Member,
    MemberKind,
)
from safeshare.cli.demo.writers import ItemRecord, PersonRecord, ServicesWriter, Writer
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.sequencer import ledger_sequence_pending
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import signing_keys
from safeshare.people.models import ContactKind, DobPrecision, NameKind, Person, Sex

DEFAULT_SEED = 2026
DEFAULT_CHILDREN = 300
BULK_THRESHOLD = 2000  # above this many children the bulk path is used
CHUNK_CHILDREN = 2500  # the bulk path commits after about this many children

Progress = Callable[[int, int], None]

_T = AgencyType
# How each kind of agency tends to record people.
_NICKNAME: dict[str, float] = {
    _T.SCHOOL: 0.6,
    _T.VOLUNTARY: 0.4,
    _T.CHILDRENS_SOCIAL_CARE: 0.1,
    _T.POLICE: 0.1,
}
_TYPO: dict[str, float] = {_T.POLICE: 0.05, _T.HOUSING: 0.05, _T.VOLUNTARY: 0.05, _T.SCHOOL: 0.02}
_NHS_NUMBER: dict[str, float] = {
    _T.GP_PRACTICE: 1.0,
    _T.HOSPITAL: 0.98,
    _T.CHILDRENS_SOCIAL_CARE: 0.75,
    _T.POLICE: 0.25,
    _T.SCHOOL: 0.1,
    _T.VOLUNTARY: 0.05,
}
_ITEMS_PER_CASE: dict[str, tuple[int, int]] = {
    _T.CHILDRENS_SOCIAL_CARE: (2, 5),
    _T.POLICE: (1, 3),
    _T.SCHOOL: (1, 3),
    _T.VOLUNTARY: (1, 3),
}
_CONTACT_HOLDERS: set[str] = {_T.GP_PRACTICE, _T.SCHOOL, _T.CHILDRENS_SOCIAL_CARE, _T.HOUSING}
# Agencies that are told a family's refuge address, and keep it protected.
_KNOWS_REFUGE: set[str] = {_T.CHILDRENS_SOCIAL_CARE, _T.POLICE, _T.SCHOOL}


@dataclass
class DemoResult:
    area: Area
    children: int
    seed: int
    mode: str
    counts: dict[str, int]


class FamilyWriter:
    """Turns a planned family into each agency's records, through ``writer``."""

    def __init__(self, *, area: Area, writer: Writer, rng: random.Random, today: dt.date) -> None:
        self.area = area
        self.writer = writer
        self.rng = rng
        self.today = today
        self._serial: dict[tuple[AgencyKey, str], int] = {}

    def _reference(self, key: AgencyKey, kind: str) -> str:
        number = self._serial.get((key, kind), 0) + 1
        self._serial[(key, kind)] = number
        return f"{AGENCY_BY_KEY[key].prefix}-{kind}{number:06d}"

    def family(self, family: Family) -> None:
        records: dict[AgencyKey, dict[int, Person]] = {}
        workers: dict[AgencyKey, Practitioner] = {}
        for key in sorted(family.holdings):
            worker = self.rng.choice(self.area.caseworkers[key])
            workers[key] = worker
            records[key] = {
                index: self._person(key, worker, family, family.members[index])
                for index in family.holdings[key]
            }
        for plan in family.cases:
            self._case(plan, family, records[plan.agency], workers[plan.agency])

    def _person(
        self, key: AgencyKey, actor: Practitioner, family: Family, member: Member
    ) -> Person:
        rng = self.rng
        agency_type = AGENCY_BY_KEY[key].agency_type
        given = member.given_name
        if given in names.NICKNAMES and rng.random() < _NICKNAME.get(agency_type, 0.0):
            given = names.NICKNAMES[given]
        elif given and rng.random() < _TYPO.get(agency_type, 0.0):
            given = names.typo(rng, given)
        family_name = member.family_name
        if "-" in family_name and agency_type == _T.SCHOOL and rng.random() < 0.5:
            family_name = family_name.split("-")[0]
        nhs_number = member.nhs_number if rng.random() < _NHS_NUMBER.get(agency_type, 0.0) else ""
        date_of_birth = member.date_of_birth
        precision = DobPrecision.EXACT
        if member.is_unborn:
            precision = DobPrecision.UNKNOWN
        elif not member.is_child and agency_type == _T.SCHOOL and rng.random() < 0.7:
            date_of_birth, precision = None, DobPrecision.UNKNOWN
        elif (
            not member.is_child
            and agency_type in (_T.POLICE, _T.VOLUNTARY)
            and date_of_birth is not None
            and rng.random() < 0.15
        ):
            date_of_birth, precision = date_of_birth.replace(month=1, day=1), DobPrecision.YEAR
        sex = member.sex
        if agency_type == _T.VOLUNTARY and rng.random() < 0.3:
            sex = Sex.NOT_RECORDED
        person = self.writer.person(
            actor=actor,
            record=PersonRecord(
                agency=self.area.agencies[key],
                given_name=given,
                family_name=family_name,
                date_of_birth=date_of_birth,
                dob_precision=precision,
                is_unborn=member.is_unborn,
                expected_date=member.expected_date,
                sex=sex,
                nhs_number=nhs_number,
                agency_reference=self._reference(key, "P"),
            ),
        )
        known_as = names.NICKNAMES.get(member.given_name)
        if (
            known_as
            and given == member.given_name
            and agency_type in (_T.CHILDRENS_SOCIAL_CARE, _T.POLICE)
        ):
            self.writer.person_name(
                actor=actor,
                person=person,
                kind=NameKind.ALIAS,
                given_name=known_as,
                family_name=family_name,
            )
        if member.previous_family_name and agency_type in (
            _T.CHILDRENS_SOCIAL_CARE,
            _T.POLICE,
            _T.GP_PRACTICE,
        ):
            self.writer.person_name(
                actor=actor,
                person=person,
                kind=NameKind.PREVIOUS,
                given_name=member.given_name,
                family_name=member.previous_family_name,
            )
        if not member.is_unborn:
            self._addresses(agency_type, actor, family, member, person)
        if not member.is_child and agency_type in _CONTACT_HOLDERS:
            in_refuge = family.in_refuge and member.kind == MemberKind.MOTHER
            self.writer.contact(
                actor=actor,
                person=person,
                kind=ContactKind.PHONE,
                value=member.phone,
                is_protected=in_refuge,
            )
            if member.email and agency_type in (_T.SCHOOL, _T.CHILDRENS_SOCIAL_CARE):
                self.writer.contact(
                    actor=actor,
                    person=person,
                    kind=ContactKind.EMAIL,
                    value=member.email,
                    is_protected=in_refuge,
                )
        return person

    def _addresses(
        self, agency_type: str, actor: Practitioner, family: Family, member: Member, person: Person
    ) -> None:
        write = self.writer.address
        if member.own_lines:
            write(
                actor=actor,
                person=person,
                lines=member.own_lines,
                postcode=member.own_postcode,
                lived_from=None,
                lived_to=None,
                is_protected=False,
            )
            return
        if agency_type == _T.GP_PRACTICE and family.gp_out_of_date:
            write(
                actor=actor,
                person=person,
                lines=family.previous_lines,
                postcode=family.previous_postcode,
                lived_from=None,
                lived_to=None,
                is_protected=False,
            )
            return
        if agency_type == _T.CHILDRENS_SOCIAL_CARE and self.rng.random() < 0.5:
            write(
                actor=actor,
                person=person,
                lines=family.previous_lines,
                postcode=family.previous_postcode,
                lived_from=family.moved_in - dt.timedelta(days=1100),
                lived_to=family.moved_in,
                is_protected=False,
            )
        fled = (
            family.in_refuge
            and agency_type in _KNOWS_REFUGE
            and member.index != family.perpetrator
            and member.kind in (MemberKind.MOTHER, MemberKind.CHILD)
        )
        refuge_from = self.today - dt.timedelta(days=self.rng.randint(5, 50))
        write(
            actor=actor,
            person=person,
            lines=family.home_lines,
            postcode=family.home_postcode,
            lived_from=family.moved_in,
            lived_to=refuge_from if fled else None,
            is_protected=False,
        )
        if fled:
            write(
                actor=actor,
                person=person,
                lines=family.refuge_lines,
                postcode=family.refuge_postcode,
                lived_from=refuge_from,
                lived_to=None,
                is_protected=True,
            )

    def _case(
        self, plan: CasePlan, family: Family, held: dict[int, Person], worker: Practitioner
    ) -> None:
        rng = self.rng
        key = plan.agency
        agency_type = AGENCY_BY_KEY[key].agency_type
        subject = held[plan.child]
        case = self.writer.case(
            actor=worker,
            agency=self.area.agencies[key],
            subject=subject,
            status=plan.status,
            opened_on=plan.opened_on,
            reference=self._reference(key, "C"),
        )
        self.writer.allocation(
            actor=worker, case=case, practitioner=worker, role=AllocationRole.ALLOCATED_WORKER
        )
        serious = plan.status in (CaseStatus.CHILD_PROTECTION, CaseStatus.LOOKED_AFTER)
        if key == AgencyKey.CSC and serious and self.area.supervisors[key]:
            self.writer.allocation(
                actor=worker,
                case=case,
                practitioner=rng.choice(self.area.supervisors[key]),
                role=AllocationRole.SUPERVISOR,
            )
        if key in SCHOOLS and self.area.key_workers[key] and rng.random() < 0.5:
            self.writer.allocation(
                actor=worker,
                case=case,
                practitioner=rng.choice(self.area.key_workers[key]),
                role=AllocationRole.KEY_WORKER,
            )
        parents: list[Person] = []
        adult: Person | None = None
        for index, person in held.items():
            if index == plan.child:
                continue
            member = family.members[index]
            relationships: list[tuple[str, bool]] = []
            if member.is_parent:
                relationships.append((Relationship.PARENT, True))
                parents.append(person)
            elif member.kind == MemberKind.PARTNER:
                relationships.append((Relationship.PARTNER_OF_PARENT, False))
            elif member.is_child:
                relationships.append((Relationship.SIBLING, False))
            elif member.kind == MemberKind.FOSTER_CARER:
                relationships.append((Relationship.CARER, False))
            if index == family.perpetrator:
                relationships.append((Relationship.ALLEGED_PERPETRATOR, False))
                adult = person
            for relationship, responsibility in relationships:
                self.writer.involvement(
                    actor=worker,
                    case=case,
                    person=person,
                    relationship=relationship,
                    has_parental_responsibility=responsibility,
                )
        self._items(case, plan, agency_type, worker, subject, parents, adult)
        if plan.closed:
            self.writer.close_case(actor=worker, case=case)

    def _items(
        self,
        case: Case,
        plan: CasePlan,
        agency_type: str,
        worker: Practitioner,
        subject: Person,
        parents: list[Person],
        adult: Person | None,
    ) -> None:
        rng = self.rng
        usable = [
            t
            for t in content.templates_for(agency_type)
            if (parents or not (t.names_parent or t.about == content.ABOUT_PARENT))
            and (adult is not None or not (t.names_adult or t.about == content.ABOUT_ADULT))
            and (not subject.is_unborn or "{child}" not in t.summary + t.content)
        ]
        if not usable:
            return
        low, high = _ITEMS_PER_CASE.get(agency_type, (1, 2))
        days_open = max(0, (self.today - plan.opened_on).days)
        for _ in range(rng.randint(low, high)):
            template = rng.choice(usable)
            parent = rng.choice(parents) if parents else None
            about = subject
            if template.about == content.ABOUT_PARENT and parent is not None:
                about = parent
            elif template.about == content.ABOUT_ADULT and adult is not None:
                about = adult
            words = {
                "child": subject.given_name or "the baby",
                "parent": parent.display_name if parent is not None else "",
                "adult": adult.display_name if adult is not None else "",
            }
            self.writer.item(
                actor=worker,
                record=ItemRecord(
                    case=case,
                    about=about,
                    category=template.category,
                    summary=template.summary.format(**words)[:200],
                    content=template.content.format(**words) + content.FICTION_NOTE,
                    fact_or_opinion=template.fact_or_opinion,
                    source=template.source,
                    how_known=template.how_known,
                    event_date=plan.opened_on + dt.timedelta(days=rng.randint(0, days_open)),
                    special_category=template.special_category,
                    criminal_offence_data=template.criminal_offence_data,
                    is_confidential=template.is_confidential,
                    third_party_protected=template.third_party_protected,
                ),
            )


def _record_generated(result: DemoResult) -> None:
    details: dict[str, object] = {
        "seed": result.seed,
        "children": result.children,
        "mode": result.mode,
        "agencies": len(result.area.agencies),
        "practitioners": len(result.area.staff),
        "agreements": len(result.area.agreements),
    }
    details.update(sorted(result.counts.items()))
    ledger_append(event=Event.DEMO_AREA_GENERATED, actor=None, details=details)


def generate(
    *,
    children: int = DEFAULT_CHILDREN,
    seed: int = DEFAULT_SEED,
    bulk: bool | None = None,
    progress: Progress | None = None,
    chunk_children: int = CHUNK_CHILDREN,
) -> DemoResult:
    """Create the demo area. ``bulk=None`` chooses the bulk path above ``BULK_THRESHOLD``."""
    use_bulk = children > BULK_THRESHOLD if bulk is None else bulk
    signing_keys()  # fail now, before writing anything, if the ledger's heads cannot be signed
    rng = random.Random(seed)  # noqa: S311 - fake data, not security
    today = clock.today()
    families = FamilyPlanner(rng, today).families(children)
    done = 0
    if not use_bulk:
        with transaction.atomic():
            area = create_area(today=today)
            services = ServicesWriter()
            walker = FamilyWriter(area=area, writer=services, rng=rng, today=today)
            for family in families:
                walker.family(family)
                done += len(family.children)
                if progress is not None:
                    progress(done, children)
            counts = {
                **services.counts,
                **seed_decisions(area),
                **seed_disclosures(area),
                **seed_mash(area),
            }
            result = DemoResult(area, children, seed, "services", counts)
            _record_generated(result)
        ledger_sequence_pending()  # the demo starts with every entry under a signed head
        return result

    tune_connection()
    with transaction.atomic():
        area = create_area(today=today)
    writer = BulkWriter()
    walker = FamilyWriter(area=area, writer=writer, rng=rng, today=today)
    while done < children:
        target = min(children, done + chunk_children)
        with transaction.atomic():
            while done < target:
                family = next(families)
                walker.family(family)
                done += len(family.children)
            writer.flush()
        if progress is not None:
            progress(done, children)
    with transaction.atomic():
        counts = {
            **writer.counts,
            **seed_decisions(area),
            **seed_disclosures(area),
            **seed_mash(area),
        }
        result = DemoResult(area, children, seed, "bulk", counts)
        _record_generated(result)
    ledger_sequence_pending()  # the demo starts with every entry under a signed head
    return result
