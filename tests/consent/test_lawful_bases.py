"""The lawful basis catalogue: complete, well-formed, and refusing codes it does not know."""

from __future__ import annotations

import re

import pytest

from safeshare.consent.lawful_bases import (
    CATALOGUE,
    KINDS,
    UnknownLawfulBasis,
    choices,
    codes,
    lawful_basis,
)


def test_catalogue_has_every_article_6_basis_and_article_9_condition() -> None:
    assert codes("article_6") == tuple(f"art6_1_{x}" for x in "abcdef")
    assert codes("article_9") == tuple(f"art9_2_{x}" for x in "abcdefghij")


def test_catalogue_has_the_schedule_1_conditions_safeguarding_relies_on() -> None:
    schedule_1 = set(codes("schedule_1"))
    assert {"dpa_sch1_2", "dpa_sch1_6", "dpa_sch1_10", "dpa_sch1_18"} <= schedule_1
    assert lawful_basis("dpa_sch1_18").title == (
        "Safeguarding of children and of individuals at risk"
    )
    assert "Part 2 paragraph 18" in lawful_basis("dpa_sch1_18").citation
    assert "Part 1 paragraph 2" in lawful_basis("dpa_sch1_2").citation


def test_codes_are_unique_and_well_formed() -> None:
    all_codes = [entry.code for entry in CATALOGUE]
    assert len(all_codes) == len(set(all_codes))
    pattern = re.compile(r"^(art6_1_[a-f]|art9_2_[a-j]|dpa_sch1_\d+|art10_dpa_sch1_\d+)$")
    for entry in CATALOGUE:
        assert pattern.match(entry.code), entry.code
        assert entry.kind in KINDS
        assert entry.title
        assert entry.citation
        assert entry.explanation
        assert entry.requires
        assert all(item.strip() for item in entry.requires)


def test_article_10_entries_rest_on_a_schedule_1_condition_in_the_catalogue() -> None:
    assert codes("article_10")
    for code in codes("article_10"):
        entry = lawful_basis(code)
        assert entry.schedule_1 is not None
        assert lawful_basis(entry.schedule_1).kind == "schedule_1"
        assert code == f"art10_{entry.schedule_1}"


def test_only_some_article_9_conditions_need_a_schedule_1_condition() -> None:
    needing = {code for code in codes("article_9") if lawful_basis(code).schedule_1_required}
    assert needing == {"art9_2_b", "art9_2_g", "art9_2_h", "art9_2_i", "art9_2_j"}


def test_lookup_by_code() -> None:
    entry = lawful_basis("art6_1_e")
    assert entry.kind == "article_6"
    assert entry.title == "Public task"
    assert entry.citation == "UK GDPR Article 6(1)(e)"


@pytest.mark.parametrize("code", ["", "art6_1_g", "ART6_1_E", "dpa_sch1_999", "public_task"])
def test_unknown_code_is_refused(code: str) -> None:
    with pytest.raises(UnknownLawfulBasis, match="not a lawful basis"):
        lawful_basis(code)
    assert issubclass(UnknownLawfulBasis, ValueError)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="not a kind"):
        codes("article_99")


def test_choices_pair_codes_with_labels() -> None:
    pairs = dict(choices("article_6"))
    assert pairs["art6_1_c"] == "UK GDPR Article 6(1)(c): Legal obligation"
