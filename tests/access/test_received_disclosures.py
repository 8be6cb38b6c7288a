"""Who in a RECIPIENT agency may read what it received (a disclosure, its items, its
corrections): the named recipient, its practitioners allocated to a case the received items were
added to, and its DSLs; nobody else there, who gets the same 404 as for a missing record. One
rule (``access.rules.received_disclosure_rule``) behind the fetchers, the scopes, the web pages,
the API and the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from safeshare.access.fetch import access_disclosure, access_disclosure_content
from safeshare.access.policy import may_read_disclosure_content
from safeshare.access.scopes import correction_notices_visible_to, disclosures_visible_to
from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseAllocation, Relationship
from safeshare.core import clock
from safeshare.core.exceptions import NotFound
from safeshare.disclosures.models import Disclosure
from safeshare.disclosures.services import item_correction_issue, received_items_add_to_case
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.workday.inbox import inbox_for
from tests.api.conftest import bearer_for, not_found_body
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, issue, sharing
from tests.factories import AllocationFactory, InvolvementFactory, PractitionerFactory
from tests.web.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


@pytest.fixture
def disclosure(s: Sharing) -> Disclosure:
    return issue(s)


def allocated_to_the_receiving_case(world: World) -> Practitioner:
    """A police officer allocated to the police case the recipient adds the items to."""
    return AllocationFactory(case=world.other_case).practitioner


def add_to_case(s: Sharing, disclosure: Disclosure) -> None:
    AllocationFactory(case=s.world.other_case, practitioner=s.recipient)  # they may edit it
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=s.world.other_case)


def reads(actor: Practitioner, disclosure: Disclosure) -> bool:
    """Details and content, through the fetchers, the scope and the policy, all agreeing."""
    outcomes = set()
    for fetch in (access_disclosure, access_disclosure_content):
        try:
            outcomes.add(fetch(actor, disclosure.pk) == disclosure)
        except NotFound:
            outcomes.add(False)
    outcomes.add(disclosures_visible_to(actor).filter(pk=disclosure.pk).exists())
    outcomes.add(may_read_disclosure_content(actor, disclosure))
    assert len(outcomes) == 1, f"the rule's users disagree for {actor}"
    return outcomes.pop()


def test_the_named_recipient_reads_what_they_received(s: Sharing, disclosure: Disclosure) -> None:
    assert reads(s.recipient, disclosure)


def test_the_recipient_agencys_dsl_reads_what_it_received(
    s: Sharing, disclosure: Disclosure
) -> None:
    assert s.world.outsider.has_role(Role.DSL)
    assert reads(s.world.outsider, disclosure)
    entry = LedgerEntry.objects.get(
        event_code=Event.DISCLOSURE_CONTENT_VIEWED, actor_id=s.world.outsider.pk
    )
    # Recorded about the sharing agency's child and case, so the sharer sees who read it.
    assert entry.subject_case_id == s.world.case.pk


def test_a_practitioner_allocated_to_the_case_it_was_added_to_reads_it(
    s: Sharing, disclosure: Disclosure
) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    assert not reads(allocated, disclosure)  # not until the items are added to their case
    add_to_case(s, disclosure)
    assert reads(allocated, disclosure)


def test_a_colleague_in_the_recipient_agency_without_a_relationship_gets_404(
    s: Sharing, disclosure: Disclosure
) -> None:
    add_to_case(s, disclosure)
    colleague = PractitionerFactory(agency=s.world.other_agency)
    mash_officer = PractitionerFactory(agency=s.world.other_agency, roles=[Role.MASH_OFFICER])
    governance = PractitionerFactory(
        agency=s.world.other_agency, roles=[Role.INFORMATION_GOVERNANCE]
    )
    allocated_elsewhere = AllocationFactory(
        case=AllocationFactory(case__agency=s.world.other_agency).case
    ).practitioner
    for actor in (colleague, mash_officer, governance, allocated_elsewhere):
        assert not reads(actor, disclosure), actor
        with pytest.raises(NotFound):
            access_disclosure(actor, disclosure.pk)


def test_an_ended_allocation_no_longer_lets_them_read_it(
    s: Sharing, disclosure: Disclosure
) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    CaseAllocation.objects.filter(practitioner=allocated).update(ended_on=clock.today())
    assert not reads(allocated, disclosure)


def test_involvement_in_the_case_is_no_relationship_and_bars_colleagues(
    s: Sharing, disclosure: Disclosure
) -> None:
    """``Involvement.practitioner`` names a member of staff as a person in the case (here an
    alleged perpetrator): never a reason to read, and a bar to a DSL or an allocated colleague
    reading what was received about that child."""
    add_to_case(s, disclosure)
    involved_only = PractitionerFactory(agency=s.world.other_agency)
    InvolvementFactory(
        case=s.world.other_case,
        practitioner=involved_only,
        relationship=Relationship.ALLEGED_PERPETRATOR,
    )
    allocated_and_involved = allocated_to_the_receiving_case(s.world)
    InvolvementFactory(case=s.world.other_case, practitioner=allocated_and_involved)
    dsl_involved_at_source = s.world.outsider
    InvolvementFactory(case=s.world.case, practitioner=dsl_involved_at_source)
    for actor in (involved_only, allocated_and_involved, dsl_involved_at_source):
        assert not reads(actor, disclosure), actor
    assert reads(s.recipient, disclosure)  # the sharer chose them


def test_after_expiry_colleagues_see_what_was_shared_but_no_longer_the_content(
    s: Sharing, disclosure: Disclosure
) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    with clock.frozen(disclosure.expires_at + dt.timedelta(seconds=1)):
        for actor in (allocated, s.world.outsider, s.recipient):
            assert access_disclosure(actor, disclosure.pk) == disclosure
            assert not may_read_disclosure_content(actor, disclosure)
            with pytest.raises(NotFound):
                access_disclosure_content(actor, disclosure.pk)


def test_colleagues_who_read_it_also_see_its_corrections(
    s: Sharing, disclosure: Disclosure
) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    item_correction_issue(
        actor=s.world.worker, item=s.world.item, kind="correction", explanation="Fake: 3rd not 2nd"
    )
    colleague = PractitionerFactory(agency=s.world.other_agency)
    for actor, sees in ((allocated, True), (s.world.outsider, True), (colleague, False)):
        shown = correction_notices_visible_to(actor).filter(disclosure=disclosure).exists()
        assert shown is sees, actor


# --- The web page, the API and the inbox use the same rule --------------------------------------


def web_client(actor: Practitioner) -> Client:
    return signed_in_client(Client(), actor)


def test_the_web_page_shows_it_to_the_people_the_rule_allows_and_404_to_others(
    s: Sharing, disclosure: Disclosure
) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    url = reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})
    for actor in (s.recipient, allocated, s.world.outsider):
        page = web_client(actor).get(url)
        assert page.status_code == 200, actor
        assert 'id="disclosure-content"' in page.content.decode()
    colleague = PractitionerFactory(agency=s.world.other_agency)
    assert web_client(colleague).get(url).status_code == 404


def test_colleagues_cannot_take_the_recipients_steps(s: Sharing, disclosure: Disclosure) -> None:
    """Reading is shared; acknowledging and the undertaking stay the named recipient's."""
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    page = web_client(allocated).get(
        reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})
    )
    assert "Acknowledge receipt" not in page.content.decode()
    assert "Add to one of our cases" not in page.content.decode()
    for actor in (allocated, s.world.outsider):
        assert not [
            row for row in inbox_for(actor, now=clock.now()) if row.object_id == str(disclosure.pk)
        ]
    assert [
        row
        for row in inbox_for(s.recipient, now=clock.now())
        if row.object_id == str(disclosure.pk)
    ]


def test_the_api_answers_the_same_way(s: Sharing, disclosure: Disclosure) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    colleague = PractitionerFactory(agency=s.world.other_agency)
    for actor, status in ((allocated, 200), (s.world.outsider, 200), (colleague, 404)):
        headers = bearer_for(actor)
        for path in (
            f"/api/disclosures/{disclosure.pk}",
            f"/api/disclosures/{disclosure.pk}/content",
        ):
            response = Client().get(path, headers=headers)
            assert response.status_code == status, (actor, path)
            if status == 404:
                assert response.json() == not_found_body()


def test_the_chronology_shows_received_items_only_to_those_the_rule_allows(
    s: Sharing, disclosure: Disclosure
) -> None:
    """A MASH officer or information governance may open every case of their agency, but not
    what the agency received: the case's chronology shows them no trace of it."""
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    mash_officer = PractitionerFactory(agency=s.world.other_agency, roles=[Role.MASH_OFFICER])
    governance = PractitionerFactory(
        agency=s.world.other_agency, roles=[Role.INFORMATION_GOVERNANCE]
    )
    page = reverse("web:case-chronology", kwargs={"case_id": s.world.other_case.pk})
    api = f"/api/cases/{s.world.other_case.pk}/chronology"
    words = s.world.item.summary
    for actor, sees in (
        (allocated, True),
        (s.world.outsider, True),
        (s.recipient, True),
        (mash_officer, False),
        (governance, False),
    ):
        html = web_client(actor).get(page)
        assert html.status_code == 200, actor
        assert (words in html.content.decode()) is sees, actor
        entries = Client().get(api, headers=bearer_for(actor)).json()
        assert any(entry["received"] for entry in entries) is sees, actor


def test_only_the_named_recipient_adds_it_to_a_case_colleagues_who_read_it_get_404(
    s: Sharing, disclosure: Disclosure
) -> None:
    allocated = allocated_to_the_receiving_case(s.world)
    add_to_case(s, disclosure)
    page = reverse("web:disclosure-add-to-case", kwargs={"disclosure_id": disclosure.pk})
    api = f"/api/disclosures/{disclosure.pk}/chronology"
    for actor in (allocated, s.world.outsider):
        assert reads(actor, disclosure)
        assert web_client(actor).get(page).status_code == 404
        response = Client().post(
            api,
            f'{{"case_id": "{s.world.other_case.pk}"}}',
            content_type="application/json",
            headers=bearer_for(actor),
        )
        assert response.status_code == 404
    assert web_client(s.recipient).get(page).status_code == 200
