"""Consent lifecycle: record given, refused, not sought; withdraw with recalls; every refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeshare.consent.exceptions import (
    ConsentInvalid,
    ConsentNotWithdrawable,
    ConsentPersonNotHeld,
    ConsentRecallInvalid,
)
from safeshare.consent.models import Consent, ConsentRecall, ConsentState, RecallStatus
from safeshare.consent.selectors import recalls_for_consent, recalls_open
from safeshare.consent.services import (
    consent_record_given,
    consent_record_not_sought,
    consent_record_refused,
    consent_withdraw,
)
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.consent.factories import NOON, TODAY, give, given_kwargs
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(NOON):
        yield


def _entries(event: Event) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(event_code=int(event)).order_by("id"))


def test_worker_records_consent_given_by_a_parent(world: World) -> None:
    child = world.case.subject
    consent = give(world.worker, child, recipient_agencies=[world.other_agency])

    consent.refresh_from_db()
    assert consent.state == ConsentState.GIVEN
    assert consent.agency == world.agency
    assert consent.given_by_name == "Mother, Fakemum Testington"
    assert consent.starts_on == TODAY
    assert consent.recorded_by == world.worker
    assert list(consent.recipient_agencies.all()) == [world.other_agency]
    [entry] = _entries(Event.CONSENT_RECORDED)
    assert entry.subject_person_id == child.pk
    assert entry.object_id == str(consent.pk)
    assert "Fakemum" not in entry.details


def test_consent_details_are_encrypted_at_rest(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    raw = Consent.objects.filter(pk=consent.pk).values_list("given_by_name", "evidence").get()
    assert all("Fake" not in value for value in raw)


def test_competent_child_may_give_their_own_consent_with_a_competence_note(world: World) -> None:
    consent = give(
        world.worker,
        world.case.subject,
        given_by="competent_child",
        given_by_name="Fakechild Testington",
        competence_note="Understands what will be shared and why; assessed by the fake worker",
    )
    assert consent.given_by == "competent_child"


def test_adult_may_give_their_own_consent(world: World) -> None:
    adult = PersonFactory(agency=world.agency, date_of_birth=dt.date(1990, 1, 1))
    consent = give(world.worker, adult, given_by="person", given_by_name="Fakemum Testington")
    assert consent.state == ConsentState.GIVEN


def test_worker_records_a_refusal_with_an_optional_note(world: World) -> None:
    refusal = consent_record_refused(
        actor=world.worker,
        person=world.case.subject,
        given_by="parental_responsibility",
        given_by_name="Father, Fakedad Testington",
        method="verbal",
    )
    assert refusal.state == ConsentState.REFUSED
    assert refusal.note == ""
    assert refusal.expires_on is None
    [entry] = _entries(Event.CONSENT_REFUSED)
    assert entry.subject_person_id == world.case.subject.pk


def test_worker_records_consent_not_sought_with_an_allowed_reason(world: World) -> None:
    record = consent_record_not_sought(
        actor=world.worker,
        person=world.case.subject,
        reason="child_at_increased_risk",
        explanation="Asking the fake father would alert him to the enquiry",
        purposes=["child_protection"],
    )
    assert record.state == ConsentState.NOT_SOUGHT
    [entry] = _entries(Event.CONSENT_NOT_SOUGHT)
    assert '"reason":"child_at_increased_risk"' in entry.details


def test_withdrawal_raises_one_recall_per_record_shared_on_the_consent(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    shared = [
        ("decisions.sharingdecision", "d-1", world.other_agency),
        ("disclosures.disclosure", "x-1", world.other_agency),
        ("disclosures.disclosure", "x-1", world.other_agency),  # the same record twice
        ("disclosures.disclosure", "x-2", None),
    ]

    consent_withdraw(
        actor=world.worker,
        consent=consent,
        note="Mother phoned to withdraw consent",
        shared_on_basis=shared,
    )

    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN
    assert consent.withdrawn_by == world.worker
    assert consent.withdrawn_at == NOON
    assert consent.withdrawal_note == "Mother phoned to withdraw consent"
    recalls = list(recalls_for_consent(consent=consent))
    assert [(r.shared_object_type, r.shared_object_id) for r in recalls] == [
        ("decisions.sharingdecision", "d-1"),
        ("disclosures.disclosure", "x-1"),
        ("disclosures.disclosure", "x-2"),
    ]
    assert {r.status for r in recalls} == {RecallStatus.OPEN}
    assert recalls[0].recipient_agency == world.other_agency
    assert recalls[2].recipient_agency is None
    assert len(_entries(Event.CONSENT_WITHDRAWN)) == 1
    recall_entries = _entries(Event.RECALL_CREATED)
    assert sorted(e.object_id for e in recall_entries) == sorted(str(r.pk) for r in recalls)
    assert {e.subject_person_id for e in recall_entries} == {world.case.subject.pk}
    assert list(recalls_open(agency=world.agency)) == recalls
    assert not recalls_open(agency=world.other_agency).exists()


def test_withdrawal_with_nothing_shared_raises_no_recall(world: World) -> None:
    consent = give(world.worker, world.case.subject)
    consent_withdraw(actor=world.worker, consent=consent, note="Changed her mind")
    assert not ConsentRecall.objects.exists()
    assert len(_entries(Event.CONSENT_WITHDRAWN)) == 1


def test_a_withdrawn_consent_is_never_given_again_a_new_consent_is_a_new_row(
    world: World,
) -> None:
    first = give(world.worker, world.case.subject)
    consent_withdraw(actor=world.worker, consent=first, note="Withdrawn by phone")
    second = give(world.worker, world.case.subject)
    first.refresh_from_db()
    assert first.state == ConsentState.WITHDRAWN
    assert second.pk != first.pk
    assert Consent.objects.count() == 2


def _adult(world: World) -> Any:
    return PersonFactory(agency=world.agency, date_of_birth=dt.date(1990, 1, 1))


def _given(world: World, **overrides: Any) -> Consent:
    return consent_record_given(
        actor=world.worker, person=world.case.subject, **given_kwargs(**overrides)
    )


BAD_RECORDS: dict[str, tuple[Callable[[World], Any], type[DomainError], str]] = {
    "person of another agency": (
        lambda w: consent_record_given(
            actor=w.worker, person=w.other_case.subject, **given_kwargs()
        ),
        ConsentPersonNotHeld,
        "person",
    ),
    "no expiry": (lambda w: _given(w, expires_on=None), ConsentInvalid, "expires_on"),
    "expiry before start": (
        lambda w: _given(w, starts_on=TODAY, expires_on=TODAY - dt.timedelta(days=1)),
        ConsentInvalid,
        "expires_on",
    ),
    "expiry on the start day": (
        lambda w: _given(w, starts_on=TODAY, expires_on=TODAY),
        ConsentInvalid,
        "expires_on",
    ),
    "expiry in the past": (
        lambda w: _given(w, starts_on=dt.date(2026, 1, 1), expires_on=TODAY - dt.timedelta(days=1)),
        ConsentInvalid,
        "expires_on",
    ),
    "no purpose": (lambda w: _given(w, purposes=[]), ConsentInvalid, "purposes"),
    "unknown purpose": (lambda w: _given(w, purposes=["curiosity"]), ConsentInvalid, "purposes"),
    "no category": (lambda w: _given(w, categories=[]), ConsentInvalid, "categories"),
    "unknown category": (
        lambda w: _given(w, categories=["gossip"]),
        ConsentInvalid,
        "categories",
    ),
    "no recipient": (
        lambda w: _given(w, recipient_agency_types=[], recipient_agencies=[]),
        ConsentInvalid,
        "recipient_agencies",
    ),
    "unknown agency type": (
        lambda w: _given(w, recipient_agency_types=["spaceship"]),
        ConsentInvalid,
        "recipient_agency_types",
    ),
    "unknown giver": (lambda w: _given(w, given_by="neighbour"), ConsentInvalid, "given_by"),
    "no giver name": (lambda w: _given(w, given_by_name="  "), ConsentInvalid, "given_by_name"),
    "unknown method": (lambda w: _given(w, method="telepathy"), ConsentInvalid, "method"),
    "no evidence": (lambda w: _given(w, evidence=""), ConsentInvalid, "evidence"),
    "competent child without a competence note": (
        lambda w: _given(w, given_by="competent_child", competence_note=""),
        ConsentInvalid,
        "competence_note",
    ),
    "competent child who is an adult": (
        lambda w: consent_record_given(
            actor=w.worker,
            person=_adult(w),
            **given_kwargs(given_by="competent_child", competence_note="Seems competent"),
        ),
        ConsentInvalid,
        "given_by",
    ),
    "competent child with no date of birth": (
        lambda w: consent_record_given(
            actor=w.worker,
            person=PersonFactory(agency=w.agency, date_of_birth=None),
            **given_kwargs(given_by="competent_child", competence_note="Seems competent"),
        ),
        ConsentInvalid,
        "given_by",
    ),
    "parental responsibility for an adult": (
        lambda w: consent_record_given(actor=w.worker, person=_adult(w), **given_kwargs()),
        ConsentInvalid,
        "given_by",
    ),
    "refusal dated in the future": (
        lambda w: consent_record_refused(
            actor=w.worker,
            person=w.case.subject,
            given_by="person",
            given_by_name="Fakechild Testington",
            method="verbal",
            refused_on=TODAY + dt.timedelta(days=1),
        ),
        ConsentInvalid,
        "refused_on",
    ),
    "refusal with no method": (
        lambda w: consent_record_refused(
            actor=w.worker,
            person=w.case.subject,
            given_by="parental_responsibility",
            given_by_name="Mother, Fakemum Testington",
            method="",
        ),
        ConsentInvalid,
        "method",
    ),
    "refusal for a person of another agency": (
        lambda w: consent_record_refused(
            actor=w.worker,
            person=w.other_case.subject,
            given_by="parental_responsibility",
            given_by_name="Mother, Fakemum Testington",
            method="verbal",
        ),
        ConsentPersonNotHeld,
        "person",
    ),
    "not sought for a reason the guidance does not allow": (
        lambda w: consent_record_not_sought(
            actor=w.worker, person=w.case.subject, reason="too_busy", explanation="Busy week"
        ),
        ConsentInvalid,
        "not_sought_reason",
    ),
    "not sought without an explanation": (
        lambda w: consent_record_not_sought(
            actor=w.worker, person=w.case.subject, reason="undue_delay", explanation=" "
        ),
        ConsentInvalid,
        "not_sought_explanation",
    ),
    "not sought with an unknown purpose": (
        lambda w: consent_record_not_sought(
            actor=w.worker,
            person=w.case.subject,
            reason="undue_delay",
            explanation="Child seen with injuries tonight",
            purposes=["curiosity"],
        ),
        ConsentInvalid,
        "purposes",
    ),
}


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Consent, ConsentRecall, LedgerEntry))


@pytest.mark.parametrize("name", sorted(BAD_RECORDS))
def test_bad_consent_record_is_refused_and_nothing_is_written(world: World, name: str) -> None:
    call, error_class, field = BAD_RECORDS[name]
    world.case.subject  # noqa: B018 - load before counting
    before = _counts()
    with pytest.raises(error_class) as error:
        call(world)
    assert error.value.message
    assert error.value.field == field
    assert Consent.objects.count() == before[0]
    assert ConsentRecall.objects.count() == before[1]
    assert LedgerEntry.objects.count() == before[2]


def _refusal(world: World) -> Consent:
    return consent_record_refused(
        actor=world.worker,
        person=world.case.subject,
        given_by="parental_responsibility",
        given_by_name="Mother, Fakemum Testington",
        method="verbal",
    )


def _withdrawn(world: World) -> Consent:
    consent = give(world.worker, world.case.subject)
    return consent_withdraw(actor=world.worker, consent=consent, note="Withdrawn by phone")


BAD_WITHDRAWALS: dict[
    str, tuple[Callable[[World], Consent], Callable[[World, Consent], Any], type[DomainError], str]
] = {
    "withdrawal without a note": (
        lambda w: give(w.worker, w.case.subject),
        lambda w, c: consent_withdraw(actor=w.worker, consent=c, note=" "),
        ConsentInvalid,
        "note",
    ),
    "withdrawal of a refusal": (
        _refusal,
        lambda w, c: consent_withdraw(actor=w.worker, consent=c, note="Withdrawn"),
        ConsentNotWithdrawable,
        "consent",
    ),
    "withdrawal of a consent already withdrawn": (
        _withdrawn,
        lambda w, c: consent_withdraw(
            actor=w.worker,
            consent=Consent.objects.get(pk=c.pk),
            note="Again",
            shared_on_basis=[("disclosures.disclosure", "x-9", None)],
        ),
        ConsentNotWithdrawable,
        "consent",
    ),
    "withdrawal by another agency": (
        lambda w: give(w.worker, w.case.subject),
        lambda w, c: consent_withdraw(actor=w.outsider, consent=c, note="Withdrawn"),
        ConsentPersonNotHeld,
        "consent",
    ),
    "withdrawal naming a shared record without an id": (
        lambda w: give(w.worker, w.case.subject),
        lambda w, c: consent_withdraw(
            actor=w.worker,
            consent=c,
            note="Withdrawn",
            shared_on_basis=[("disclosures.disclosure", " ", w.other_agency)],
        ),
        ConsentRecallInvalid,
        "shared_on_basis",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_WITHDRAWALS))
def test_bad_withdrawal_is_refused_and_nothing_is_written(world: World, name: str) -> None:
    setup, call, error_class, field = BAD_WITHDRAWALS[name]
    consent = setup(world)
    state_before = Consent.objects.get(pk=consent.pk).state
    before = _counts()
    with pytest.raises(error_class) as error:
        call(world, consent)
    assert error.value.message
    assert error.value.field == field
    assert _counts() == before
    assert Consent.objects.get(pk=consent.pk).state == state_before
