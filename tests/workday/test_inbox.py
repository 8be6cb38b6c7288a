"""The inbox ("Your work"): every kind of waiting work appears for exactly the people who should
act on it, and nobody else; the most urgent first; each row shown is a recorded read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from safeshare.access.scopes import access_reviews_visible_to, reads_reviewable_by
from safeshare.agencies.services import practitioner_deactivate
from safeshare.core import clock
from safeshare.disclosures.models import Disclosure, DisclosureStatus, InformTask
from safeshare.disclosures.services import disclosure_revoke
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.oversight.selectors import access_review_overview
from safeshare.workday.inbox import WorkKind, inbox_count, inbox_for
from tests.conftest import World
from tests.oversight.helpers import open_case
from tests.workday.inbox_world import NOW, InboxWorld, build

pytestmark = pytest.mark.django_db

ALL_BUT_ACCESS_REVIEW = [kind for kind in WorkKind if kind != WorkKind.ACCESS_REVIEW]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def iw(world: World) -> InboxWorld:
    return build(world)


def _shown(iw: InboxWorld, name: str) -> set[tuple[WorkKind, str]]:
    rows = inbox_for(iw.cast[name], now=clock.now(), kinds=ALL_BUT_ACCESS_REVIEW)
    return {(row.kind, row.object_id) for row in rows}


def test_every_kind_of_work_appears_for_exactly_those_who_should_act(iw: InboxWorld) -> None:
    """The whole matrix: for everyone in both agencies (and a third), what they see is exactly
    what they should act on. Access reviews follow the ledger and are tested below."""
    kinds_built = {kind for expected in iw.expected.values() for kind, _ in expected}
    assert kinds_built == set(ALL_BUT_ACCESS_REVIEW)
    problems = {
        name: (_shown(iw, name), expected)
        for name, expected in iw.expected.items()
        if _shown(iw, name) != expected
    }
    assert problems == {}


def test_the_count_is_the_number_of_rows_for_everyone(iw: InboxWorld) -> None:
    for name, practitioner in iw.cast.items():
        counted = inbox_count(practitioner, now=clock.now())
        assert counted == len(inbox_for(practitioner, now=clock.now())), name


@pytest.mark.parametrize(
    "name",
    ["school_dsl", "school_worker", "school_ig", "school_mash", "colleague", "system_admin"],
)
def test_practitioners_with_nothing_to_do_get_nothing_not_even_a_count(
    iw: InboxWorld, name: str
) -> None:
    practitioner = iw.cast[name]
    assert inbox_count(practitioner, now=clock.now()) == 0
    assert inbox_for(practitioner, now=clock.now()) == []


def test_practitioners_who_have_left_get_nothing(iw: InboxWorld) -> None:
    for name in ("leaver", "mash_leaver"):
        practitioner = iw.cast[name]
        practitioner.refresh_from_db()
        assert inbox_count(practitioner, now=clock.now()) == 0
        assert inbox_for(practitioner, now=clock.now()) == []


def test_when_a_practitioner_leaves_their_work_goes_to_the_agency_team(iw: InboxWorld) -> None:
    worker, dsl = iw.cast["worker"], iw.cast["dsl"]
    before = _shown(iw, "dsl")
    practitioner_deactivate(
        actor=iw.cast["agency_admin"], practitioner=worker, reason="left_agency"
    )
    gained = _shown(iw, "dsl") - before
    read_back = Disclosure.objects.get(status=DisclosureStatus.READ_BACK)
    assert gained == {
        (WorkKind.REQUEST, str(iw.request.pk if iw.request else "")),
        (WorkKind.READ_BACK_CONFIRMATION, str(read_back.pk)),
        *{(WorkKind.INFORM, str(task.pk)) for task in InformTask.objects.all()},
    }
    # The MASH officers share the request queue, not the sharer's read-backs or tasks.
    assert _shown(iw, "mash") - iw.expected["mash"] == {
        (WorkKind.REQUEST, str(iw.request.pk if iw.request else ""))
    }
    assert dsl.is_active


def test_the_most_urgent_work_comes_first(iw: InboxWorld) -> None:
    rows = inbox_for(iw.cast["worker"], now=clock.now())
    assert [row.kind for row in rows] == [
        WorkKind.REQUEST,  # immediate risk: urgent, due in an hour
        WorkKind.INFORM,  # due in five working days
        WorkKind.INFORM,
        WorkKind.READ_BACK_CONFIRMATION,  # no deadline
    ]
    assert rows[0].urgent
    assert not any(row.overdue for row in rows)
    later = clock.now() + dt.timedelta(days=10)
    late = inbox_for(iw.cast["worker"], now=later)
    assert [row.overdue for row in late] == [True, True, True, False]
    assert late[0].kind == WorkKind.REQUEST


def test_overdue_work_comes_before_work_due_later_and_undated_last(iw: InboxWorld) -> None:
    with clock.frozen(NOW + dt.timedelta(days=6)):  # past the approvals' three working days
        rows = inbox_for(iw.cast["dsl2"], now=clock.now())
    assert [(row.kind, row.overdue) for row in rows] == [
        (WorkKind.APPROVAL, True),
        (WorkKind.APPROVAL, True),
        (WorkKind.REQUEST, False),  # routine: ten working days
    ]
    assert rows[0].due_at is not None
    assert rows[1].due_at is not None
    assert rows[0].due_at <= rows[1].due_at


def test_each_row_says_what_is_asked_about_whom_by_whom_and_links_to_the_work(
    iw: InboxWorld,
) -> None:
    world = iw.world
    rows = inbox_for(iw.cast["worker"], now=clock.now(), kinds=[WorkKind.REQUEST])
    (row,) = rows
    assert row.child_name == world.case.subject.display_name
    assert row.asked_by == f"{iw.cast['police_worker'].full_name}, {world.other_agency.name}"
    assert (
        row.title == "Answer: Request for information, for child protection (section 47 enquiries)"
    )
    assert row.url == f"/requests/{iw.request.pk if iw.request else ''}/"
    assert row.due_at == NOW + dt.timedelta(hours=1)
    (agreement,) = inbox_for(iw.cast["ig"], now=clock.now(), kinds=[WorkKind.AGREEMENT_REVIEW])
    assert agreement.child_name == ""
    assert agreement.url == f"/agreements/{iw.agreement.pk if iw.agreement else ''}/"


def test_a_request_matching_no_case_names_the_child_as_the_requester_did(iw: InboxWorld) -> None:
    assert iw.unmatched is not None
    holder = iw.unmatched.assigned_to
    assert holder is not None
    (row,) = [
        r
        for r in inbox_for(holder, now=clock.now(), kinds=[WorkKind.REQUEST])
        if r.object_id == str(iw.unmatched.pk)
    ]
    assert row.child_name.endswith("(not matched to a case)")
    assert row.child_name.startswith(iw.unmatched.child_given_name)


def test_team_work_says_why_it_is_in_the_queue(iw: InboxWorld) -> None:
    titles = [r.title for r in inbox_for(iw.cast["dsl2"], now=clock.now(), kinds=["request"])]
    assert titles == [
        "Assignee has left: Answer: Request for information, for child protection "
        "(section 47 enquiries)"
    ]


def test_kinds_and_due_before_filter_the_rows(iw: InboxWorld) -> None:
    recipient = iw.cast["recipient"]
    only = inbox_for(recipient, now=clock.now(), kinds=[WorkKind.UNDERTAKING, WorkKind.READ_BACK])
    assert {row.kind for row in only} == {WorkKind.UNDERTAKING, WorkKind.READ_BACK}
    worker = iw.cast["worker"]
    soon = inbox_for(worker, now=clock.now(), due_before=NOW + dt.timedelta(days=1))
    assert [row.kind for row in soon] == [WorkKind.REQUEST]


def test_a_revoked_or_expired_disclosure_is_no_longer_waiting_for_its_recipient(
    iw: InboxWorld,
) -> None:
    recipient = iw.cast["recipient"]
    (ack,) = inbox_for(recipient, now=clock.now(), kinds=[WorkKind.ACKNOWLEDGEMENT])
    disclosure = Disclosure.objects.get(pk=ack.object_id)
    disclosure_revoke(actor=iw.cast["worker"], disclosure=disclosure, reason="Sent in error")
    assert inbox_for(recipient, now=clock.now(), kinds=[WorkKind.ACKNOWLEDGEMENT]) == []
    with clock.frozen(disclosure.expires_at + dt.timedelta(minutes=1)):
        assert inbox_for(recipient, now=clock.now(), kinds=[WorkKind.UNDERTAKING]) == []


def test_showing_the_inbox_records_one_read_per_row_as_the_list_pages_do(iw: InboxWorld) -> None:
    worker = iw.cast["worker"]

    def reads() -> dict[int, int]:
        codes = (Event.REQUEST_VIEWED, Event.DISCLOSURE_LISTED, Event.CASE_LISTED)
        return {
            int(code): LedgerEntry.objects.filter(actor_id=worker.pk, event_code=code).count()
            for code in codes
        }

    before = reads()
    inbox_count(worker, now=clock.now())
    assert reads() == before, "a count names nobody: not a read"
    inbox_for(worker, now=clock.now())
    after = reads()
    assert after[Event.REQUEST_VIEWED] - before[Event.REQUEST_VIEWED] == 1
    assert after[Event.DISCLOSURE_LISTED] - before[Event.DISCLOSURE_LISTED] == 1  # read-back
    assert after[Event.CASE_LISTED] - before[Event.CASE_LISTED] == 2  # the tasks
    inbox_for(worker, now=clock.now(), limit=1)
    assert reads()[Event.REQUEST_VIEWED] - after[Event.REQUEST_VIEWED] == 1
    assert reads()[Event.CASE_LISTED] == after[Event.CASE_LISTED], "only the rows shown"


def test_contact_rows_are_urgent_when_rated_red_and_then_wait_for_the_decision(
    iw: InboxWorld,
) -> None:
    from safeshare.mash.models import MashContact
    from safeshare.mash.services import contact_rate

    mash = iw.cast["mash"]
    before = inbox_for(mash, now=clock.now(), kinds=[WorkKind.MASH_CONTACT])
    first = next(row for row in before if not row.title.startswith("Assignee has left"))
    assert first.title.startswith("Give a RAG rating")
    assert not first.urgent
    contact = MashContact.objects.get(pk=first.object_id)
    contact_rate(actor=mash, contact=contact, rating="red", reasons="Injury to a young child")
    rows = inbox_for(mash, now=clock.now(), kinds=[WorkKind.MASH_CONTACT])
    rated = next(r for r in rows if r.object_id == first.object_id)
    assert rated.urgent
    assert rated.title.startswith("Decide the response")
    assert rows[0] == rated


def test_information_governance_sees_its_agencys_access_review_queue(iw: InboxWorld) -> None:
    world, ig, police_ig = iw.world, iw.cast["ig"], iw.cast["police_ig"]
    open_case(world.outsider, world.case, at=NOW - dt.timedelta(hours=1))  # outside the agency
    rows = inbox_for(ig, now=clock.now(), kinds=[WorkKind.ACCESS_REVIEW])
    queue = access_review_overview(
        reads=reads_reviewable_by(ig), reviews=access_reviews_visible_to(ig), agency_id=ig.agency_id
    ).queue
    assert {r.object_id for r in rows} == {str(f.read.entry_id) for f in queue}
    outsider_read = LedgerEntry.objects.filter(
        actor_id=world.outsider.pk, event_code=Event.CASE_VIEWED
    ).get()
    mine = next(r for r in rows if r.object_id == str(outsider_read.entry_id))
    assert mine.child_name == world.case.subject.display_name
    assert mine.url == f"/access-review/{outsider_read.entry_id}/"
    # The police's information governance reviews its own officer's read, without the name.
    theirs = inbox_for(police_ig, now=clock.now(), kinds=[WorkKind.ACCESS_REVIEW])
    police_row = next(r for r in theirs if r.object_id == str(outsider_read.entry_id))
    assert police_row.child_name == ""
    school = inbox_for(iw.cast["school_ig"], now=clock.now())
    assert school == []
    for practitioner in (world.dsl, world.worker):
        assert inbox_for(practitioner, now=clock.now(), kinds=[WorkKind.ACCESS_REVIEW]) == []
