"""After sharing, through the web: telling the individual, corrections acknowledged by the
recipient, recalls outstanding and the recipient's confirmation of deletion; each page for the
allowed actor, 404 for others, and a refused step shown in the error summary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from safeshare.consent.models import ConsentRecall, RecallStatus
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState, Recipient
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.disclosures.models import InformTask, RecallRequest
from safeshare.disclosures.services import (
    consent_recalls_send,
    disclosure_revoke,
    item_correction_issue,
)
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent
from tests.disclosures.helpers import NOW, Sharing, approved_decision, issue, sharing
from tests.factories import PractitionerFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


def has_error_summary(response: Any) -> bool:
    return response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_the_sharer_records_that_the_individual_was_told(s: Sharing, sign_in: SignIn) -> None:
    issue(s)
    task = InformTask.objects.get()
    worker = sign_in(s.world.worker)
    listed = worker.get(reverse("web:inform-tasks"))
    assert listed.status_code == 200
    assert listed.context["tasks"] == [task]
    url = reverse("web:inform-task", kwargs={"task_id": task.pk})
    assert has_error_summary(worker.post(url, {"how_told": " "}))
    task.refresh_from_db()
    assert not task.is_done
    assert worker.post(url, {"how_told": "Told the fake mother by phone"}).status_code == 302
    task.refresh_from_db()
    assert task.how_told == "Told the fake mother by phone"
    # Once done it is refused, on the page, and nothing changes.
    page = worker.post(url, {"how_told": "Again"})
    assert has_error_summary(page)
    task.refresh_from_db()
    assert task.how_told == "Told the fake mother by phone"


def test_the_recipient_cannot_see_the_task_to_tell_the_individual(
    s: Sharing, sign_in: SignIn
) -> None:
    issue(s)
    task = InformTask.objects.get()
    officer = sign_in(s.recipient)
    assert officer.get(reverse("web:inform-task", kwargs={"task_id": task.pk})).status_code == 404
    assert sign_in(s.world.colleague).get(reverse("web:inform-tasks")).context["tasks"] == []


def test_the_recipient_acknowledges_a_correction(s: Sharing, sign_in: SignIn) -> None:
    disclosure = issue(s)
    item_correction_issue(
        actor=s.world.worker, item=s.world.item, kind="correction", explanation="It was Tuesday."
    )
    notice = disclosure.correction_notices.get()
    officer = sign_in(s.recipient)
    page = officer.get(reverse("web:corrections"))
    assert page.context["notices"] == [notice]
    assert "It was Tuesday." in page.text
    url = reverse("web:correction-acknowledge", kwargs={"notice_id": notice.pk})
    # The sharer may see the notice but not acknowledge it for the recipient.
    assert has_error_summary(sign_in(s.world.worker).post(url, {}))
    assert officer.post(url, {}).status_code == 302
    notice.refresh_from_db()
    assert notice.acknowledged_at == NOW
    assert has_error_summary(officer.post(url, {}))
    outsider = sign_in(PractitionerFactory(agency=s.world.other_agency))
    assert outsider.post(url, {}).status_code == 404


def test_recalls_are_outstanding_until_the_recipient_confirms_deletion(
    world: World, sign_in: SignIn
) -> None:
    s = sharing(world)
    consent = given_consent(world, world.other_agency)
    s.decision = approved_decision(
        world,
        facts(
            consent=ConsentState.GIVEN,
            significant_harm_concern=False,
            recipient=Recipient.AGREEMENT,
        ),
        consent=consent,
    )
    issue(s)
    consent_withdraw_with_recall(actor=world.worker, consent=consent, note="Mother withdrew")
    [recall_request] = consent_recalls_send(actor=world.worker, consent=consent)
    worker, officer = sign_in(world.worker), sign_in(s.recipient)
    assert worker.get(reverse("web:recalls")).context["recalls"] == [recall_request]
    assert officer.get(reverse("web:recalls-to-delete")).context["recalls"] == [recall_request]
    url = reverse("web:recall-confirm-deletion", kwargs={"recall_request_id": recall_request.pk})
    assert has_error_summary(worker.post(url, {}))  # only the recipient confirms
    assert sign_in(world.colleague).post(url, {}).status_code == 404
    assert officer.post(url, {}).status_code == 302
    recall_request.refresh_from_db()
    assert recall_request.deletion_confirmed_at == NOW
    assert ConsentRecall.objects.get(consent=consent).status == RecallStatus.COMPLETE
    assert worker.get(reverse("web:recalls")).context["recalls"] == []
    assert RecallRequest.objects.count() == 1


def test_the_recipient_no_longer_reads_a_correction_once_the_disclosure_is_revoked(
    s: Sharing, sign_in: SignIn
) -> None:
    """A correction carries the corrected words: after revocation the recipient's disclosure page
    no longer shows them (as the API's notices answer 404), while the sharer still sees them."""
    disclosure = issue(s)
    item_correction_issue(
        actor=s.world.worker, item=s.world.item, kind="correction", explanation="It was Tuesday."
    )
    url = reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})
    officer = sign_in(s.recipient)
    assert "It was Tuesday." in officer.get(url).text
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    page = officer.get(url)
    assert page.status_code == 200
    assert "It was Tuesday." not in page.text
    assert page.context["notices"] == []
    assert "It was Tuesday." in sign_in(s.world.worker).get(url).text
