"""Plain words for every event code, role and purpose."""

from __future__ import annotations

from safeshare.ledger.events import Event
from safeshare.oversight.labels import EVENT_LABELS, event_label, purpose_label, role_labels


def test_every_event_has_a_plain_english_label() -> None:
    missing = [event.name for event in Event if not EVENT_LABELS.get(event, "").strip()]
    assert missing == [], f"add to safeshare/oversight/labels.py EVENT_LABELS: {missing}"


def test_labels_are_words_not_codes() -> None:
    for event, label in EVENT_LABELS.items():
        assert label[0].isupper(), event
        assert event.name not in label
        assert "_" not in label


def test_an_unknown_code_is_named_by_its_number() -> None:
    assert event_label(int(Event.CASE_VIEWED)) == "Opened the case"
    assert event_label(99999) == "Event 99999"


def test_roles_at_the_time_are_named() -> None:
    assert role_labels("dsl,practitioner") == (
        "Designated safeguarding lead or manager",
        "Practitioner",
    )
    assert role_labels("system") == ("SafeShare itself",)
    assert role_labels("") == ()
    assert role_labels("retired_role") == ("retired_role",)


def test_purposes_are_named() -> None:
    assert purpose_label("child_protection") == "Child protection (section 47 enquiries)"
    assert purpose_label("") == "Not recorded"
    assert purpose_label("something else") == "something else"
