"""MASH contacts for the demo area, through the real services.

Fakeshire children's services runs the hub. Most contacts concern children several demo agencies
already know: the referrer's own record of the child (as school, hospital or police hold them),
held by at least two other agencies too, so "Find this child across agencies" finds them. Two are
about children new to every agency (invented names no agency holds).

Left for the demo: a contact rated green awaiting a decision, one whose RAG rating is overdue
(not new: received 3 hours ago), one gathering information with partner enquiries past their 24
hours, a red one gathering information with an enquiry out, and four decided (early help, closed;
a strategy discussion; information and advice, its open enquiry withdrawn; already open, passed
to the child's allocated worker). Times are set with the injected clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from safeshare.agencies.models import Agency, Practitioner, Role
from safeshare.cases.models import OPEN_STATUSES, AllocationRole, Case, CaseAllocation
from safeshare.cli.demo.area import Area
from safeshare.cli.demo.plan import SCHOOLS, AgencyKey
from safeshare.core import clock
from safeshare.mash.models import MashContact
from safeshare.mash.services import (
    contact_close,
    contact_decide,
    contact_rate,
    contact_record,
    enquiries_send,
)
from safeshare.people.models import Person

FICTION = " (demo data: invented)"
# A known child is held by the referrer and at least this many agencies in all.
KNOWN_BY_AT_LEAST = 3


@dataclasses.dataclass(frozen=True)
class _Child:
    given_name: str
    family_name: str
    born: dt.date
    postcode: str
    nhs_number: str = ""


# Children no demo agency holds: family names the demo's name lists never use (see
# ``names.py``), postcodes in the fictional ZZ area, no NHS number.
_NEW_CHILDREN = (
    _Child("Reggie", "Dummersby", dt.date(2019, 11, 23), "ZZ2 7HB"),
    _Child("Theo", "Shambleworth", dt.date(2021, 8, 30), "ZZ1 9RD"),
)


def _family_base(family_name: str) -> str:
    """Schools often keep only the first part of a double-barrelled name."""
    return family_name.split("-")[0]


def _holders(person: Person) -> int:
    """How many agencies hold a record of the same child (same date of birth and family name)."""
    assert person.date_of_birth is not None  # noqa: S101 - callers filter on it
    return (
        Person.objects.filter(
            date_of_birth=person.date_of_birth,
            family_name__startswith=_family_base(person.family_name),
        )
        .values("agency_id")
        .distinct()
        .count()
    )


def _as_referred(person: Person) -> _Child | None:
    """The child as the holder's record identifies them, with the current postcode (never a
    protected address: a refuge's postcode does not go into a contact)."""
    address = (
        person.addresses.filter(lived_to__isnull=True, is_protected=False)
        .order_by("-lived_from", "pk")
        .first()
    )
    if address is None or person.date_of_birth is None:
        return None
    return _Child(
        given_name=person.given_name,
        family_name=person.family_name,
        born=person.date_of_birth,
        postcode=str(address.postcode),
        nhs_number=person.nhs_number,
    )


def _school_age_children(agency: Agency) -> Iterable[Person]:
    today = clock.today()
    return (
        Person.objects.filter(
            agency=agency,
            is_unborn=False,
            date_of_birth__lte=today - dt.timedelta(days=365 * 2),
            date_of_birth__gt=today - dt.timedelta(days=365 * 17),
        )
        .exclude(Q(given_name="") | Q(family_name=""))
        .order_by("agency_reference", "pk")
        .iterator(chunk_size=200)
    )


class _Picker:
    """Chooses each contact's child: one several agencies know, as the referrer holds them,
    never the same child twice."""

    def __init__(self, area: Area) -> None:
        self.area = area
        self.used: set[tuple[dt.date, str]] = set()

    def _take(self, person: Person) -> _Child | None:
        if person.date_of_birth is None:
            return None
        key = (person.date_of_birth, _family_base(person.family_name))
        if key in self.used or _holders(person) < KNOWN_BY_AT_LEAST:
            return None
        child = _as_referred(person)
        if child is not None:
            self.used.add(key)
        return child

    def known(self, *holders: AgencyKey) -> tuple[_Child, AgencyKey | None]:
        """A child the first of ``holders`` that has one holds (their record of the child),
        else one any agency holds, else (a tiny demo area) a child new to everyone; and which
        agency's record it is."""
        keys = [*holders, *(key for key in AgencyKey if key not in holders)]
        for key in keys:
            agency = self.area.agencies.get(key)
            if agency is None:
                continue
            for person in _school_age_children(agency):
                child = self._take(person)
                if child is not None:
                    return child, key
        return _NEW_CHILDREN[len(self.used) % len(_NEW_CHILDREN)], None

    def from_school(self) -> tuple[_Child, Agency]:
        """A known child and the school whose record it is (Quibbleton's first)."""
        child, key = self.known(*SCHOOLS)
        school = key if key in SCHOOLS else AgencyKey.SCHOOL_QUIBBLETON
        return child, self.area.agencies[school]

    def already_open(self) -> tuple[_Child, str] | None:
        """A child with an open children's social care case and an allocated worker, as the
        hub holds them, and the worker's name."""
        hub = self.area.agencies[AgencyKey.CSC]
        cases = (
            Case.objects.filter(agency=hub, status__in=list(OPEN_STATUSES))
            .select_related("subject")
            .order_by("reference")
        )
        for case in cases:
            allocation = (
                CaseAllocation.objects.filter(
                    case=case, role=AllocationRole.ALLOCATED_WORKER, ended_on__isnull=True
                )
                .select_related("practitioner")
                .order_by("started_on", "pk")
                .first()
            )
            if allocation is None:
                continue
            child = self._take(case.subject)
            if child is not None:
                worker = allocation.practitioner
                return child, f"{worker.full_name}, {worker.job_title or 'social worker'}"
        return None


def _mash_officers(area: Area) -> list[Practitioner]:
    return [
        practitioner
        for spec, practitioner in area.staff
        if spec.agency == AgencyKey.CSC and Role.MASH_OFFICER in spec.roles
    ]


def _record(officer: Practitioner, child: _Child, **fields: Any) -> MashContact:
    return contact_record(
        actor=officer,
        received_at=clock.now(),
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.born,
        postcode=child.postcode,
        nhs_number=child.nhs_number,
        **fields,
    )


def seed_mash(area: Area) -> dict[str, int]:
    """Eight contacts at different stages, six about children several agencies know, three
    with enquiries out (one since withdrawn); return counts."""
    counts = {"mash_contacts": 0, "mash_enquiries": 0}
    officers = _mash_officers(area)
    if not officers:
        return counts
    officer, manager = officers[0], officers[-1]
    police = area.agencies[AgencyKey.POLICE]
    hospital = area.agencies[AgencyKey.HOSPITAL]
    pick = _Picker(area)
    now = clock.now()
    ask = {
        "information_sought": "Any involvement with the child or adults at the address in the "
        "last 12 months" + FICTION,
        "justification": "MASH triage of a contact: deciding on the type of response" + FICTION,
    }
    school_contact = {
        "source": "referral_form",
        "referrer_name": "Daisy Pseudoley",
        "referrer_role": "Designated safeguarding lead",
        "parental_awareness": "aware_and_agree",
    }

    with clock.frozen(now - dt.timedelta(hours=30)):
        child, school = pick.from_school()
        gathering = _record(
            officer,
            child,
            category="neglect",
            concerns="Often arrives hungry and in unwashed clothes; mother seems low" + FICTION,
            **school_contact,
            referrer_agency=school,
        )
        counts["mash_enquiries"] += len(
            enquiries_send(
                actor=officer, contact=gathering, partner_agencies=[police, hospital], **ask
            )
        )
        contact_rate(
            actor=officer,
            contact=gathering,
            rating="amber",
            reasons="Longstanding neglect concerns; waiting for police and health" + FICTION,
        )
    with clock.frozen(now - dt.timedelta(days=3)):
        child, school = pick.from_school()
        helped = _record(
            officer,
            child,
            category="parental_needs",
            concerns="Father asked the school for help with his drinking" + FICTION,
            **school_contact,
            referrer_agency=school,
        )
        contact_rate(actor=officer, contact=helped, rating="green", reasons="Asking for help")
    with clock.frozen(now - dt.timedelta(days=3) + dt.timedelta(hours=5)):
        contact_decide(
            actor=manager,
            contact=helped,
            outcome="early_help",
            reasons="Family want support; no indication of significant harm" + FICTION,
        )
        contact_close(actor=manager, contact=helped)
    with clock.frozen(now - dt.timedelta(days=2)):
        child, school = pick.from_school()
        advised = _record(
            officer,
            child,
            category="other",
            concerns="Mother asked the school where to get help with her child's sleep" + FICTION,
            **school_contact,
            referrer_agency=school,
        )
        contact_rate(actor=officer, contact=advised, rating="green", reasons="Advice sought")
        counts["mash_enquiries"] += len(
            enquiries_send(actor=officer, contact=advised, partner_agencies=[hospital], **ask)
        )
    with clock.frozen(now - dt.timedelta(days=2) + dt.timedelta(hours=3)):
        contact_decide(
            actor=manager,
            contact=advised,
            outcome="information_and_advice",
            reasons="The school gave the family the sleep clinic's details; no other concern"
            + FICTION,
            withdraw_open_enquiries=True,
        )
    with clock.frozen(now - dt.timedelta(hours=6)):
        harmed = _record(
            officer,
            pick.known(AgencyKey.POLICE)[0],
            source="police_notification",
            referrer_agency=police,
            referrer_name="PC Maya Ipsumbury",
            parental_awareness="not_told_risk",
            awareness_reason="The suspected abuser lives at the address" + FICTION,
            category="physical_abuse",
            concerns="Police called to a disturbance; the child had a cut lip" + FICTION,
        )
        contact_rate(actor=officer, contact=harmed, rating="red", reasons="Injury" + FICTION)
    with clock.frozen(now - dt.timedelta(hours=4)):
        contact_decide(
            actor=manager,
            contact=harmed,
            outcome="strategy_discussion",
            reasons="Reasonable cause to suspect significant harm" + FICTION,
        )
    open_case = pick.already_open()
    if open_case is not None:
        child, worker = open_case
        with clock.frozen(now - dt.timedelta(hours=8)):
            known = _record(
                officer,
                child,
                source="police_notification",
                referrer_agency=police,
                referrer_name="PC Maya Ipsumbury",
                parental_awareness="aware_and_agree",
                category="domestic_abuse",
                concerns="Police attended an argument at the home; the child was asleep" + FICTION,
            )
            contact_rate(
                actor=officer, contact=known, rating="amber", reasons="Open case" + FICTION
            )
        with clock.frozen(now - dt.timedelta(hours=7)):
            contact_decide(
                actor=manager,
                contact=known,
                outcome="already_open",
                allocated_worker=worker,
                reasons="The child has an allocated social worker, who will follow this up"
                + FICTION,
            )
    with clock.frozen(now - dt.timedelta(hours=2)):
        red = _record(
            officer,
            pick.known(AgencyKey.HOSPITAL)[0],
            source="phone",
            referrer_agency=hospital,
            referrer_name="Zara Sandboxley",
            referrer_role="Named nurse for safeguarding children",
            parental_awareness="aware_not_agree",
            awareness_reason="Mother refused; the nurse is worried about the delay" + FICTION,
            category="exploitation",
            concerns="Seen in A&E late at night with older men; gave a false address" + FICTION,
        )
        contact_rate(actor=officer, contact=red, rating="red", reasons="Exploitation" + FICTION)
    with clock.frozen(now - dt.timedelta(hours=1)):
        counts["mash_enquiries"] += len(
            enquiries_send(actor=officer, contact=red, partner_agencies=[police], **ask)
        )
    with clock.frozen(now - dt.timedelta(hours=3)):
        _record(
            officer,
            _NEW_CHILDREN[0],
            source="online_form",
            referrer_name="A neighbour",
            parental_awareness="not_told_other",
            awareness_reason="A member of the public; does not know the family" + FICTION,
            category="neglect",
            concerns="Hears a young child crying alone in the flat most evenings" + FICTION,
        )
    with clock.frozen(now - dt.timedelta(minutes=20)):
        missed = _record(
            officer,
            _NEW_CHILDREN[1],
            source="email",
            referrer_agency=hospital,
            referrer_name="Dr Alfie Mockingham",
            parental_awareness="aware_and_agree",
            category="other",
            concerns="Newly moved to the area; missed three appointments for a heart condition"
            + FICTION,
        )
        contact_rate(
            actor=officer,
            contact=missed,
            rating="green",
            reasons="Parents engage with the hospital; health can follow up" + FICTION,
        )
    counts["mash_contacts"] = MashContact.objects.filter(hub_agency=officer.agency).count()
    return counts
