"""The ledger API: heads, keys and consistency for everyone; inclusion proofs for IG and admins."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from django.db import transaction
from django.test import Client

from safeshare.access.fetch import access_case
from safeshare.agencies.models import Practitioner, Role
from safeshare.ledger import merkle
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.sequencer import ledger_sequence, ledger_sequence_pending
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import TreeHead, verify_head
from safeshare.ledger.tree import published_public_keys
from tests.api.conftest import ApiCaller
from tests.conftest import World
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

CallAs = Callable[[Practitioner], ApiCaller]
TOOL = Path(__file__).resolve().parents[2] / "tools" / "ledger_verify_proof.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ledger_verify_proof_for_api", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ig_officer(world: World, *, other_agency: bool = False) -> Practitioner:
    agency = world.other_agency if other_agency else world.agency
    return PractitionerFactory(agency=agency, roles=[Role.INFORMATION_GOVERNANCE])


def case_view_entry(world: World) -> LedgerEntry:
    """The worker opens their case: an entry made by someone of world.agency, about a child."""
    access_case(world.worker, world.case.pk)
    return LedgerEntry.objects.filter(event_code=Event.CASE_VIEWED).latest("id")


def test_any_signed_in_practitioner_can_fetch_heads_keys_and_consistency(
    world: World, call_as: CallAs
) -> None:
    case_view_entry(world)
    first = ledger_sequence().new_size
    with transaction.atomic():
        ledger_append(event=Event.AGENCY_UPDATED, actor=None)
    latest = ledger_sequence().new_size
    for who in (world.worker, world.outsider, world.agency_admin):
        api = call_as(who)
        head = api.get("/api/ledger/head")
        assert head.status_code == 200
        assert head.json()["size"] == latest
        verify_head(TreeHead.from_json(head.json()), published_public_keys())
        assert api.get(f"/api/ledger/heads/{first}").json()["size"] == first
        keys = api.get("/api/ledger/keys").json()["keys"]
        assert [key["key_id"] for key in keys] == [head.json()["key_id"]]
        proof = api.get("/api/ledger/consistency", old=first, new=latest)
        assert proof.status_code == 200
        bundle = proof.json()
        merkle.verify_consistency(
            old_size=first,
            new_size=latest,
            old_root=bytes.fromhex(bundle["old"]["root"]),
            new_root=bytes.fromhex(bundle["new"]["root"]),
            proof=[bytes.fromhex(p) for p in bundle["proof"]],
        )
        assert api.get("/api/ledger/consistency", old=first).json()["new"]["size"] == latest


def test_before_the_first_head_the_latest_head_is_404(world: World, call_as: CallAs) -> None:
    response = call_as(world.worker).get("/api/ledger/head")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found", "field": None}


def test_no_head_at_a_size_never_signed_is_404(world: World, call_as: CallAs) -> None:
    case_view_entry(world)
    size = ledger_sequence().new_size
    api = call_as(world.worker)
    assert api.get(f"/api/ledger/heads/{size + 1}").status_code == 404
    assert api.get("/api/ledger/consistency", old=size + 1).status_code == 422
    assert api.get("/api/ledger/consistency", old=size - 1).status_code == 404
    assert api.get("/api/ledger/consistency", old=-1).status_code == 422


def test_ig_officer_can_prove_an_entry_made_in_their_own_agency(
    world: World, call_as: CallAs, tmp_path: Path
) -> None:
    entry = case_view_entry(world)
    ledger_sequence()
    officer = ig_officer(world)
    response = call_as(officer).get(f"/api/ledger/entries/{entry.entry_id}/inclusion")
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["kind"] == "inclusion"
    assert bundle["entry"].encode("ascii") == entry.canonical_bytes()
    head = TreeHead.from_json(bundle["head"])
    verify_head(head, published_public_keys())
    merkle.verify_inclusion(
        leaf=merkle.leaf_hash(bundle["entry"].encode("ascii")),
        index=bundle["leaf_index"],
        size=head.size,
        proof=[bytes.fromhex(p) for p in bundle["proof"]],
        root=head.root,
    )
    # The same bundle satisfies the standalone verifier, with the published keys.
    keys = call_as(officer).get("/api/ledger/keys").json()
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    (tmp_path / "keys.json").write_text(json.dumps(keys))
    status = _tool().main([str(tmp_path / "bundle.json"), "--keys", str(tmp_path / "keys.json")])
    assert status == 0


def test_proving_an_entry_is_recorded_as_a_read_about_its_child(
    world: World, call_as: CallAs
) -> None:
    entry = case_view_entry(world)
    ledger_sequence()
    officer = ig_officer(world)
    call_as(officer).get(f"/api/ledger/entries/{entry.entry_id}/inclusion")
    record = LedgerEntry.objects.get(event_code=Event.LEDGER_ENTRY_PROVED)
    assert record.actor_id == officer.pk
    assert record.subject_case_id == world.case.pk
    assert record.object_id == str(entry.pk)


def test_ig_officer_of_another_agency_cannot_prove_the_entry(world: World, call_as: CallAs) -> None:
    entry = case_view_entry(world)
    ledger_sequence()
    api = call_as(ig_officer(world, other_agency=True))
    hidden = api.get(f"/api/ledger/entries/{entry.entry_id}/inclusion")
    missing = api.get("/api/ledger/entries/00000000-0000-4000-8000-000000000000/inclusion")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_ig_officer_cannot_prove_an_entry_the_system_made(world: World, call_as: CallAs) -> None:
    with transaction.atomic():
        system = ledger_append(event=Event.AGENCY_UPDATED, actor=None)
    ledger_sequence()
    response = call_as(ig_officer(world)).get(f"/api/ledger/entries/{system.entry_id}/inclusion")
    assert response.status_code == 404


def test_system_admin_can_prove_any_entry(world: World, call_as: CallAs) -> None:
    with transaction.atomic():
        system = ledger_append(event=Event.AGENCY_UPDATED, actor=None)
    other = PractitionerFactory(agency=world.other_agency)
    with transaction.atomic():
        theirs = ledger_append(event=Event.AGENCY_UPDATED, actor=other)
    ledger_sequence()
    api = call_as(world.system_admin)
    for entry in (system, theirs):
        assert api.get(f"/api/ledger/entries/{entry.entry_id}/inclusion").status_code == 200


def test_practitioner_without_ledger_prove_is_refused(world: World, call_as: CallAs) -> None:
    entry = case_view_entry(world)
    ledger_sequence()
    for who in (world.worker, world.dsl, world.agency_admin):
        response = call_as(who).get(f"/api/ledger/entries/{entry.entry_id}/inclusion")
        assert response.status_code == 403


def test_an_entry_not_yet_sequenced_is_409_and_an_old_head_422(
    world: World, call_as: CallAs
) -> None:
    case_view_entry(world)
    early = ledger_sequence_pending().new_size
    entry = case_view_entry(world)
    api = call_as(ig_officer(world))
    path = f"/api/ledger/entries/{entry.entry_id}/inclusion"
    assert api.get(path).status_code == 409
    ledger_sequence()
    assert api.get(path).status_code == 200
    too_old = api.get(path, size=early)
    assert too_old.status_code == 422
    assert too_old.json()["field"] == "size"
    assert api.get(path, size=early + 999).status_code == 404


def test_the_ledger_api_needs_authentication(world: World) -> None:
    client = Client()
    for path in ("/api/ledger/head", "/api/ledger/keys", "/api/ledger/consistency?old=1"):
        assert client.get(path).status_code == 401
