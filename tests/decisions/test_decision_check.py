"""``decision_check``: the decision page asks whether recording would be refused, with the same
errors as ``decision_record`` and without writing anything."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from safeshare.core.exceptions import DomainError
from safeshare.decisions.checks import decision_check
from safeshare.decisions.engine import ConsentState, evaluate
from safeshare.decisions.models import SharingDecision
from safeshare.decisions.services import decision_record
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts

SHARE_WITHOUT_CONSENT = facts(consent=ConsentState.REFUSED)


def _arguments(world: World, **changes: Any) -> dict[str, Any]:
    outcome = evaluate(SHARE_WITHOUT_CONSENT)
    arguments: dict[str, Any] = {
        "actor": world.worker,
        "case": world.case,
        "purpose": SHARE_WITHOUT_CONSENT.purpose,
        "facts": SHARE_WITHOUT_CONSENT,
        "outcome": str(outcome.recommendation),
        "reasons": "Bruising seen twice in a week; the school nurse is worried.",
        "recipient_agency": world.other_agency,
        "lawful_basis": dataclasses.asdict(outcome.lawful_basis),
        "what_to_share": "The two observations of bruising, with dates and who saw them.",
    }
    arguments.update(changes)
    return arguments


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lawful_basis": None}, "article_6"),
        ({"what_to_share": "  "}, "what_to_share"),
        ({"reasons": ""}, "reasons"),
        ({"outcome": "do_not_share", "lawful_basis": None, "what_to_share": ""}, "override_reason"),
        ({"recipient_agency": None}, "recipient"),
    ],
)
def test_practitioner_is_told_what_recording_would_refuse_and_nothing_is_written(
    world: World, changes: dict[str, Any], field: str
) -> None:
    entries = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as checked:
        decision_check(**_arguments(world, **changes))
    assert checked.value.field == field
    with pytest.raises(DomainError) as recorded:
        decision_record(**_arguments(world, **changes))
    assert (recorded.value.field, recorded.value.message) == (field, checked.value.message)
    assert not SharingDecision.objects.exists()
    assert LedgerEntry.objects.count() == entries


def test_a_decision_recording_would_accept_passes_the_check_and_writes_nothing(
    world: World,
) -> None:
    entries = LedgerEntry.objects.count()
    decision_check(**_arguments(world), is_urgent=True)
    assert not SharingDecision.objects.exists()
    assert LedgerEntry.objects.count() == entries
    assert decision_record(**_arguments(world)).approval_required
