"""Subject access request export: what was shared, with whom, when and why; others withheld."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from safeshare.decisions.engine import ConsentState
from safeshare.decisions.services import decision_approve
from safeshare.oversight import sar
from safeshare.oversight.sar import (
    SharedRecord,
    export_csv,
    export_json,
    export_mapping,
    subject_access_export,
)
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record

pytestmark = pytest.mark.django_db

REASONS = "Fakemum Testington told the school nurse about bruising; informant Fakegran Testo"
WHAT = "The nurse's notes naming Fakedad Testington and the neighbour Fakeneighbour Test"


def _shared_with_consent(world: World) -> object:
    consent = given_consent(world, world.other_agency)
    return record(
        world,
        facts(consent=ConsentState.GIVEN, special_category=True),
        consent=consent,
        reasons=REASONS,
        what_to_share=WHAT,
        lawful_basis={
            "article_6": "art6_1_e",
            "article_9": "art9_2_g",
            "schedule_1": "dpa_sch1_18",
        },
    )


def _export(world: World) -> sar.SubjectAccessExport:
    return subject_access_export(person=world.case.subject, produced_by=world.agency)


def test_a_share_with_consent_is_listed_with_whom_when_and_why(world: World) -> None:
    decision = _shared_with_consent(world)
    export = _export(world)
    (shared,) = export.records
    assert shared.reference == str(decision.pk)  # type: ignore[attr-defined]
    assert shared.recipient == world.other_agency.name
    assert shared.recipient_type == "Police"
    assert shared.shared_by == world.agency.name
    assert shared.decided_by_role == "Practitioner"
    assert shared.purpose == "Child protection (section 47 enquiries)"
    assert shared.consent == "Consent given"
    assert shared.approval == "Not needed: shared with consent"
    assert "Special category information (such as health)" in shared.kinds_of_information
    citations = [line.citation for line in shared.lawful_basis]
    assert citations == [
        "UK GDPR Article 6(1)(e)",
        "UK GDPR Article 9(2)(g)",
        "Data Protection Act 2018 Schedule 1 Part 2 paragraph 18",
    ]
    assert shared.lawful_basis[0].title == "Public task"
    assert shared.lawful_basis[0].explanation
    assert export.person == world.case.subject.display_name
    assert export.sources == ("Recorded sharing decisions",)


def test_free_text_and_other_peoples_names_are_withheld_in_every_format(world: World) -> None:
    _shared_with_consent(world)
    export = _export(world)
    for text in (export_json(export), export_csv(export)):
        assert "Fakemum" not in text
        assert "Fakedad" not in text
        assert "Fakegran" not in text
        assert world.worker.family_name not in text
        assert world.worker.username not in text
        assert "reviewed out" in text
    assert any("free text" in line for line in export.withheld)


def test_a_share_awaiting_approval_is_not_listed_until_approved(world: World) -> None:
    decision = record(world)  # refer now, consent not asked: needs a DSL's approval
    assert _export(world).records == ()
    decision_approve(actor=world.dsl, decision=decision, approved=True)
    (shared,) = _export(world).records
    assert shared.approval.startswith("Approved by a designated safeguarding lead or manager on")
    assert shared.consent == "Consent not yet asked"


def test_a_declined_share_and_a_decision_not_to_share_are_not_listed(world: World) -> None:
    declined = record(world)
    decision_approve(actor=world.dsl, decision=declined, approved=False, comment="Not needed")
    record(
        world,
        facts(significant_harm_concern=False, consent=ConsentState.REFUSED),
        lawful_basis=None,
        what_to_share="",
    )
    assert _export(world).records == ()


def test_shares_about_another_child_are_not_listed(world: World) -> None:
    _shared_with_consent(world)
    export = subject_access_export(person=world.other_case.subject, produced_by=world.agency)
    assert export.records == ()


def test_json_export_is_the_mapping_with_a_format_version(world: World) -> None:
    _shared_with_consent(world)
    export = _export(world)
    loaded = json.loads(export_json(export))
    assert loaded == json.loads(json.dumps(export_mapping(export)))
    assert loaded["format_version"] == 1
    assert loaded["records"][0]["recipient"] == world.other_agency.name
    assert loaded["records"][0]["lawful_basis"][0]["title"] == "Public task"


def test_csv_export_has_one_row_per_share_then_what_was_withheld(world: World) -> None:
    _shared_with_consent(world)
    rows = list(csv.reader(io.StringIO(export_csv(_export(world)))))
    assert rows[0][:3] == ["shared_on", "source", "reference"]
    assert rows[1][5] == world.other_agency.name
    assert rows[2] == []
    assert ["Withheld:"] in rows


def test_csv_cells_that_look_like_formulas_are_made_plain_text(world: World) -> None:
    world.other_agency.name = "=HYPERLINK(1) Fake Agency"
    world.other_agency.save()
    _shared_with_consent(world)
    rows = list(csv.reader(io.StringIO(export_csv(_export(world)))))
    assert rows[1][5] == "'=HYPERLINK(1) Fake Agency"


def test_another_source_plugs_in_and_is_merged_in_date_order(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shared_with_consent(world)
    (from_decisions,) = _export(world).records
    earlier = dataclasses.replace(
        from_decisions,
        source="Disclosure",
        reference="disclosure-1",
        shared_on=from_decisions.shared_on.replace(year=2020),
    )

    def disclosures(person: object) -> list[SharedRecord]:
        return [earlier]

    monkeypatch.setattr(sar, "SOURCES", [*sar.SOURCES, ("Disclosures", disclosures)])
    export = _export(world)
    assert [r.source for r in export.records] == ["Disclosure", "Sharing decision"]
    assert export.sources == ("Recorded sharing decisions", "Disclosures")
