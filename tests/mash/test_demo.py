"""The demo area's MASH: contacts at every stage, made through the real services."""

from __future__ import annotations

import pytest

from safeshare.cli.demo.generator import generate
from safeshare.core import clock
from safeshare.mash.models import ContactStatus, MashContact, MashEnquiry
from safeshare.mash.selectors import overdue_q

pytestmark = pytest.mark.django_db


def test_demo_hub_has_contacts_at_every_stage_and_an_overdue_enquiry() -> None:
    result = generate(children=12, seed=7, bulk=False)
    assert result.counts["mash_contacts"] == 6
    statuses = set(MashContact.objects.values_list("status", flat=True))
    assert statuses == {
        ContactStatus.NEW,
        ContactStatus.GATHERING,
        ContactStatus.AWAITING_DECISION,
        ContactStatus.DECIDED,
        ContactStatus.CLOSED,
    }
    assert MashContact.objects.filter(overdue_q(now=clock.now())).exists()
    overdue = [e for e in MashEnquiry.objects.select_related("request") if e.request.is_overdue]
    assert len(overdue) == 2
    assert all(c.child_postcode.startswith("ZZ") for c in MashContact.objects.all())
