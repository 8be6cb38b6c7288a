"""Third-party (informant) items: redacting the informant's identity satisfies the rule, and a
withheld or redacted source never reaches the recipient, whichever way they read what was shared
(the page's renderer, the PDF, the chronology of their own case)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from safeshare.cases.models import InformationItem
from safeshare.core import clock
from safeshare.disclosures.chronology import case_chronology
from safeshare.disclosures.exceptions import DisclosureInvalid, ProtectedContentRefused
from safeshare.disclosures.models import DisclosedItem
from safeshare.disclosures.pdf import disclosure_print_html
from safeshare.disclosures.redaction import Redaction, Segment
from safeshare.disclosures.render import render_disclosure
from safeshare.disclosures.selectors import disclosure_content_view, disclosure_preview
from safeshare.disclosures.services import received_items_add_to_case
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.disclosures.helpers import NOW, ItemSelection, Sharing, issue, sharing
from tests.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db

INFORMANT = "Mrs Fakeneighbour"
SOURCE = f"{INFORMANT}, neighbour at number 4"
CONTENT = f"{INFORMANT} heard shouting and a child crying late on Friday."


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    return sharing(world)


@pytest.fixture
def informant_item(s: Sharing) -> InformationItem:
    item: InformationItem = ItemFactory(
        case=s.world.case,
        recorded_by=s.world.worker,
        summary="Neighbour heard shouting",
        content=CONTENT,
        source=SOURCE,
        third_party_protected=True,
    )
    return item


def _name_range(text: str) -> Redaction:
    start = text.index(INFORMANT)
    return Redaction(start, start + len(INFORMANT), "Protects the informant")


def _recipient_html(s: Sharing, shared: DisclosedItem) -> str:
    return render_disclosure(disclosure_content_view(disclosure=shared.disclosure))


def test_a_third_party_item_with_its_source_withheld_is_shared_without_a_reason(
    s: Sharing, informant_item: InformationItem
) -> None:
    disclosure = issue(
        s,
        items=[
            ItemSelection(
                item=informant_item,
                content_redactions=(_name_range(CONTENT),),
                source_withheld_reason="Protects the informant",
            )
        ],
    )
    shared = disclosure.items.get()
    assert shared.third_party_protected
    assert shared.third_party_redacted
    assert shared.inclusion_reason == ""
    assert shared.source_protected
    # The copy itself never holds the name: not in the source, not in the words.
    assert INFORMANT not in shared.source
    assert INFORMANT not in "".join(s.text for s in (*shared.content, *shared.summary))
    assert shared.source_shared == (Segment("", redacted=True, reason="Protects the informant"),)
    html = _recipient_html(s, shared)
    assert INFORMANT not in html
    assert "[redacted: Protects the informant]" in html
    assert "who gave it has been withheld to protect them" in html
    assert INFORMANT not in disclosure_print_html(
        disclosure_content_view(disclosure=shared.disclosure)
    )


def test_redacting_the_informants_name_in_the_source_satisfies_the_rule(
    s: Sharing, informant_item: InformationItem
) -> None:
    disclosure = issue(
        s,
        items=[
            ItemSelection(
                item=informant_item,
                content_redactions=(_name_range(CONTENT),),
                source_redactions=(_name_range(SOURCE),),
            )
        ],
    )
    shared = disclosure.items.get()
    assert shared.source == "[redacted], neighbour at number 4"
    assert shared.redaction_count == 2
    html = _recipient_html(s, shared)
    assert INFORMANT not in html
    assert "[redacted: Protects the informant]</span>, neighbour at number 4" in html
    issued = json.loads(LedgerEntry.objects.get(event_code=Event.DISCLOSURE_ISSUED).details)
    assert issued["redactions"] == 2
    assert issued["third_party_items"] == 1


def test_redacting_only_the_words_leaves_the_source_naming_the_informant_and_is_refused(
    s: Sharing, informant_item: InformationItem
) -> None:
    selection = ItemSelection(item=informant_item, content_redactions=(_name_range(CONTENT),))
    with pytest.raises(ProtectedContentRefused) as refused:
        issue(s, items=[selection])
    assert refused.value.field == "inclusion_reason"
    assert "withhold its source or redact the words that identify who gave it" in (
        refused.value.message
    )
    with pytest.raises(ProtectedContentRefused):  # the preview checks the same rule
        disclosure_preview(
            actor=s.world.worker, decision=s.decision, recipient=s.recipient, items=[selection]
        )
    with pytest.raises(ProtectedContentRefused):  # nothing at all done to it
        issue(s, items=[ItemSelection(item=informant_item)])
    assert not DisclosedItem.objects.exists()
    assert not LedgerEntry.objects.filter(event_code=Event.DISCLOSURE_ISSUED).exists()


def test_a_third_party_item_included_as_it_is_with_a_reason_keeps_its_source(
    s: Sharing, informant_item: InformationItem
) -> None:
    disclosure = issue(
        s,
        items=[
            ItemSelection(item=informant_item, inclusion_reason="Officer must take a statement")
        ],
    )
    shared = disclosure.items.get()
    assert not shared.third_party_redacted
    assert shared.source == SOURCE
    html = _recipient_html(s, shared)
    assert SOURCE in html
    assert "shared with a recorded reason" in html


def test_withholding_and_redacting_the_same_source_is_refused(
    s: Sharing, informant_item: InformationItem
) -> None:
    selection = ItemSelection(
        item=informant_item,
        source_redactions=(_name_range(SOURCE),),
        source_withheld_reason="Protects the informant",
    )
    with pytest.raises(DisclosureInvalid) as refused:
        issue(s, items=[selection])
    assert refused.value.field == "redactions"
    bad_range = ItemSelection(
        item=informant_item, source_redactions=(Redaction(0, 999, "Protects the informant"),)
    )
    with pytest.raises(DisclosureInvalid) as outside:
        issue(s, items=[bad_range])
    assert outside.value.field == "redactions"
    assert not DisclosedItem.objects.exists()


def test_any_items_source_may_be_withheld(s: Sharing) -> None:
    disclosure = issue(
        s, items=[ItemSelection(item=s.world.item, source_withheld_reason="Staff safety")]
    )
    shared = disclosure.items.get()
    assert not shared.third_party_protected
    assert shared.source == "[redacted]"
    assert "Class teacher" not in _recipient_html(s, shared)


def test_a_withheld_source_never_reaches_the_recipients_chronology(
    s: Sharing, informant_item: InformationItem
) -> None:
    AllocationFactory(case=s.world.other_case, practitioner=s.recipient)
    disclosure = issue(
        s,
        items=[
            ItemSelection(
                item=informant_item,
                content_redactions=(_name_range(CONTENT),),
                source_withheld_reason="Protects the informant",
            )
        ],
    )
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=s.world.other_case)
    (entry,) = [e for e in case_chronology(case=s.world.other_case).entries if e.received]
    assert entry.source == "[redacted]"
    assert INFORMANT not in f"{entry.summary}{entry.content}{entry.source}"


def test_a_copy_made_before_sources_could_be_redacted_shows_its_source_whole(
    s: Sharing,
) -> None:
    shared = issue(s).items.get()
    DisclosedItem.objects.filter(pk=shared.pk).update(source_segments=None)
    shared.refresh_from_db()
    assert shared.source_shared == (Segment("Class teacher"),)
    assert not shared.source_protected
    assert "Class teacher" in _recipient_html(s, shared)
