"""The synthetic population: deterministic, truthful, fictional, with errors at the set rates."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest

from safeshare.linkage.synthetic import (
    AGENCY_PROFILES,
    DEFAULT_AGENCIES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    NICKNAMES,
    ROW_COLUMNS,
    AgencyProfile,
    ErrorKind,
    ErrorRates,
    Person,
    Population,
    Record,
    error_counts,
    error_kinds,
    generate_population,
)
from safeshare.people.nhs import is_valid_nhs_number


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(children=5_000, seed=42)


@pytest.fixture(scope="module")
def sample(population: Population) -> list[Record]:
    assert len(population.records) >= 20_000
    return population.records[:20_000]


@pytest.fixture(scope="module")
def people(population: Population) -> dict[int, Person]:
    return {p.identity_id: p for p in population.people}


def _near(hits: int, trials: int, rate: float) -> bool:
    """Within five standard deviations of the binomial mean (never fails by chance in practice)."""
    assert trials > 200, "too few eligible records to judge a rate"
    spread = 5 * math.sqrt(trials * rate * (1 - rate)) + 1
    return abs(hits - trials * rate) <= spread


def test_the_same_seed_gives_the_same_population() -> None:
    first = generate_population(children=300, seed=7)
    second = generate_population(children=300, seed=7)
    assert first.records == second.records
    assert first.people == second.people


def test_a_different_seed_gives_a_different_population() -> None:
    first = generate_population(children=300, seed=7)
    other = generate_population(children=300, seed=8)
    assert first.records != other.records


def test_the_population_has_exactly_the_children_asked_for(population: Population) -> None:
    assert sum(1 for p in population.people if p.role == "child") == 5_000


def test_every_record_belongs_to_an_identity_that_exists(
    population: Population, people: dict[int, Person]
) -> None:
    assert all(r.identity_id in people for r in population.records)
    assert len(people) == len(population.people)  # identity ids are unique


def test_record_ids_are_unique_and_numbered_from_one(population: Population) -> None:
    ids = [r.record_id for r in population.records]
    assert sorted(ids) == list(range(1, len(ids) + 1))


def test_every_person_is_held_by_at_least_two_agencies(population: Population) -> None:
    agencies: dict[int, set[str]] = defaultdict(set)
    for r in population.records:
        agencies[r.identity_id].add(r.agency)
    assert len(agencies) == len(population.people)
    assert min(len(a) for a in agencies.values()) >= 2
    assert {r.agency for r in population.records} == set(DEFAULT_AGENCIES)


def test_nhs_numbers_are_valid_in_the_999_range_and_unique_per_person(
    population: Population, people: dict[int, Person]
) -> None:
    numbers = [p.nhs_number for p in population.people]
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in numbers)
    for r in population.records:
        assert r.nhs_number is None or r.nhs_number == people[r.identity_id].nhs_number


def test_siblings_share_family_name_and_address_history(population: Population) -> None:
    families: dict[int, list[Person]] = defaultdict(list)
    for p in population.people:
        families[p.family_id].append(p)
    with_siblings = 0
    for members in families.values():
        children = [m for m in members if m.role == "child"]
        parents = [m for m in members if m.role == "parent"]
        assert 1 <= len(parents) <= 2
        assert len({c.family_name for c in children}) == 1
        assert len({m.addresses for m in members}) == 1
        with_siblings += len(children) > 1
    assert with_siblings > len(families) // 4


def test_addresses_are_in_the_fake_zz_area_and_moves_are_dated_in_order(
    population: Population,
) -> None:
    moved = 0
    for p in population.people:
        assert all(a.postcode.startswith("ZZ") for a in p.addresses)
        dates = [a.moved_in for a in p.addresses]
        assert dates == sorted(dates)
        assert dates[-1] <= population.as_of
        moved += len(p.addresses) > 1
    assert moved > len(population.people) // 5


def test_every_true_name_comes_from_the_generators_own_lists(population: Population) -> None:
    for p in population.people:
        assert p.given_name in GIVEN_NAMES
        assert p.other_names is None or p.other_names in GIVEN_NAMES
        assert p.family_name in FAMILY_NAMES
        assert p.previous_family_name is None or p.previous_family_name in FAMILY_NAMES


def test_records_without_name_errors_carry_only_generated_names(sample: list[Record]) -> None:
    name_errors = {"typo_insertion", "typo_deletion", "typo_substitution", "typo_transposition"}
    for r in sample:
        if not error_kinds(r) & (name_errors | {"name_swap"}):
            assert r.given_name in GIVEN_NAMES
            assert r.family_name in FAMILY_NAMES


def test_family_names_are_skewed_some_common_most_rare(population: Population) -> None:
    counts: dict[str, int] = defaultdict(int)
    for p in population.people:
        counts[p.family_name] += 1
    ranked = sorted(counts.values(), reverse=True)
    assert ranked[0] >= 20 * ranked[len(ranked) // 2]  # the commonest far above the median
    assert sum(1 for c in ranked if c <= 3) > len(ranked) // 2  # most names are rare


def test_each_error_kind_appears_and_is_recorded(sample: list[Record]) -> None:
    seen = error_counts(sample)
    assert {k.value for k in ErrorKind} <= set(seen)


def test_recorded_errors_match_what_differs_from_the_truth(
    sample: list[Record], people: dict[int, Person]
) -> None:
    for r in sample:
        truth = people[r.identity_id]
        kinds = error_kinds(r)
        swapped = "name_swap" in kinds
        given = r.family_name if swapped else r.given_name
        if "nickname" not in kinds and not any(e.endswith(":given_name") for e in r.errors):
            assert given == truth.given_name
        if "nickname" in kinds and not any(e.endswith(":given_name") for e in r.errors):
            assert given in NICKNAMES[truth.given_name]
        dob_changed = kinds & {"day_month_swap", "dob_digit", "missing_field"}
        if not dob_changed:
            assert r.date_of_birth == truth.date_of_birth.isoformat()
        if "day_month_swap" in kinds and "dob_digit" not in kinds and r.date_of_birth:
            born = date.fromisoformat(r.date_of_birth)
            assert (born.day, born.month) == (truth.date_of_birth.month, truth.date_of_birth.day)
        if "previous_postcode" in kinds and r.postcode is not None:
            assert r.postcode == truth.addresses[-2].postcode
        if not kinds & {"previous_postcode", "missing_field"}:
            assert r.postcode == truth.addresses[-1].postcode
        assert (r.nhs_number is None) == ("missing_nhs" in kinds)
        for e in r.errors:
            if e.startswith("typo_") and e.endswith(":family_name") and not swapped:
                assert r.family_name not in {truth.family_name, truth.previous_family_name}


def test_error_rates_are_near_the_configured_rates(
    sample: list[Record], people: dict[int, Person]
) -> None:
    rates = ErrorRates()
    n = len(sample)
    counts = error_counts(sample)
    given_typos = sum(
        1
        for r in sample
        if any(e.startswith("typo_") and e.endswith(":given_name") for e in r.errors)
    )
    assert _near(given_typos, n, rates.typo)
    assert _near(counts["name_swap"], n, rates.name_swap)
    assert _near(counts["missing_field"], n, rates.missing_field)
    nickname_eligible = [r for r in sample if people[r.identity_id].given_name in NICKNAMES]
    assert _near(
        error_counts(nickname_eligible)["nickname"], len(nickname_eligible), rates.nickname
    )
    swappable = [
        r
        for r in sample
        if (b := people[r.identity_id].date_of_birth).day <= 12 and b.day != b.month
    ]
    assert _near(error_counts(swappable)["day_month_swap"], len(swappable), rates.day_month_swap)
    moved = [r for r in sample if len(people[r.identity_id].addresses) > 1]
    assert _near(error_counts(moved)["previous_postcode"], len(moved), rates.previous_postcode)
    renamed = [r for r in sample if people[r.identity_id].previous_family_name]
    assert _near(
        error_counts(renamed)["previous_family_name"], len(renamed), rates.previous_family_name
    )
    # A digit typo is dropped in the rare case no retry gives a real date: allow a little under.
    assert _near(counts["dob_digit"], n, rates.dob_digit * 0.97)


def test_nhs_numbers_go_missing_mostly_outside_health(sample: list[Record]) -> None:
    by_agency: dict[str, list[Record]] = defaultdict(list)
    for r in sample:
        by_agency[r.agency].append(r)
    health = by_agency["health"]
    police = by_agency["police"]
    health_rate = AGENCY_PROFILES["health"].missing_nhs
    police_rate = AGENCY_PROFILES["police"].missing_nhs
    assert health_rate < police_rate
    assert _near(error_counts(health)["missing_nhs"], len(health), health_rate)
    assert _near(error_counts(police)["missing_nhs"], len(police), police_rate)


def test_agencies_record_a_known_previous_family_name_at_their_own_rates(
    population: Population, people: dict[int, Person]
) -> None:
    """Children's services record a previous name more often than schools; a record holds only
    the person's own previous name, and never when it already stands as the family name."""
    by_agency: dict[str, list[Record]] = defaultdict(list)
    for r in population.records:
        previous = people[r.identity_id].previous_family_name
        if previous is None:
            assert r.previous_family_name is None
            continue
        if "previous_family_name" in error_kinds(r):
            assert r.previous_family_name is None
            continue
        assert r.previous_family_name in (None, previous)
        by_agency[r.agency].append(r)
    for agency in ("health", "childrens_services", "housing"):
        held = by_agency[agency]
        rate = AGENCY_PROFILES[agency].previous_name_recorded
        hits = sum(1 for r in held if r.previous_family_name is not None)
        assert _near(hits, len(held), rate), agency
    assert (
        AGENCY_PROFILES["childrens_services"].previous_name_recorded
        > AGENCY_PROFILES["school"].previous_name_recorded
    )


def test_recording_previous_names_leaves_the_rest_of_the_population_as_it_was() -> None:
    """Whether a previous name is recorded comes from its own random stream: an agency that
    never records one sees exactly the same records otherwise."""
    never = [replace(p, previous_name_recorded=0.0) for p in AGENCY_PROFILES.values()]
    always = [replace(p, previous_name_recorded=1.0) for p in AGENCY_PROFILES.values()]
    without = generate_population(children=300, seed=9, agencies=never)
    with_names = generate_population(children=300, seed=9, agencies=always)
    assert all(r.previous_family_name is None for r in without.records)
    assert any(r.previous_family_name is not None for r in with_names.records)
    assert [r[:-1] for r in without.records] == [r[:-1] for r in with_names.records]


def test_configured_rates_and_agencies_are_used() -> None:
    none = ErrorRates(
        typo=0,
        nickname=0,
        name_swap=0,
        day_month_swap=0,
        dob_digit=0,
        previous_postcode=0,
        previous_family_name=0,
        missing_field=0,
    )
    agencies = [AgencyProfile("gp", missing_nhs=0), AgencyProfile("nursery", missing_nhs=0)]
    clean = generate_population(children=200, seed=3, agencies=agencies, rates=none)
    assert {r.agency for r in clean.records} == {"gp", "nursery"}
    assert all(r.errors == () for r in clean.records)


def test_an_unknown_agency_name_is_held_with_the_generic_profile() -> None:
    mixed = generate_population(children=200, seed=3, agencies=("health", "youth_club"))
    assert {r.agency for r in mixed.records} == {"health", "youth_club"}


def test_truth_pairs_cover_every_pair_of_records_of_one_identity(population: Population) -> None:
    pairs = list(population.truth_pairs())
    assert len(pairs) == population.true_pair_count() == len(set(pairs))
    identity = {r.record_id: r.identity_id for r in population.records}
    assert all(a < b and identity[a] == identity[b] for a, b in pairs)


def test_to_rows_gives_one_column_per_field(population: Population) -> None:
    rows = population.to_rows()
    assert tuple(rows) == ROW_COLUMNS
    assert all(len(column) == len(population.records) for column in rows.values())
    first = population.records[0]
    assert rows["record_id"][0] == first.record_id
    assert rows["errors"][0] == ";".join(first.errors)


def test_asking_for_no_children_is_refused() -> None:
    with pytest.raises(ValueError, match="children"):
        generate_population(children=0, seed=1)
