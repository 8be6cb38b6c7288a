"""``safeshare decide evaluate FILE.json``: the recommendation for facts in a file, in plain text
or JSON; bad JSON or bad facts give one line and a non-zero exit; nothing is recorded."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from safeshare.cli import main as cli
from safeshare.decisions.engine import facts_to_mapping
from safeshare.ledger.models import LedgerEntry
from tests.decisions.helpers import BASE_FACTS

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "facts.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def facts_mapping(**changes: Any) -> dict[str, Any]:
    mapping = facts_to_mapping(BASE_FACTS)
    mapping.update(changes)
    return mapping


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("safeshare: error: ")
    return lines[0]


def test_evaluate_prints_recommendation_reasons_rules_basis_and_who_to_tell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["decide", "evaluate", write(tmp_path, facts_mapping())]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recommendation: Refer to children's social care or police now")
    for heading in ("Why:", "Rules cited:", "Suggested lawful basis:", "Record:", "Tell:"):
        assert heading in out
    assert "SH-02" in out  # 2024.2: raising a significant harm concern yourself
    assert "Rule version: 2024.2" in out
    assert "Article 6(1)(e)" in out
    assert "The individual" in out
    assert LedgerEntry.objects.count() == 0


def test_evaluate_accepts_facts_wrapped_as_in_the_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        {"facts": facts_mapping(identifies_living_person="no", significant_harm_concern=False)},
    )
    assert cli.main(["decide", "evaluate", path]) == 0
    assert "(not_personal_data)" in capsys.readouterr().out


def test_evaluate_json_prints_the_outcome_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, facts_mapping(significant_harm_concern=False))
    assert cli.main(["decide", "evaluate", "--json", path]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["recommendation"] == "seek_consent"
    assert outcome["lawful_basis"] is None


def test_evaluate_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(facts_mapping())))
    assert cli.main(["decide", "evaluate", "-"]) == 0
    assert "(refer_now)" in capsys.readouterr().out


def test_invalid_json_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["decide", "evaluate", write(tmp_path, "{not json")]) != 0
    assert "is not valid JSON" in one_error_line(capsys)


def test_invalid_facts_name_the_field_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, facts_mapping(confidential="perhaps"))
    assert cli.main(["decide", "evaluate", path]) != 0
    assert "confidential" in one_error_line(capsys)


def test_missing_fact_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = facts_mapping()
    del mapping["advice_sought"]
    assert cli.main(["decide", "evaluate", write(tmp_path, mapping)]) != 0
    assert "advice_sought is missing" in one_error_line(capsys)


def test_a_json_list_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["decide", "evaluate", write(tmp_path, [1, 2])]) != 0
    assert "JSON object" in one_error_line(capsys)


def test_a_missing_file_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["decide", "evaluate", str(tmp_path / "nope.json")]) != 0
    assert "cannot read" in one_error_line(capsys)
