"""Migration 0005 (canonical bytes stored, query columns generated from them) keeps a populated,
sequenced and signed ledger verifiable, and reads back the same columns (ADR 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ledger.test_sequencer import run_scenario

pytestmark = pytest.mark.django_db


def test_a_ledger_that_verified_before_0005_verifies_after_it(tmp_path: Path) -> None:
    result = run_scenario("migration_0005", tmp_path)
    assert result["entries"] == 24  # 23 appended and the signing key's publication
    assert result["leaves_matched_before"], result
    assert result["leaves_unchanged"], result
    assert result["columns_unchanged"], result
    assert result["canonical_is_python_encoding"], result
    assert result["leaves_match"], result
    assert result["verified_after"].startswith("ledger ok: 24 leaves"), result
    assert result["verified_appended"].startswith("ledger ok: 28 leaves"), result
    assert result["reversed_unchanged"], result
    assert result["verified_again"].startswith("ledger ok: 28 leaves"), result
