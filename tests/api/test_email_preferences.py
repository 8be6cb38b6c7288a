"""``/api/me/email-preferences``.

Each practitioner chooses which work-arrived notices reach them by e-mail (web and API);
immediate-risk requests and escalated approvals cannot be switched off; opening Your work marks
the notices seen. Every change is in the ledger; bad input changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.workday.models import ALWAYS_EMAILED, EmailPreference, NoticeKind
from tests.api.conftest import ApiCaller
from tests.conftest import World

pytestmark = pytest.mark.django_db

CallAs = Callable[[Practitioner], ApiCaller]
ALWAYS = sorted(str(kind) for kind in ALWAYS_EMAILED)


def _entries(event: Event, actor: Practitioner) -> int:
    return LedgerEntry.objects.filter(event_code=event, actor_id=actor.pk).count()


def test_the_api_reads_and_replaces_the_choice(world: World, call_as: CallAs) -> None:
    api = call_as(world.worker)
    before = api.get("/api/me/email-preferences").json()
    assert before["emailed"] == list(NoticeKind.values)
    assert before["always"] == ALWAYS
    response = api.put("/api/me/email-preferences", {"emailed": [NoticeKind.INFORM_DUE]})
    assert response.status_code == 200
    assert response.json()["emailed"] == sorted([NoticeKind.INFORM_DUE, *ALWAYS])
    assert api.get("/api/me/email-preferences").json()["emailed"] == sorted(
        [NoticeKind.INFORM_DUE, *ALWAYS], key=list(NoticeKind.values).index
    )


def test_switching_off_what_cannot_be_switched_off_keeps_it_on(
    world: World, call_as: CallAs
) -> None:
    response = call_as(world.worker).put("/api/me/email-preferences", {"emailed": []})
    assert response.json()["emailed"] == ALWAYS


def test_an_unknown_kind_in_the_api_is_422_naming_it_and_changes_nothing(
    world: World, call_as: CallAs
) -> None:
    response = call_as(world.worker).put(
        "/api/me/email-preferences", {"emailed": ["tell_everyone"]}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "emailed"
    assert "tell_everyone" in response.json()["detail"]
    assert not EmailPreference.objects.filter(practitioner=world.worker).exists()
