"""The renderer: "preview as recipient" is byte for byte what the recipient gets; every value is
escaped; items show fact or opinion, source, date and source agency; redactions are marked."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from safeshare.access.fetch import access_disclosure_content
from safeshare.cases.models import FactOrOpinion
from safeshare.core import clock
from safeshare.disclosures.redaction import Redaction, Segment
from safeshare.disclosures.render import AddressView, DisclosureView, ItemView, render_disclosure
from safeshare.disclosures.selectors import disclosure_content_view, disclosure_preview
from tests.conftest import World
from tests.disclosures.helpers import NOW, AddressSelection, ItemSelection, issue, sharing
from tests.factories import AddressFactory, ItemFactory

VIEW = DisclosureView(
    child_name="Fakechild Testington",
    child_date_of_birth="1 April 2016",
    sharing_agency="Testshire Children's Services",
    shared_by="Testy McTestface",
    recipient="Fakeofficer Plod",
    recipient_agency="Testshire Constabulary",
    purpose="Child protection (section 47 enquiries)",
    lawful_basis=("UK GDPR Article 6(1)(e): Public task",),
    expires_at=dt.datetime(2027, 2, 18, 9, 0, tzinfo=dt.UTC),
    items=(
        ItemView(
            category="Child's health",
            fact_or_opinion="Professional opinion",
            is_opinion=True,
            source=(Segment("Class teacher"),),
            how_known="Observed directly by the recorder",
            event_date=dt.date(2026, 10, 5),
            source_agency="Testshire Children's Services",
            summary=(Segment("Tired"),),
            content=(Segment("Seen by "), Segment("", redacted=True, reason="Informant")),
            third_party_included=False,
        ),
    ),
    addresses=(),
)


def test_render_shows_every_item_label_and_marks_redactions() -> None:
    html = render_disclosure(VIEW)
    for text in (
        "Professional opinion",
        "Class teacher",
        "5 October 2026",
        "Testshire Children&#x27;s Services",
        "[redacted: Informant]",
        "18 February 2027 at 09:00 UTC",
        "UK GDPR Article 6(1)(e)",
    ):
        assert text in html
    assert "safeshare-opinion" in html


def test_render_escapes_everything() -> None:
    nasty = '<script>alert("x")</script>'
    view = dataclasses.replace(
        VIEW,
        child_name=nasty,
        items=(
            dataclasses.replace(VIEW.items[0], source=(Segment(nasty),), summary=(Segment(nasty),)),
        ),
        addresses=(AddressView(whose=nasty, lines=nasty, postcode=nasty, is_protected=True),),
    )
    html = render_disclosure(view)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 6  # name, source, summary, whose, lines, postcode


@pytest.mark.django_db
def test_preview_as_recipient_is_byte_for_byte_what_the_recipient_gets(world: World) -> None:
    with clock.frozen(NOW):
        s = sharing(world)
        informant = ItemFactory(
            case=world.case,
            recorded_by=world.worker,
            fact_or_opinion=FactOrOpinion.OPINION,
            content="Neighbour Fakename heard shouting <late> at night.",
            third_party_protected=True,
        )
        refuge = AddressFactory(person=world.case.subject, is_protected=True)
        arguments = {
            "actor": world.worker,
            "decision": s.decision,
            "recipient": s.recipient,
            "items": [
                ItemSelection(item=world.item),
                ItemSelection(
                    item=informant,
                    content_redactions=(Redaction(0, len("Neighbour Fakename"), "Informant"),),
                    inclusion_reason="The shouting matters",
                ),
            ],
            "addresses": [AddressSelection(address=refuge, inclusion_reason="Joint visit")],
        }
        preview = render_disclosure(disclosure_preview(**arguments))  # type: ignore[arg-type]
        disclosure = issue(s, **arguments)
        received = access_disclosure_content(s.recipient, disclosure.pk)
        recipients_view = render_disclosure(disclosure_content_view(disclosure=received))
    assert preview == recipients_view
    assert "Fakename" not in recipients_view
    assert "[redacted: Informant]" in recipients_view
    assert "&lt;late&gt;" in recipients_view
    assert "Protected address" in recipients_view


@pytest.mark.django_db
def test_preview_is_what_the_recipient_gets_when_the_expiry_is_given_in_another_time_zone(
    world: World,
) -> None:
    with clock.frozen(NOW):
        s = sharing(world)
        paris = dt.timezone(dt.timedelta(hours=1))
        arguments = {
            "actor": world.worker,
            "decision": s.decision,
            "recipient": s.recipient,
            "items": [ItemSelection(item=world.item)],
            "expires_at": dt.datetime(2026, 12, 1, 18, 30, tzinfo=paris),
        }
        preview = render_disclosure(disclosure_preview(**arguments))  # type: ignore[arg-type]
        disclosure = issue(s, **arguments)
        received = access_disclosure_content(s.recipient, disclosure.pk)
        recipients_view = render_disclosure(disclosure_content_view(disclosure=received))
    assert "1 December 2026 at 17:30 UTC" in recipients_view
    assert preview == recipients_view
