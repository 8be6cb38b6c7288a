"""MASH contacts for the demo area, through the real services.

Fakeshire children's services runs the hub. Left for the demo: a contact rated green awaiting
a decision, one whose RAG rating is overdue (not new: received 3 hours ago), one gathering
information with partner enquiries past their 24 hours, a red one gathering information with an
enquiry out, and two decided (one early help, closed; one strategy discussion). Times are set
with the injected clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from safeshare.agencies.models import Practitioner, Role
from safeshare.cli.demo.area import Area
from safeshare.cli.demo.plan import AgencyKey
from safeshare.core import clock
from safeshare.mash.models import MashContact
from safeshare.mash.services import (
    contact_close,
    contact_decide,
    contact_rate,
    contact_record,
    enquiries_send,
)

FICTION = " (demo data: invented)"


@dataclasses.dataclass(frozen=True)
class _Child:
    given_name: str
    family_name: str
    born: dt.date
    postcode: str
    nhs_number: str = ""


_CHILDREN = (
    _Child("Poppy", "Fakeworth", dt.date(2016, 5, 4), "ZZ1 4MA", "9990000018"),
    _Child("Reggie", "Mockton", dt.date(2019, 11, 23), "ZZ2 7HB"),
    _Child("Saffi", "Dummersby", dt.date(2012, 2, 9), "ZZ3 1QC", "9991002006"),
    _Child("Theo", "Notley", dt.date(2021, 8, 30), "ZZ1 9RD", "9997654323"),
    _Child("Uma", "Fibbington", dt.date(2014, 3, 17), "ZZ4 2SE"),
    _Child("Vinnie", "Shambley", dt.date(2010, 12, 1), "ZZ2 5TF"),
)


def _mash_officers(area: Area) -> list[Practitioner]:
    return [
        practitioner
        for spec, practitioner in area.staff
        if spec.agency == AgencyKey.CSC and Role.MASH_OFFICER in spec.roles
    ]


def _record(officer: Practitioner, area: Area, child: _Child, **fields: Any) -> MashContact:
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
    """Six contacts at different stages, two with enquiries out; return counts."""
    counts = {"mash_contacts": 0, "mash_enquiries": 0}
    officers = _mash_officers(area)
    if not officers:
        return counts
    officer, manager = officers[0], officers[-1]
    police = area.agencies[AgencyKey.POLICE]
    hospital = area.agencies[AgencyKey.HOSPITAL]
    school = area.agencies[AgencyKey.SCHOOL_QUIBBLETON]
    now = clock.now()
    ask = {
        "information_sought": "Any involvement with the child or adults at the address in the "
        "last 12 months" + FICTION,
        "justification": "MASH triage of a contact: deciding on the type of response" + FICTION,
    }
    school_contact = {
        "source": "referral_form",
        "referrer_agency": school,
        "referrer_name": "Daisy Pseudoley",
        "referrer_role": "Designated safeguarding lead",
        "parental_awareness": "aware_and_agree",
    }

    with clock.frozen(now - dt.timedelta(hours=30)):
        gathering = _record(
            officer,
            area,
            _CHILDREN[0],
            category="neglect",
            concerns="Often arrives hungry and in unwashed clothes; mother seems low" + FICTION,
            **school_contact,
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
        helped = _record(
            officer,
            area,
            _CHILDREN[4],
            category="parental_needs",
            concerns="Father asked the school for help with his drinking" + FICTION,
            **school_contact,
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
    with clock.frozen(now - dt.timedelta(hours=6)):
        harmed = _record(
            officer,
            area,
            _CHILDREN[5],
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
    with clock.frozen(now - dt.timedelta(hours=2)):
        red = _record(
            officer,
            area,
            _CHILDREN[2],
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
            area,
            _CHILDREN[1],
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
            area,
            _CHILDREN[3],
            source="email",
            referrer_agency=hospital,
            referrer_name="Dr Alfie Mockingham",
            parental_awareness="aware_and_agree",
            category="other",
            concerns="Missed three appointments for a heart condition" + FICTION,
        )
        contact_rate(
            actor=officer,
            contact=missed,
            rating="green",
            reasons="Parents engage with the hospital; health can follow up" + FICTION,
        )
    counts["mash_contacts"] = MashContact.objects.filter(hub_agency=officer.agency).count()
    return counts
