"""Every service writes a ledger entry in its own transaction; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from safeshare.agencies import services as agency_services
from safeshare.agencies.models import AgreementStatus, Role
from safeshare.cases import services as case_services
from safeshare.consent import services as consent_services
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.ledger.models import LedgerEntry
from safeshare.linkage import services as linkage_services
from safeshare.linkage.models import CandidatePair, IdentityLink, LinkageModel
from safeshare.linkage.synthetic import generate_population
from safeshare.mash import services as mash_services
from safeshare.people import services as people_services
from tests.conftest import World
from tests.factories import (
    AddressFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db

SERVICE_MODULES = [
    "safeshare.agencies.services",
    "safeshare.people.services",
    "safeshare.cases.services",
    "safeshare.consent.services",
    "safeshare.decisions.services",
    "safeshare.oversight.services",
    "safeshare.ledger.key_services",
    "safeshare.ledger.sequencer",
    "safeshare.disclosures.services",
    "safeshare.mash.services",
    "safeshare.linkage.services",
]

# The sequencer turns ledger entries into Merkle leaves under signed heads. It writes no ledger
# entry of its own by design: an entry per batch would itself need sequencing, for ever. Its
# record is the signed tree heads (tests/ledger/test_sequencer.py checks it appends nothing).
WRITES_NO_LEDGER_ENTRY = {"ledger_sequence", "ledger_sequence_pending"}

# Helpers in service modules that are not services (no write of their own).
NOT_SERVICES = {"clean_nhs_number", "hash_token", "person_features", "explain"}


def _agreement(world: World) -> Any:
    return agency_services.agreement_create(
        actor=world.dsl,
        owner=world.agency,
        reference="ISA-T1",
        title="Test agreement",
        parties=[world.agency, world.other_agency],
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=365,
        start_date=dt.date(2026, 1, 1),
        review_date=dt.date(2027, 1, 1),
    )


def _item_kwargs(world: World) -> dict[str, Any]:
    return {
        "category": "child",
        "summary": "Seen at clinic",
        "content": "Fakechild was seen at the fake clinic.",
        "fact_or_opinion": "fact",
        "source": "Health visitor",
        "how_known": "observed",
        "event_date": dt.date(2026, 10, 1),
    }


def _consent_kwargs(world: World) -> dict[str, Any]:
    return {
        "given_by": "parental_responsibility",
        "given_by_name": "Mother, Fakemum Testington",
        "method": "written",
        "evidence": "Signed form on the fake case file",
        "purposes": ["child_protection"],
        "categories": ["child"],
        "recipient_agency_types": ["police"],
        "starts_on": dt.date(2026, 1, 1),
        "expires_on": dt.date(2999, 1, 1),
    }


def _consent(world: World) -> Any:
    return consent_services.consent_record_given(
        actor=world.worker, person=world.case.subject, **_consent_kwargs(world)
    )


def _enrol(world: World) -> Any:
    from django_otp.oath import TOTP

    device = agency_services.totp_device_start(actor=world.worker)
    code = str(TOTP(device.bin_key).token()).zfill(6)
    return agency_services.totp_device_confirm(actor=world.worker, device=device, token=code)


def _wrong_code(world: World) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.worker, name="app", confirmed=True)
    return agency_services.totp_verify(actor=world.worker, device=device, token="000000x")


CALLS: dict[str, Callable[[World], Any]] = {
    "agency_create": lambda w: agency_services.agency_create(
        actor=w.system_admin,
        name="New Fake Agency",
        agency_type="school",
        local_authority_area="Fakeshire",
    ),
    "agency_update": lambda w: agency_services.agency_update(
        actor=w.system_admin,
        agency=w.agency,
        name="Renamed Fake Agency",
        local_authority_area="Fakeshire",
        ods_code="",
        is_active=True,
    ),
    "practitioner_create": lambda w: agency_services.practitioner_create(
        actor=w.agency_admin,
        agency=w.agency,
        username="new.worker",
        given_name="New",
        family_name="Worker",
    ),
    "practitioner_update": lambda w: agency_services.practitioner_update(
        actor=w.agency_admin,
        practitioner=w.worker,
        given_name="Testy",
        family_name="Changed",
        email="",
        job_title="Senior social worker",
    ),
    "practitioner_deactivate": lambda w: agency_services.practitioner_deactivate(
        actor=w.agency_admin, practitioner=w.colleague, reason="left_agency"
    ),
    "practitioner_reactivate": lambda w: agency_services.practitioner_reactivate(
        actor=w.agency_admin,
        practitioner=PractitionerFactory(agency=w.agency, is_active=False),
        reason="returned",
        roles=[Role.PRACTITIONER],
    ),
    "role_grant": lambda w: agency_services.role_grant(
        actor=w.agency_admin, practitioner=w.colleague, role=Role.MASH_OFFICER
    ),
    "role_revoke": lambda w: agency_services.role_revoke(
        actor=w.agency_admin, practitioner=w.dsl, role=Role.DSL, reason="changed_job"
    ),
    "agreement_create": _agreement,
    "agreement_sign": lambda w: agency_services.agreement_sign(
        actor=w.dsl, agreement=_agreement(w)
    ),
    "agreement_set_status": lambda w: _activate(w),
    "api_token_create": lambda w: agency_services.api_token_create(actor=w.worker, name="cli"),
    "api_token_revoke": lambda w: agency_services.api_token_revoke(
        actor=w.worker, token=agency_services.api_token_create(actor=w.worker, name="x")[0]
    ),
    "sign_in_record": lambda w: agency_services.sign_in_record(
        actor=w.worker,
        event=__import__("safeshare.ledger.events").ledger.events.Event.SIGNED_IN,
        details={},
    ),
    "totp_device_start": lambda w: agency_services.totp_device_start(actor=w.worker),
    "totp_device_confirm": _enrol,
    "totp_verify": _wrong_code,
    "totp_device_reset": lambda w: agency_services.totp_device_reset(
        actor=w.agency_admin, practitioner=w.worker, reason="Lost their phone"
    ),
    "api_token_touch": lambda w: agency_services.api_token_touch(
        token=agency_services.api_token_create(actor=w.worker, name="touch")[0]
    ),
    "case_open_for_new_child": lambda w: case_services.case_open_for_new_child(
        actor=w.worker,
        agency=w.agency,
        family_name="Testington",
        given_name="Fakenew",
        date_of_birth=dt.date(2024, 5, 6),
        status="early_help",
    ),
    "person_create": lambda w: people_services.person_create(
        actor=w.worker,
        agency=w.agency,
        family_name="Testington",
        given_name="Fakebaby",
        date_of_birth=dt.date(2025, 2, 3),
    ),
    "person_update": lambda w: people_services.person_update(
        actor=w.worker,
        person=w.case.subject,
        family_name="Testington",
        given_name="Renamed",
        date_of_birth=dt.date(2016, 4, 1),
        dob_precision="exact",
        is_unborn=False,
        expected_date=None,
        sex="female",
        nhs_number="9434765919",
        agency_reference="",
    ),
    "person_name_add": lambda w: people_services.person_name_add(
        actor=w.worker,
        person=w.case.subject,
        kind="alias",
        given_name="Fakey",
        family_name="Testo",
    ),
    "address_add": lambda w: people_services.address_add(
        actor=w.worker, person=w.case.subject, lines="2 Nowhere Lane", postcode="zz99 2aa"
    ),
    "contact_add": lambda w: people_services.contact_add(
        actor=w.worker, person=w.case.subject, kind="phone", value="01632 960000"
    ),
    "address_end": lambda w: people_services.address_end(
        actor=w.worker,
        address=AddressFactory(person=w.case.subject),
        lived_to=dt.date(2026, 10, 1),
    ),
    "contact_end": lambda w: people_services.contact_end(
        actor=w.worker,
        contact=people_services.contact_add(
            actor=w.worker, person=w.case.subject, kind="phone", value="01632 960001"
        ),
    ),
    "case_create": lambda w: case_services.case_create(
        actor=w.worker,
        agency=w.agency,
        subject=PersonFactory(agency=w.agency),
        status="early_help",
        allocate=w.worker,
    ),
    "case_set_status": lambda w: case_services.case_set_status(
        actor=w.worker, case=w.case, status="child_protection"
    ),
    "allocation_add": lambda w: case_services.allocation_add(
        actor=w.dsl, case=w.case, practitioner=w.colleague
    ),
    "allocation_end": lambda w: case_services.allocation_end(
        actor=w.dsl, allocation=w.case.allocations.get(), reason="caseload"
    ),
    "case_reallocate": lambda w: case_services.case_reallocate(
        actor=w.dsl, allocation=w.case.allocations.get(), practitioner=w.colleague, reason="absence"
    ),
    "involvement_add": lambda w: case_services.involvement_add(
        actor=w.worker, case=w.case, person=PersonFactory(agency=w.agency), relationship="carer"
    ),
    "involvement_end": lambda w: case_services.involvement_end(
        actor=w.worker, involvement=InvolvementFactory(case=w.case), reason="left_household"
    ),
    "involvement_add_new_person": lambda w: case_services.involvement_add_new_person(
        actor=w.worker, case=w.case, family_name="Fakedad", relationship="parent"
    ),
    "item_create": lambda w: case_services.item_create(
        actor=w.worker, case=w.case, **_item_kwargs(w)
    ),
    "item_update": lambda w: case_services.item_update(
        actor=w.worker,
        item=w.item,
        **_item_kwargs(w),
        special_category="health",
        criminal_offence_data=False,
        is_confidential=True,
        third_party_protected=False,
        reason="Clarified after speaking to the health visitor",
    ),
    "consent_record_given": _consent,
    "consent_record_refused": lambda w: consent_services.consent_record_refused(
        actor=w.worker,
        person=w.case.subject,
        given_by="parental_responsibility",
        given_by_name="Father, Fakedad Testington",
        method="verbal",
    ),
    "consent_record_not_sought": lambda w: consent_services.consent_record_not_sought(
        actor=w.worker,
        person=w.case.subject,
        reason="child_at_increased_risk",
        explanation="Asking would alert the fake household",
    ),
    "consent_withdraw": lambda w: consent_services.consent_withdraw(
        actor=w.worker,
        consent=_consent(w),
        note="Mother withdrew consent by phone",
        shared_on_basis=[("decisions.sharingdecision", "fake-1", w.other_agency)],
    ),
    "decision_record": lambda w: _decision(w),
    "decision_approve": lambda w: _approve(w),
    "consent_withdraw_with_recall": lambda w: _withdraw_with_recall(w),
    "notifications_mark_seen": lambda w: _mark_notifications_seen(w),
    "access_review_record": lambda w: _review_flagged_access(w),
    "ledger_signing_key_publish": lambda w: _publish_ledger_key(),
    "ledger_signing_key_rotate": lambda w: _rotate_ledger_key(),
    "request_create": lambda w: _request(w),
    "request_route": lambda w: _route_request(w),
    "request_refuse": lambda w: _refuse_request(w),
    "request_reconsider": lambda w: _reconsider_request(w),
    "request_withdraw": lambda w: _withdraw_request(w),
    "disclosure_issue": lambda w: _disclosure(w),
    "disclosure_acknowledge": lambda w: _disclosure_step(w, "acknowledge"),
    "disclosure_accept_undertaking": lambda w: _disclosure_step(w, "accept_undertaking"),
    "disclosure_read_back": lambda w: _disclosure_step(w, "read_back"),
    "disclosure_read_back_confirm": lambda w: _disclosure_step(w, "read_back_confirm"),
    "disclosure_read_back_correct": lambda w: _disclosure_step(w, "read_back_correct"),
    "disclosure_revoke": lambda w: _disclosure_step(w, "revoke"),
    "inform_task_complete": lambda w: _inform(w),
    "item_correction_issue": lambda w: _correct_item(w),
    "correction_notice_acknowledge": lambda w: _acknowledge_correction(w),
    "consent_recalls_send": lambda w: _send_recalls(w),
    "recall_request_confirm_deletion": lambda w: _confirm_deletion(w),
    "received_items_add_to_case": lambda w: _add_received_to_case(w),
    "contact_record": lambda w: _mash_contact(w),
    "enquiries_send": lambda w: mash_services.enquiries_send(
        actor=w_mash(w),
        contact=_mash_contact(w),
        partner_agencies=[w.other_agency],
        information_sought="Any incidents at the fake address in the last year",
        justification="A contact about a bruise needs the police picture to rate the risk",
    ),
    "contact_rate": lambda w: _rate_mash_contact(w),
    "contact_decide": lambda w: _decide_mash_contact(w),
    "contact_close": lambda w: mash_services.contact_close(
        actor=w_mash(w), contact=_decide_mash_contact(w)
    ),
    "linkage_model_train": lambda w: _train_linkage_model(w),
    "linkage_run": lambda w: _link(w),
    "linkage_model_activate": lambda w: linkage_services.linkage_model_activate(
        actor=w.system_admin, model=_linkage_model()
    ),
    "candidate_confirm": lambda w: linkage_services.candidate_confirm(
        actor=w_mash(w), candidate=_candidate_pair(w), reason="Same NHS number at the GP"
    ),
    "candidate_reject": lambda w: linkage_services.candidate_reject(
        actor=w_mash(w), candidate=_candidate_pair(w), reason="Different dates of birth"
    ),
    "pointer_match_dispute": lambda w: _dispute_pointer(w),
    "candidate_reopen": lambda w: linkage_services.candidate_reopen(
        actor=w_mash(w),
        candidate=linkage_services.candidate_reject(
            actor=w_mash(w), candidate=_candidate_pair(w), reason="Different dates of birth"
        ),
        reason="The GP has since confirmed it is the same child",
    ),
}


def w_mash(world: World) -> Any:
    """The world agency's MASH officer (made once per world)."""
    officer = getattr(world, "_mash_officer", None)
    if officer is None:
        officer = PractitionerFactory(agency=world.agency, roles=[Role.MASH_OFFICER])
        world._mash_officer = officer  # type: ignore[attr-defined]
    return officer


def _mash_contact(world: World) -> Any:
    return mash_services.contact_record(
        actor=w_mash(world),
        received_at=clock.now() - dt.timedelta(minutes=5),
        source="phone",
        referrer_name="Pat Fakeworth",
        parental_awareness="aware_and_agree",
        concerns="Came to school with a bruise on the cheek",
        category="physical_abuse",
        given_name="Alfie",
        family_name="Fakeworth",
        date_of_birth=dt.date(2018, 4, 1),
        postcode="ZZ1 1AA",
    )


def _rate_mash_contact(world: World) -> Any:
    return mash_services.contact_rate(
        actor=w_mash(world),
        contact=_mash_contact(world),
        rating="amber",
        reasons="An injury with an explanation that needs checking",
    )


def _decide_mash_contact(world: World) -> Any:
    return mash_services.contact_decide(
        actor=w_mash(world),
        contact=_rate_mash_contact(world),
        outcome="child_in_need_assessment",
        reasons="Needs a section 17 assessment of the family's needs",
    )


def _held_records(world: World) -> None:
    """A small synthetic population held by the world's two agencies (linkage needs data)."""
    population = generate_population(children=25, seed=5, agencies=("health", "police"))
    agency_for = {"health": world.agency, "police": world.other_agency}
    for r in population.records:
        PersonFactory(
            agency=agency_for[r.agency],
            given_name=r.given_name,
            family_name=r.family_name,
            date_of_birth=dt.date.fromisoformat(r.date_of_birth) if r.date_of_birth else None,
            nhs_number=r.nhs_number or "",
        )


def _train_linkage_model(world: World) -> Any:
    _held_records(world)
    return linkage_services.linkage_model_train(actor=world.system_admin)


def _link(world: World) -> Any:
    _train_linkage_model(world)
    return linkage_services.linkage_run(actor=world.system_admin)


def _dispute_pointer(world: World) -> Any:
    _link(world)
    ours = world.case.subject
    theirs = PersonFactory(
        agency=world.other_agency,
        given_name=ours.given_name,
        family_name=ours.family_name,
        date_of_birth=ours.date_of_birth,
    )
    identity = IdentityLink.objects.get(person=ours).identity
    IdentityLink.objects.update_or_create(
        person=theirs, defaults={"identity": identity, "linked_by": "model"}
    )
    return linkage_services.pointer_match_dispute(
        actor=world.worker,
        person=ours,
        agency=world.other_agency,
        reason="The police say their record is of a cousin",
    )


def _linkage_model() -> Any:
    return LinkageModel.objects.create(version=99, splink_model={}, weights={})


def _candidate_pair(world: World) -> Any:
    return CandidatePair.objects.create(
        person_a=min(world.case.subject, world.other_case.subject, key=lambda p: p.pk),
        person_b=max(world.case.subject, world.other_case.subject, key=lambda p: p.pk),
        match_probability=0.7,
        match_weight=1.3,
        model=_linkage_model(),
    )


def _activate(world: World) -> Any:
    agreement = _agreement(world)
    agency_services.agreement_sign(actor=world.dsl, agreement=agreement)
    agency_services.agreement_sign(actor=world.outsider, agreement=agreement)
    return agency_services.agreement_set_status(
        actor=world.dsl, agreement=agreement, status=AgreementStatus.ACTIVE
    )


def _services() -> set[str]:
    names = set()
    for module_name in SERVICE_MODULES:
        module = importlib.import_module(module_name)
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module_name and not name.startswith("_"):
                names.add(name)
    return names - NOT_SERVICES - WRITES_NO_LEDGER_ENTRY


def test_every_service_is_covered_by_this_table() -> None:
    assert _services() <= set(CALLS), f"add to CALLS: {sorted(_services() - set(CALLS))}"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_service_appends_to_the_ledger(world: World, name: str) -> None:
    before = LedgerEntry.objects.count()
    CALLS[name](world)
    assert LedgerEntry.objects.count() > before


BAD_CALLS: dict[str, Callable[[World], Any]] = {
    "unknown agency type": lambda w: agency_services.agency_create(
        actor=w.system_admin, name="X", agency_type="spaceship", local_authority_area="F"
    ),
    "duplicate agency": lambda w: agency_services.agency_create(
        actor=w.system_admin, name=w.agency.name, agency_type="school", local_authority_area="F"
    ),
    "bad NHS number": lambda w: people_services.person_create(
        actor=w.worker,
        agency=w.agency,
        family_name="Testington",
        nhs_number="9434765918",
        date_of_birth=dt.date(2020, 1, 1),
    ),
    "missing family name": lambda w: people_services.person_create(
        actor=w.worker, agency=w.agency, family_name=" ", date_of_birth=dt.date(2020, 1, 1)
    ),
    "future date of birth": lambda w: people_services.person_create(
        actor=w.worker, agency=w.agency, family_name="T", date_of_birth=dt.date(2999, 1, 1)
    ),
    "unborn without expected date": lambda w: people_services.person_create(
        actor=w.worker, agency=w.agency, family_name="T", is_unborn=True
    ),
    "child of another agency": lambda w: case_services.case_create(
        actor=w.worker, agency=w.agency, subject=w.other_case.subject, status="early_help"
    ),
    "item with no content": lambda w: case_services.item_create(
        actor=w.worker, case=w.case, **{**_item_kwargs(w), "content": "  "}
    ),
    "item in the future": lambda w: case_services.item_create(
        actor=w.worker, case=w.case, **{**_item_kwargs(w), "event_date": dt.date(2999, 1, 1)}
    ),
    "item about a stranger": lambda w: case_services.item_create(
        actor=w.worker, case=w.case, about=w.other_case.subject, **_item_kwargs(w)
    ),
    "edit without a reason": lambda w: case_services.item_update(
        actor=w.worker,
        item=w.item,
        **_item_kwargs(w),
        special_category="",
        criminal_offence_data=False,
        is_confidential=False,
        third_party_protected=False,
        reason="",
    ),
    "allocate another agency's worker": lambda w: case_services.allocation_add(
        actor=w.dsl, case=w.case, practitioner=w.outsider
    ),
    "reallocate to another agency's worker": lambda w: case_services.case_reallocate(
        actor=w.dsl, allocation=w.case.allocations.get(), practitioner=w.outsider, reason="absence"
    ),
    "end an allocation without a reason": lambda w: case_services.allocation_end(
        actor=w.dsl, allocation=w.case.allocations.get(), reason=""
    ),
    "new person involved without a family name": lambda w: case_services.involvement_add_new_person(
        actor=w.worker, case=w.case, family_name=" ", relationship="parent"
    ),
    "new person involved with no relationship": lambda w: case_services.involvement_add_new_person(
        actor=w.worker, case=w.case, family_name="Fakedad", relationship="uncle_bob"
    ),
    "address moved out of in the future": lambda w: people_services.address_end(
        actor=w.worker,
        address=AddressFactory(person=w.case.subject),
        lived_to=dt.date(2999, 1, 1),
    ),
    "agreement with one party": lambda w: agency_services.agreement_create(
        actor=w.dsl,
        owner=w.agency,
        reference="ISA-1",
        title="One party",
        parties=[w.agency],
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=30,
        start_date=dt.date(2026, 1, 1),
        review_date=dt.date(2027, 1, 1),
    ),
    "activate unsigned agreement": lambda w: agency_services.agreement_set_status(
        actor=w.dsl, agreement=_agreement(w), status=AgreementStatus.ACTIVE
    ),
    "weak password": lambda w: agency_services.practitioner_create(
        actor=w.agency_admin,
        agency=w.agency,
        username="weak.pw",
        given_name="W",
        family_name="P",
        password="password",
    ),
    "consent for another agency's child": lambda w: consent_services.consent_record_given(
        actor=w.worker, person=w.other_case.subject, **_consent_kwargs(w)
    ),
    "consent without expiry": lambda w: consent_services.consent_record_given(
        actor=w.worker, person=w.case.subject, **{**_consent_kwargs(w), "expires_on": None}
    ),
    "consent with no recipient": lambda w: consent_services.consent_record_given(
        actor=w.worker,
        person=w.case.subject,
        **{**_consent_kwargs(w), "recipient_agency_types": []},
    ),
    "consent not sought for no allowed reason": lambda w: (
        consent_services.consent_record_not_sought(
            actor=w.worker, person=w.case.subject, reason="too_busy", explanation="Busy"
        )
    ),
    "decision without reasons": lambda w: _decision(w, reasons=" "),
    "share without a lawful basis": lambda w: _decision(w, lawful_basis=None),
    "authenticator reset without a reason": lambda w: agency_services.totp_device_reset(
        actor=w.agency_admin, practitioner=w.worker, reason="  "
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_CALLS))
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world: World, name: str) -> None:
    from django.db import transaction

    from safeshare.cases.models import Case, InformationItem
    from safeshare.people.models import Person

    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (LedgerEntry, Person, Case, InformationItem))

    if name == "activate unsigned agreement":
        agreement_maker = BAD_CALLS[name]
        with pytest.raises(DomainError) as error, transaction.atomic():
            agreement_maker(world)
        assert error.value.message
        return
    before = counts()
    with pytest.raises(DomainError) as error:
        BAD_CALLS[name](world)
    assert error.value.message
    assert counts() == before


def test_closed_case_refuses_new_items(world: World) -> None:
    from safeshare.cases.exceptions import CaseClosed

    case_services.case_set_status(actor=world.worker, case=world.case, status="closed")
    with pytest.raises(CaseClosed):
        case_services.item_create(actor=world.worker, case=world.case, **_item_kwargs(world))


def test_item_edit_keeps_the_previous_wording(world: World) -> None:
    old_content = world.item.content
    CALLS["item_update"](world)
    revision = world.item.revisions.get()
    assert revision.content == old_content
    assert revision.version == 1
    assert world.item.version == 2


def test_new_current_address_ends_the_previous_one(world: World) -> None:
    child = world.case.subject
    first = people_services.address_add(
        actor=world.worker,
        person=child,
        lines="1 Old Road",
        postcode="ZZ99 1AA",
        lived_from=dt.date(2020, 1, 1),
    )
    people_services.address_add(
        actor=world.worker,
        person=child,
        lines="2 New Road",
        postcode="ZZ99 2BB",
        lived_from=dt.date(2026, 6, 1),
    )
    first.refresh_from_db()
    assert first.lived_to == dt.date(2026, 6, 1)


def _decision(world: World, **changes: Any) -> Any:
    from tests.decisions.helpers import record

    return record(world, **changes)


def _approve(world: World) -> Any:
    from safeshare.decisions.services import decision_approve

    return decision_approve(actor=world.dsl, decision=_decision(world), approved=True)


def _withdraw_with_recall(world: World) -> Any:
    from safeshare.decisions.services import consent_withdraw_with_recall
    from tests.decisions.helpers import given_consent

    consent = given_consent(world, world.other_agency)
    return consent_withdraw_with_recall(actor=world.worker, consent=consent, note="By phone")


def test_self_approval_is_refused_and_writes_nothing(world: World) -> None:
    from safeshare.decisions.exceptions import SelfApprovalRefused
    from safeshare.decisions.services import decision_approve

    decision = _decision(world, actor=world.dsl)
    before = LedgerEntry.objects.count()
    with pytest.raises(SelfApprovalRefused):
        decision_approve(actor=world.dsl, decision=decision, approved=True)
    assert LedgerEntry.objects.count() == before


def _mark_notifications_seen(world: World) -> Any:
    from safeshare.ledger.selectors import ledger_last_id
    from safeshare.oversight.services import notifications_mark_seen

    return notifications_mark_seen(actor=world.worker, up_to=ledger_last_id())


def _review_flagged_access(world: World) -> Any:
    from safeshare.access.fetch import access_case
    from safeshare.ledger.events import Event
    from safeshare.oversight.services import access_review_record
    from tests.factories import PractitionerFactory

    access_case(world.dsl, world.case.pk)  # a DSL without an allocation: flagged for review
    entry = LedgerEntry.objects.filter(event_code=Event.CASE_VIEWED, actor_id=world.dsl.pk).get()
    reviewer = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    return access_review_record(actor=reviewer, entry=entry, outcome="appropriate")


def _publish_ledger_key() -> Any:
    from safeshare.ledger.key_services import ledger_signing_key_publish
    from safeshare.ledger.signing import new_signing_keys

    return ledger_signing_key_publish(actor=None, public_key=new_signing_keys().public_key())


def _rotate_ledger_key() -> Any:
    from safeshare.ledger.key_services import ledger_signing_key_rotate
    from safeshare.ledger.signing import new_signing_keys

    return ledger_signing_key_rotate(actor=None, new_public_key=new_signing_keys().public_key())


# --- Requests and disclosures --------------------------------------------------------------------


def _request(world: World) -> Any:
    from safeshare.disclosures.services import request_create

    return request_create(
        actor=world.outsider,
        receiving_agency=world.agency,
        kind="request",
        purpose="child_protection",
        urgency="routine",
        information_sought="Recent concerns about the fake child",
        justification="Fake section 47 enquiry",
        nhs_number="9434765919",
    )


def _route_request(world: World) -> Any:
    from safeshare.disclosures.services import request_route

    return request_route(actor=world.dsl, request=_request(world))


def _refuse_request(world: World) -> Any:
    from safeshare.disclosures.services import request_refuse

    return request_refuse(
        actor=world.dsl, request=_request(world), message="Not shared", reasons="No harm shown"
    )


def _reconsider_request(world: World) -> Any:
    from safeshare.disclosures.services import request_reconsider

    return request_reconsider(
        actor=world.outsider, request=_refuse_request(world), new_information="A new fake report"
    )


def _withdraw_request(world: World) -> Any:
    from safeshare.disclosures.services import request_withdraw

    return request_withdraw(actor=world.outsider, request=_request(world))


def _disclosure(world: World) -> Any:
    from tests.disclosures.helpers import issue, sharing

    return issue(sharing(world))


def _disclosure_step(world: World, last: str) -> Any:
    """Take a disclosure through the recipient's steps, stopping at ``last`` (or, for the
    sharer's steps, doing ``last`` after them)."""
    from safeshare.disclosures import services

    disclosure = _disclosure(world)
    recipient = disclosure.recipient
    recipient_steps: dict[str, Callable[[], Any]] = {
        "acknowledge": lambda: services.disclosure_acknowledge(
            actor=recipient, disclosure=disclosure
        ),
        "accept_undertaking": lambda: services.disclosure_accept_undertaking(
            actor=recipient, disclosure=disclosure
        ),
        "read_back": lambda: services.disclosure_read_back(
            actor=recipient, disclosure=disclosure, understanding="Understood"
        ),
    }
    sharer_steps: dict[str, Callable[[], Any]] = {
        "read_back_confirm": lambda: services.disclosure_read_back_confirm(
            actor=world.worker, disclosure=disclosure
        ),
        "read_back_correct": lambda: services.disclosure_read_back_correct(
            actor=world.worker, disclosure=disclosure, correction="Only one observation"
        ),
        "revoke": lambda: services.disclosure_revoke(
            actor=world.worker, disclosure=disclosure, reason="Shared in error"
        ),
    }
    if last == "revoke":
        return sharer_steps["revoke"]()
    for name, step in recipient_steps.items():
        result = step()
        if name == last:
            return result
    return sharer_steps[last]()


def _inform(world: World) -> Any:
    from safeshare.disclosures.services import inform_task_complete

    disclosure = _disclosure(world)
    task = disclosure.decision.inform_task
    return inform_task_complete(actor=world.worker, task=task, how_told="By phone")


def _correct_item(world: World) -> Any:
    from safeshare.disclosures.services import item_correction_issue

    _disclosure(world)
    return item_correction_issue(
        actor=world.worker, item=world.item, kind="retraction", explanation="Wrong fake child"
    )


def _acknowledge_correction(world: World) -> Any:
    from safeshare.disclosures.services import correction_notice_acknowledge

    notice = _correct_item(world).notices.get()
    return correction_notice_acknowledge(actor=notice.disclosure.recipient, notice=notice)


def _send_recalls(world: World) -> Any:
    from safeshare.decisions.engine import ConsentState, Recipient
    from safeshare.decisions.services import consent_withdraw_with_recall
    from safeshare.disclosures.services import consent_recalls_send
    from tests.decisions.helpers import facts, given_consent
    from tests.disclosures.helpers import approved_decision, issue, sharing

    shared = sharing(world)
    consent = given_consent(world, world.other_agency)
    shared.decision = approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    issue(shared)
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Withdrawn")
    return consent_recalls_send(actor=world.worker, consent=consent)


def _confirm_deletion(world: World) -> Any:
    from safeshare.disclosures.services import recall_request_confirm_deletion

    (request,) = _send_recalls(world)
    return recall_request_confirm_deletion(
        actor=request.disclosure.recipient, recall_request=request
    )


def _add_received_to_case(world: World) -> Any:
    from safeshare.disclosures.services import received_items_add_to_case

    disclosure = _disclosure(world)
    return received_items_add_to_case(
        actor=disclosure.recipient, disclosure=disclosure, case=world.other_case
    )
