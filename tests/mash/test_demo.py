"""The demo area's MASH: contacts at every stage, made through the real services, most about
children several demo agencies already know (so "Find this child across agencies" finds them),
a few about children new to every agency."""

from __future__ import annotations

import pytest

from safeshare.access.fetch import access_identity_search
from safeshare.cli.demo.generator import generate
from safeshare.core import clock
from safeshare.disclosures.models import RequestStatus
from safeshare.linkage.services import linkage_model_train, linkage_run
from safeshare.mash.models import ContactOutcome, ContactStatus, MashContact, MashEnquiry
from safeshare.mash.selectors import overdue_q
from safeshare.people.models import Person

pytestmark = pytest.mark.django_db

# Big enough for a child with an open children's social care case and an allocated worker.
CHILDREN = 40


def _holders(contact: MashContact) -> set[str]:
    """The agencies holding a record of the contact's child (same date of birth and family
    name, as the demo writes each agency's own record of the same child)."""
    return set(
        Person.objects.filter(
            date_of_birth=contact.child_date_of_birth,
            family_name__startswith=contact.child_family_name.split("-")[0],
        ).values_list("agency__name", flat=True)
    )


@pytest.fixture
def demo() -> list[MashContact]:
    result = generate(children=CHILDREN, seed=7, bulk=False)
    assert result.counts["mash_contacts"] == 8
    # As ``safeshare demo`` does after generating: link the records, fill the search index.
    linkage_model_train(actor=None)
    linkage_run(actor=None)
    return list(MashContact.objects.select_related("hub_agency", "assigned_to"))


def test_demo_hub_has_contacts_at_every_stage_an_overdue_enquiry_and_the_new_outcomes(
    demo: list[MashContact],
) -> None:
    statuses = {contact.status for contact in demo}
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
    assert all(c.child_postcode.startswith("ZZ") for c in demo)
    # Among the outcomes: information and advice, its open enquiry withdrawn in the same step,
    # and already open, passed to the allocated worker of the hub's own open case.
    by_outcome = {contact.outcome: contact for contact in demo if contact.outcome}
    advised = by_outcome[ContactOutcome.INFORMATION_AND_ADVICE]
    assert [e.request.status for e in advised.enquiries.select_related("request")] == [
        RequestStatus.WITHDRAWN
    ]
    passed = by_outcome[ContactOutcome.ALREADY_OPEN]
    assert passed.allocated_worker
    assert passed.hub_agency.name in _holders(passed)  # the hub's own open case


def test_most_demo_contacts_concern_children_agencies_know_and_the_search_finds_them(
    demo: list[MashContact],
) -> None:
    known = [contact for contact in demo if len(_holders(contact)) >= 3]
    new = [contact for contact in demo if not _holders(contact)]
    assert len(known) == 6
    assert len(new) == 2
    for contact in known:
        if contact.referrer_agency is not None and contact.outcome != "already_open":
            # The referrer's own record of the child is what the contact identifies.
            assert contact.referrer_agency.name in _holders(contact)
    # "Find this child across agencies", as the contact page posts it, finds the known ones.
    officer = demo[0].assigned_to
    assert officer is not None
    for contact in demo:
        results = access_identity_search(
            officer,
            nhs_number=contact.child_nhs_number,
            given_name=contact.child_given_name,
            family_name=contact.child_family_name,
            date_of_birth=contact.child_date_of_birth,
            postcode=contact.child_postcode,
        )
        likely = [r for r in results if r.match_probability >= 0.9]
        if _holders(contact):
            assert likely, f"nothing found for the contact of {contact.received_at}"
            best = likely[0]
            assert best.details is not None  # a MASH officer sees the best match's details
            assert contact.child_family_name.split("-")[0] in best.details.name
        else:
            assert likely == []
