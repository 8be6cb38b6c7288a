"""The demo area's organisations: agencies, their staff and the agreements between them.

Always written through the real services (a few dozen rows), whichever path writes the families.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safeshare.agencies.models import (
    Agency,
    AgreementStatus,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.agencies.services import (
    agency_create,
    agreement_create,
    agreement_set_status,
    agreement_sign,
    practitioner_create,
)
from safeshare.cli.demo.names import AREA
from safeshare.cli.demo.plan import AGENCIES, SCHOOLS, AgencyKey
from safeshare.core.vocabulary import InformationCategory, SharingPurpose

# The one password of every demo account. Demo only: it is printed on screen and in the docs.
DEMO_PASSWORD = "fakeshire-demo-2026"  # noqa: S105

_P = Role.PRACTITIONER
_DSL = Role.DSL
_MASH = Role.MASH_OFFICER
_IG = Role.INFORMATION_GOVERNANCE
_ADMIN = Role.AGENCY_ADMIN
_SYS = Role.SYSTEM_ADMIN
_DU = Role.DISCLOSURE_OFFICER


@dataclass(frozen=True)
class StaffSpec:
    username: str
    given_name: str
    family_name: str
    agency: AgencyKey
    job_title: str
    roles: tuple[Role, ...]


_K = AgencyKey
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("sw.amara", "Amara", "Quibbleton", _K.CSC, "Social worker", (_P,)),
    StaffSpec("sw.bertie", "Bertie", "Fakewell", _K.CSC, "Social worker", (_P,)),
    StaffSpec("sw.cerys", "Cerys", "Testerby", _K.CSC, "Social worker", (_P,)),
    StaffSpec("sw.dev", "Dev", "Placeholder", _K.CSC, "Senior social worker", (_P,)),
    StaffSpec("sw.esme", "Esme", "Notreal", _K.CSC, "Social worker", (_P,)),
    StaffSpec("sw.femi", "Femi", "Madeup", _K.CSC, "Early help worker", (_P,)),
    StaffSpec("tm.gwen", "Gwen", "Samplesworth", _K.CSC, "Team manager", (_DSL,)),
    StaffSpec("tm.hari", "Hari", "Mockridge", _K.CSC, "Team manager", (_DSL,)),
    StaffSpec("mash.isla", "Isla", "Fixturley", _K.CSC, "MASH social worker", (_MASH, _P)),
    StaffSpec("mash.jonah", "Jonah", "Pretendale", _K.CSC, "MASH manager", (_MASH, _DSL)),
    StaffSpec("ig.kemi", "Kemi", "Examplestone", _K.CSC, "Data protection officer", (_IG,)),
    StaffSpec("admin.lars", "Lars", "Dummyford", _K.CSC, "Systems support officer", (_ADMIN,)),
    StaffSpec(
        "sysadmin.nia", "Nia", "Loremford", _K.CSC, "SafeShare system administrator", (_SYS,)
    ),
    StaffSpec("pc.maya", "Maya", "Ipsumbury", _K.POLICE, "Police constable", (_P,)),
    StaffSpec("pc.nico", "Nico", "Imaginley", _K.POLICE, "Police constable", (_P,)),
    StaffSpec(
        "ds.olu", "Olu", "Bogusworth", _K.POLICE, "Detective sergeant, child protection", (_DSL, _P)
    ),
    StaffSpec("mash.priya", "Priya", "Shamwell", _K.POLICE, "MASH police researcher", (_MASH,)),
    StaffSpec("du.quinn", "Quinn", "Nullington", _K.POLICE, "Disclosure unit officer", (_DU,)),
    StaffSpec("du.rosa", "Rosa", "Voidsby", _K.POLICE, "Disclosure unit sergeant", (_DU, _DSL)),
    StaffSpec("ig.stan", "Stan", "Dataless", _K.POLICE, "Information management officer", (_IG,)),
    StaffSpec(
        "gp.tariq", "Tariq", "Inventorby", _K.GP_NOWHERE, "GP, safeguarding lead", (_DSL, _P)
    ),
    StaffSpec("gp.una", "Una", "Phantomley", _K.GP_NOWHERE, "Salaried GP", (_P,)),
    StaffSpec(
        "pm.vic",
        "Vic",
        "Makebelieve",
        _K.GP_NOWHERE,
        "Practice manager and Caldicott guardian",
        (_ADMIN, _IG),
    ),
    StaffSpec("gp.wren", "Wren", "Spoofington", _K.GP_TESTING, "GP, safeguarding lead", (_DSL, _P)),
    StaffSpec("gp.xander", "Xander", "Decoyfield", _K.GP_TESTING, "Salaried GP", (_P,)),
    StaffSpec(
        "pm.yara",
        "Yara",
        "Fauxbridge",
        _K.GP_TESTING,
        "Practice manager and Caldicott guardian",
        (_ADMIN, _IG),
    ),
    StaffSpec(
        "nurse.zara",
        "Zara",
        "Sandboxley",
        _K.HOSPITAL,
        "Named nurse for safeguarding children",
        (_DSL, _P),
    ),
    StaffSpec("dr.alfie", "Alfie", "Mockingham", _K.HOSPITAL, "Consultant paediatrician", (_P,)),
    StaffSpec(
        "mash.bethany", "Bethany", "Teststone", _K.HOSPITAL, "MASH health practitioner", (_MASH,)
    ),
    StaffSpec("ig.callum", "Callum", "Trialsworth", _K.HOSPITAL, "Caldicott guardian", (_IG,)),
    StaffSpec(
        "dsl.daisy",
        "Daisy",
        "Pseudoley",
        _K.SCHOOL_QUIBBLETON,
        "Deputy head and designated safeguarding lead",
        (_DSL, _ADMIN),
    ),
    StaffSpec("teacher.ezra", "Ezra", "Unrealby", _K.SCHOOL_QUIBBLETON, "Class teacher", (_P,)),
    StaffSpec(
        "dsl.freya",
        "Freya",
        "Nowhereton",
        _K.SCHOOL_PLACEHOLDER,
        "Designated safeguarding lead",
        (_DSL, _ADMIN),
    ),
    StaffSpec("teacher.george", "George", "Whimsby", _K.SCHOOL_PLACEHOLDER, "Class teacher", (_P,)),
    StaffSpec(
        "dsl.hallie",
        "Hallie",
        "Fibbington",
        _K.ACADEMY,
        "Designated safeguarding lead",
        (_DSL, _ADMIN),
    ),
    StaffSpec("teacher.idris", "Idris", "Fableworth", _K.ACADEMY, "Head of year 9", (_P,)),
    StaffSpec("ho.jasmine", "Jasmine", "Daydreamley", _K.HOUSING, "Housing officer", (_P,)),
    StaffSpec(
        "ho.kai", "Kai", "Hypothetton", _K.HOUSING, "Tenancy services manager", (_DSL, _ADMIN)
    ),
    StaffSpec("fw.lola", "Lola", "Templateby", _K.VOLUNTARY, "Family support worker", (_P,)),
    StaffSpec("fw.milo", "Milo", "Exampleton", _K.VOLUNTARY, "Service manager", (_DSL, _ADMIN)),
)


@dataclass(frozen=True)
class AgreementSpec:
    reference: str
    title: str
    parties: tuple[AgencyKey, ...]
    purposes: tuple[str, ...]
    data_categories: tuple[str, ...]
    lawful_bases: tuple[str, ...]
    retention_days: int
    started_days_ago: int
    review_in_days: int


_ALL_CATEGORIES = tuple(InformationCategory.values)
AGREEMENTS: tuple[AgreementSpec, ...] = (
    AgreementSpec(
        "FSK-ISA-001",
        "Fakeshire Multi-Agency Safeguarding Hub information sharing agreement",
        (_K.CSC, _K.POLICE, _K.GP_NOWHERE, _K.GP_TESTING, _K.HOSPITAL),
        (
            SharingPurpose.MASH_TRIAGE,
            SharingPurpose.CHILD_PROTECTION,
            SharingPurpose.CHILD_IN_NEED,
            SharingPurpose.CRIME_PREVENTION,
            SharingPurpose.HEALTH_CARE,
        ),
        _ALL_CATEGORIES,
        ("art6_1_c", "art6_1_e", "art9_2_g", "art9_2_h", "dpa_sch1_18"),
        2555,
        400,
        330,
    ),
    AgreementSpec(
        "FSK-ISA-002",
        "Fakeshire schools safeguarding information sharing agreement",
        (_K.CSC, *SCHOOLS),
        (
            SharingPurpose.CHILD_PROTECTION,
            SharingPurpose.CHILD_IN_NEED,
            SharingPurpose.EDUCATION_WELFARE,
        ),
        (
            InformationCategory.CHILD,
            InformationCategory.PARENTING,
            InformationCategory.RISK_FROM_OTHERS,
        ),
        ("art6_1_e", "art9_2_g", "dpa_sch1_18"),
        2555,
        700,
        45,
    ),
    AgreementSpec(
        "FSK-ISA-003",
        "Fakeshire early help partnership agreement",
        (_K.CSC, _K.VOLUNTARY, _K.HOUSING, *SCHOOLS),
        (SharingPurpose.EARLY_HELP,),
        (InformationCategory.CHILD, InformationCategory.PARENTING, InformationCategory.OTHER),
        ("art6_1_a", "art6_1_e"),
        1095,
        200,
        165,
    ),
)


@dataclass
class Area:
    agencies: dict[AgencyKey, Agency]
    staff: list[tuple[StaffSpec, Practitioner]]
    agreements: list[InformationSharingAgreement]
    caseworkers: dict[AgencyKey, list[Practitioner]] = field(default_factory=dict)
    supervisors: dict[AgencyKey, list[Practitioner]] = field(default_factory=dict)
    key_workers: dict[AgencyKey, list[Practitioner]] = field(default_factory=dict)


def _signatory(staff: list[tuple[StaffSpec, Practitioner]], key: AgencyKey) -> Practitioner:
    """Who signs for an agency: information governance where there is one, else its lead."""
    mine = [(spec, p) for spec, p in staff if spec.agency == key]
    for wanted in (Role.INFORMATION_GOVERNANCE, Role.DSL, Role.AGENCY_ADMIN):
        for spec, practitioner in mine:
            if wanted in spec.roles:
                return practitioner
    return mine[0][1]


def create_area(*, today: dt.date) -> Area:
    """Agencies, staff and three active agreements, through the services (call in a transaction)."""
    agencies = {
        spec.key: agency_create(
            actor=None,
            name=spec.name,
            agency_type=spec.agency_type,
            local_authority_area=AREA,
            ods_code=spec.ods_code,
        )
        for spec in AGENCIES
    }
    staff = [
        (
            spec,
            practitioner_create(
                actor=None,
                agency=agencies[spec.agency],
                username=spec.username,
                given_name=spec.given_name,
                family_name=spec.family_name,
                email=f"{spec.username}@fakeshire.example",
                job_title=spec.job_title,
                roles=spec.roles,
                password=DEMO_PASSWORD,
            ),
        )
        for spec in STAFF
    ]
    agreements = []
    for agreement_spec in AGREEMENTS:
        owner_key = agreement_spec.parties[0]
        owner_signatory = _signatory(staff, owner_key)
        agreement = agreement_create(
            actor=owner_signatory,
            owner=agencies[owner_key],
            reference=agreement_spec.reference,
            title=agreement_spec.title,
            parties=[agencies[key] for key in agreement_spec.parties],
            purposes=list(agreement_spec.purposes),
            data_categories=list(agreement_spec.data_categories),
            lawful_bases=list(agreement_spec.lawful_bases),
            retention_days=agreement_spec.retention_days,
            start_date=today - dt.timedelta(days=agreement_spec.started_days_ago),
            review_date=today + dt.timedelta(days=agreement_spec.review_in_days),
            dpia_reference=agreement_spec.reference.replace("ISA", "DPIA"),
        )
        for key in agreement_spec.parties:
            agreement_sign(actor=_signatory(staff, key), agreement=agreement)
        agreement_set_status(
            actor=owner_signatory,
            agreement=agreement,
            status=AgreementStatus.ACTIVE,
            reason="Signed by every party",
        )
        agreements.append(agreement)

    area = Area(agencies=agencies, staff=staff, agreements=agreements)
    for key in agencies:
        mine = [(spec, p) for spec, p in staff if spec.agency == key]
        if key in SCHOOLS:
            area.caseworkers[key] = [p for spec, p in mine if Role.DSL in spec.roles]
            area.key_workers[key] = [p for spec, p in mine if spec.roles == (Role.PRACTITIONER,)]
        else:
            area.caseworkers[key] = [
                p
                for spec, p in mine
                if Role.PRACTITIONER in spec.roles and Role.MASH_OFFICER not in spec.roles
            ]
            area.key_workers[key] = []
        area.supervisors[key] = [
            p
            for spec, p in mine
            if Role.DSL in spec.roles
            and Role.PRACTITIONER not in spec.roles
            and Role.MASH_OFFICER not in spec.roles
        ]
    return area
