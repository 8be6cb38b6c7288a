"""The header's GOV.UK service navigation, by role: practitioners do not get Agencies and
Agreements in the header (those who manage them do: agency administrators, information
governance, system administrators), and every page someone may use that their header leaves
out is listed under "More in SafeShare" at the foot of every page, the home page included."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safeshare.agencies.models import Practitioner, Role
from tests.conftest import World
from tests.factories import PractitionerFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

_HEADER = re.compile(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', re.S)
_FOOTER = re.compile(r'<div class="govuk-footer__navigation">(.*?)</ul>', re.S)
_LINK = re.compile(r'<a class="govuk-(?:service-navigation|footer)__link" href="([^"]+)"')


def _header_and_footer(sign_in: SignIn, who: Practitioner) -> tuple[set[str], set[str]]:
    html = sign_in(who).get(reverse("web:dashboard")).content.decode()
    header = _HEADER.search(html)
    assert header is not None, "no service navigation"
    footer = _FOOTER.search(html)
    return set(_LINK.findall(header.group(1))), set(
        _LINK.findall(footer.group(1)) if footer else ()
    )


AGENCIES, AGREEMENTS = "/agencies/", "/agreements/"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.DSL, Role.MASH_OFFICER])
def test_caseworkers_find_agencies_and_agreements_at_the_foot_of_the_home_page(
    world: World, sign_in: SignIn, role: Role
) -> None:
    who = PractitionerFactory(agency=world.agency, roles=[role])
    header, footer = _header_and_footer(sign_in, who)
    assert AGENCIES not in header
    assert AGREEMENTS not in header
    assert {AGENCIES, AGREEMENTS} <= footer
    assert {"/", "/work/", "/cases/"} <= header
    # The footer's pages open for them.
    for path in (AGENCIES, AGREEMENTS):
        assert sign_in(who).get(path).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.AGENCY_ADMIN, Role.INFORMATION_GOVERNANCE, Role.SYSTEM_ADMIN]
)
def test_those_who_manage_agencies_or_agreements_have_them_in_the_header(
    world: World, sign_in: SignIn, role: Role
) -> None:
    who = PractitionerFactory(agency=world.agency, roles=[role])
    header, footer = _header_and_footer(sign_in, who)
    assert {AGENCIES, AGREEMENTS} <= header
    assert AGENCIES not in footer
    assert AGREEMENTS not in footer


def test_nobody_is_offered_a_page_they_may_not_use(world: World, sign_in: SignIn) -> None:
    header, footer = _header_and_footer(sign_in, world.worker)
    assert "/practitioners/" not in header | footer
    assert reverse("web:approvals") not in header | footer
    dsl_header, _ = _header_and_footer(sign_in, world.dsl)
    assert reverse("web:approvals") in dsl_header


def test_the_current_page_is_marked_as_the_page_and_a_page_under_it_as_true(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.worker)
    cases = client.get(reverse("web:case-list")).content.decode()
    assert re.search(r'href="/cases/" aria-current="page"', cases)
    case = client.get(reverse("web:case-detail", kwargs={"case_id": world.case.pk})).content
    assert re.search(r'href="/cases/" aria-current="true"', case.decode())


def test_signed_out_pages_have_no_navigation_or_more_links(world: World, client: object) -> None:
    html = client.get(reverse("web:sign-in")).content.decode()  # type: ignore[attr-defined]
    assert "govuk-service-navigation" not in html
    assert "More in SafeShare" not in html
