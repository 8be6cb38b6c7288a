"""Person pages: a person's record and the search for people."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_person, record_case_list_read, record_person_list_read
from safeshare.access.scopes import cases_visible_to, people_visible_to
from safeshare.cases.selectors import cases_of_person
from safeshare.core.exceptions import NotFound
from safeshare.people.selectors import person_search
from safeshare.web.forms.people import PersonSearchForm
from safeshare.web.views.base import actor_of, not_found, requires

PEOPLE_PER_PAGE = 25


@requires(Capability.PERSON_VIEW)
def person_detail_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    try:
        person = access_person(actor, person_id)
    except NotFound:
        not_found()
    # Only the cases this practitioner may see; each shows a child's name, so the read is recorded.
    cases = list(cases_of_person(cases=cases_visible_to(actor), person=person))
    record_case_list_read(actor=actor, cases=cases)
    return render(request, "people/detail.html", {"person": person, "cases": cases})


@requires(Capability.PERSON_VIEW)
def person_search_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = PersonSearchForm(request.GET)
    query = form.query()
    people = person_search(people=people_visible_to(actor), query=query)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    record_person_list_read(actor=actor, people=list(page.object_list))
    return render(request, "people/search.html", {"form": form, "page_obj": page, "query": query})
