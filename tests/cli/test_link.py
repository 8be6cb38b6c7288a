"""``safeshare link``: train, link, status, with one-line errors."""

from __future__ import annotations

import datetime as dt

import pytest

from safeshare.cli import main as cli
from safeshare.linkage.models import IdentityLink, LinkageModel
from safeshare.linkage.synthetic import generate_population
from tests.factories import AddressFactory, AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _held() -> int:
    population = generate_population(children=40, seed=9, agencies=("health", "police"))
    agencies = {name: AgencyFactory(name=f"Fakeshire {name}") for name in ("health", "police")}
    for r in population.records:
        person = PersonFactory(
            agency=agencies[r.agency],
            given_name=r.given_name,
            family_name=r.family_name,
            date_of_birth=dt.date.fromisoformat(r.date_of_birth) if r.date_of_birth else None,
            nhs_number=r.nhs_number or "",
        )
        if r.postcode:
            AddressFactory(person=person, postcode=r.postcode)
    return len(population.records)


def test_link_without_a_model_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["link", "--skip-checks"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "safeshare: error: No linkage model is in use: train one first (safeshare link --train)"
    )


def test_thresholds_need_train(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["link", "--auto-link", "0.9", "--skip-checks"]) == 1
    assert "add --train" in capsys.readouterr().err


def test_bad_thresholds_change_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    _held()
    assert (
        cli.main(["link", "--train", "--auto-link", "0.4", "--review", "0.6", "--skip-checks"]) == 1
    )
    assert "review threshold" in capsys.readouterr().err
    assert not LinkageModel.objects.exists()
    assert not IdentityLink.objects.exists()


def test_train_links_and_reports_with_progress(capsys: pytest.CaptureFixture[str]) -> None:
    records = _held()
    assert cli.main(["link", "--train", "--skip-checks"]) == 0
    captured = capsys.readouterr()
    assert "Trained linkage model v1" in captured.out
    assert f"{records:,} records" in captured.out
    assert "Reading records" in captured.err
    assert "Scored" in captured.err
    assert IdentityLink.objects.count() == records
    assert cli.main(["link", "--status", "--skip-checks"]) == 0
    status = capsys.readouterr().out
    assert "Model in use: v1" in status
    assert "records not yet linked: 0" in status
