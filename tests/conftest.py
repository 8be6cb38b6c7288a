"""Shared fixtures: one small world with two agencies, used by allowed and denied actors alike."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role
from safeshare.cases.models import Case, InformationItem
from tests.factories import (
    AgencyFactory,
    AllocationFactory,
    CaseFactory,
    ItemFactory,
    PractitionerFactory,
)


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    worker: Practitioner  # allocated to ``case``
    colleague: Practitioner  # same agency, not allocated
    dsl: Practitioner  # same agency, sees every case of the agency
    outsider: Practitioner  # another agency's DSL
    agency_admin: Practitioner
    system_admin: Practitioner
    case: Case
    item: InformationItem
    other_case: Case  # held by the other agency


@pytest.fixture
def world(db: None) -> World:
    agency = AgencyFactory(name="Testshire Children's Services")
    other = AgencyFactory(name="Testshire Constabulary", agency_type=AgencyType.POLICE)
    case = CaseFactory(agency=agency)
    allocation = AllocationFactory(case=case)
    item = ItemFactory(case=case, recorded_by=allocation.practitioner)
    return World(
        agency=agency,
        other_agency=other,
        worker=allocation.practitioner,
        colleague=PractitionerFactory(agency=agency),
        dsl=PractitionerFactory(agency=agency, roles=[Role.DSL]),
        outsider=PractitionerFactory(agency=other, roles=[Role.DSL]),
        agency_admin=PractitionerFactory(agency=agency, roles=[Role.AGENCY_ADMIN]),
        system_admin=PractitionerFactory(agency=agency, roles=[Role.SYSTEM_ADMIN]),
        case=case,
        item=item,
        other_case=CaseFactory(agency=other),
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI the PostgreSQL run must really run on PostgreSQL, never fall back or skip."""
    import os

    from django.conf import settings

    if os.environ.get("SAFESHARE_REQUIRE_POSTGRES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"SAFESHARE_REQUIRE_POSTGRES=1 but the database is {engine}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres_only`` exercise PostgreSQL's own code (SafeShare's backend): they
    run in the PostgreSQL pass (CI's second run) and are deselected, not skipped, on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
