"""The e-mail choices page and Your work marking notices seen.

Each practitioner chooses which work-arrived notices reach them by e-mail (web and API);
immediate-risk requests and escalated approvals cannot be switched off; opening Your work marks
the notices seen. Every change is in the ledger; bad input changes nothing."""

from __future__ import annotations

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.workday.models import ALWAYS_EMAILED, EmailPreference, NoticeKind, WorkNotice
from safeshare.workday.services import emailed_kinds, notices_raise
from safeshare.workday.timers import Due
from tests.conftest import World
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

ALWAYS = sorted(str(kind) for kind in ALWAYS_EMAILED)


def _entries(event: Event, actor: Practitioner) -> int:
    return LedgerEntry.objects.filter(event_code=event, actor_id=actor.pk).count()


def test_the_page_offers_only_the_kinds_that_can_be_switched_off(
    world: World, sign_in: SignIn
) -> None:
    page = sign_in(world.worker).get("/account/email/").content.decode()
    for kind in NoticeKind:
        offered = f'value="{kind.value}"' in page
        assert offered == (kind not in ALWAYS_EMAILED), kind
        assert str(kind.label) in page  # the fixed ones are listed as always e-mailed
    assert page.count("checked") == len(NoticeKind) - len(ALWAYS_EMAILED)  # all on by default


def test_switching_kinds_off_on_the_web_is_kept_and_recorded(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    response = client.post(
        "/account/email/", {"emailed": [NoticeKind.REQUEST_DUE, NoticeKind.MASH_TIMESCALE]}
    )
    assert response.status_code == 302
    assert sorted(emailed_kinds(practitioner=world.worker)) == sorted(
        [NoticeKind.REQUEST_DUE, NoticeKind.MASH_TIMESCALE, *ALWAYS_EMAILED]
    )
    assert _entries(Event.EMAIL_PREFERENCES_SET, world.worker) == 1
    page = client.get("/account/email/").content.decode()
    assert page.count("checked") == 2


def test_an_unknown_kind_on_the_web_is_an_error_summary_and_changes_nothing(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.worker).post(
        "/account/email/", {"emailed": [NoticeKind.URGENT_REQUEST]}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not EmailPreference.objects.filter(practitioner=world.worker).exists()
    assert _entries(Event.EMAIL_PREFERENCES_SET, world.worker) == 0


def test_opening_your_work_marks_notices_seen_and_says_how_many_arrived(
    world: World, sign_in: SignIn
) -> None:
    due = [
        Due(world.worker.pk, NoticeKind.REQUEST_DUE, f"request:{n}:due", "/work/") for n in range(2)
    ]
    notices_raise(due=due, now=clock.now())
    client = sign_in(world.worker)
    first = client.get("/work/").content.decode()
    assert "2 notices about your work since you last looked" in first
    assert not WorkNotice.objects.filter(recipient=world.worker, seen_at__isnull=True).exists()
    assert _entries(Event.WORK_NOTICES_SEEN, world.worker) == 1
    again = client.get("/work/").content.decode()
    assert "since you last looked" not in again
    assert _entries(Event.WORK_NOTICES_SEEN, world.worker) == 1  # nothing new, nothing written


def test_a_colleagues_notices_are_not_marked_seen(world: World, sign_in: SignIn) -> None:
    notices_raise(
        due=[Due(world.colleague.pk, NoticeKind.REQUEST_DUE, "request:x:due", "/work/")],
        now=clock.now(),
    )
    sign_in(world.worker).get("/work/")
    assert WorkNotice.objects.get(recipient=world.colleague).seen_at is None
