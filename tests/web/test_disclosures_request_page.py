"""An information request's page: the requests that came back on it after a refusal are listed,
and listing them is a recorded read (each names a child)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeshare.disclosures.models import InformationRequest
from safeshare.disclosures.services import request_reconsider, request_refuse
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.disclosures.helpers import Sharing
from tests.web.conftest import SignIn
from tests.web.test_disclosures import ask, frozen_clock, ok, s

__all__ = ["frozen_clock", "s"]

pytestmark = pytest.mark.django_db


def reads_of(request: InformationRequest, *, by: object) -> int:
    return LedgerEntry.objects.filter(
        event_code=int(Event.REQUEST_VIEWED),
        object_id=str(request.pk),
        actor_id=getattr(by, "pk", None),
    ).count()


def test_the_dsl_asked_reading_a_refused_request_is_recorded_reading_its_reconsideration(
    s: Sharing, sign_in: SignIn
) -> None:
    officer = sign_in(s.recipient)
    asked = ask(officer, s.world)
    request_refuse(actor=s.world.dsl, request=asked, message="Say more", reasons="None given")
    asked.refresh_from_db()
    again = request_reconsider(
        actor=s.recipient, request=asked, new_information="A fake neighbour reported shouting."
    )
    before = reads_of(again, by=s.world.dsl)
    page = ok(
        sign_in(s.world.dsl).get(reverse("web:request-detail", kwargs={"request_id": asked.pk}))
    )
    assert reverse("web:request-detail", kwargs={"request_id": again.pk}) in page.text
    assert reads_of(again, by=s.world.dsl) == before + 1
    entry = LedgerEntry.objects.filter(
        event_code=int(Event.REQUEST_VIEWED), object_id=str(again.pk)
    ).latest("id")
    assert entry.subject_case_id == s.world.case.pk


def test_a_request_page_without_reconsiderations_records_no_other_request_read(
    s: Sharing, sign_in: SignIn
) -> None:
    officer = sign_in(s.recipient)
    asked = ask(officer, s.world)
    before = LedgerEntry.objects.filter(event_code=int(Event.REQUEST_VIEWED)).exclude(
        object_id=str(asked.pk)
    )
    count = before.count()
    ok(officer.get(reverse("web:request-detail", kwargs={"request_id": asked.pk})))
    assert before.count() == count
