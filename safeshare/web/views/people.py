"""Person pages: a person's record, the search for people, and the casework done on a person:
addresses (protected ones withheld from anyone who may not see them), contact details, and the
cases they are involved in.

Thin views: parse, ``safeshare.access``, one service, render. Missing and forbidden records answer
with the same 404 page.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.casework import (
    access_contact,
    access_person_address,
    shown_addresses,
    shown_contacts,
)
from safeshare.access.fetch import (
    access_case,
    access_person,
    record_case_list_read,
    record_person_list_read,
)
from safeshare.access.policy import can
from safeshare.access.scopes import cases_to_involve, cases_visible_to, people_visible_to
from safeshare.cases.selectors import cases_of_person, involvements_of_person
from safeshare.cases.services import involvement_add
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.people.models import Person
from safeshare.people.selectors import person_search
from safeshare.people.services import address_add, address_end, contact_add, contact_end
from safeshare.web.forms.casework import (
    AddressEndForm,
    AddressForm,
    ConfirmForm,
    ContactForm,
    InvolvementForm,
)
from safeshare.web.forms.people import PersonSearchForm
from safeshare.web.views.base import (
    actor_of,
    not_found,
    or_404,
    posted,
    render_domain_error,
    requires,
)

PEOPLE_PER_PAGE = 25


def person_url(person: Person | uuid.UUID) -> str:
    pk = person.pk if isinstance(person, Person) else person
    return reverse("web:person-detail", kwargs={"person_id": pk})


@requires(Capability.PERSON_VIEW)
def person_detail_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    try:
        person = access_person(actor, person_id)
    except NotFound:
        not_found()
    # Only the cases this practitioner may see; each shows a child's name, so the read is recorded.
    visible_cases = cases_visible_to(actor)
    cases = list(cases_of_person(cases=visible_cases, person=person))
    record_case_list_read(actor=actor, cases=cases)
    may_edit = can(actor, Capability.PERSON_EDIT, person)
    involvements = [
        (involvement, can(actor, Capability.CASE_EDIT, involvement.case))
        for involvement in involvements_of_person(cases=visible_cases, person=person)
    ]
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "cases": cases,
            # A protected address or contact detail withheld from the actor is not mentioned.
            "addresses": shown_addresses(actor, person),
            "contacts": shown_contacts(actor, person),
            "involvements": involvements,
            "may_edit": may_edit,
            "may_involve": cases_to_involve(actor, person).exists(),
        },
    )


@requires(Capability.PERSON_VIEW)
def person_search_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = PersonSearchForm(request.GET)
    query = form.query()
    people = person_search(people=people_visible_to(actor), query=query)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    record_person_list_read(actor=actor, people=list(page.object_list))
    return render(request, "people/search.html", {"form": form, "page_obj": page, "query": query})


# --- Addresses ------------------------------------------------------------------------------------


@requires(Capability.PERSON_EDIT)
def person_address_add_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    person = or_404(access_person, actor, person_id, need=Capability.PERSON_EDIT)
    form = AddressForm(posted(request))
    if form.is_valid():
        try:
            address_add(actor=actor, person=person, **form.service_arguments())
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Address added for {person.display_name}")
            return redirect(person_url(person))
    return render(request, "people/address_add.html", {"person": person, "form": form})


@requires(Capability.PERSON_EDIT)
def address_end_view(request: HttpRequest, address_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    address = or_404(access_person_address, actor, address_id, need=Capability.PERSON_EDIT)
    form = AddressEndForm(posted(request))
    if form.is_valid():
        try:
            address_end(actor=actor, address=address, lived_to=form.cleaned_data["lived_to"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Address recorded as a previous address")
            return redirect(person_url(address.person_id))
    return render(
        request,
        "people/address_end.html",
        {"person": address.person, "address": address, "form": form},
    )


# --- Contact details ---------------------------------------------------------------------------


@requires(Capability.PERSON_EDIT)
def person_contact_add_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    person = or_404(access_person, actor, person_id, need=Capability.PERSON_EDIT)
    form = ContactForm(posted(request))
    if form.is_valid():
        try:
            contact_add(actor=actor, person=person, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Contact details added for {person.display_name}")
            return redirect(person_url(person))
    return render(request, "people/contact_add.html", {"person": person, "form": form})


@requires(Capability.PERSON_EDIT)
def contact_end_view(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    contact = or_404(access_contact, actor, contact_id, need=Capability.PERSON_EDIT)
    form = ConfirmForm(posted(request))
    if form.is_valid():
        try:
            contact_end(actor=actor, contact=contact)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Contact details recorded as no longer used")
            return redirect(person_url(contact.person_id))
    return render(
        request,
        "people/contact_end.html",
        {"person": contact.person, "contact": contact, "form": form},
    )


# --- Involvement in a case ----------------------------------------------------------------------


@requires(Capability.CASE_EDIT)
def person_involvement_add_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Add a person the agency holds to one of the open cases the actor may edit."""
    actor = actor_of(request)
    person = or_404(access_person, actor, person_id, need=Capability.PERSON_VIEW)
    choices = [
        (str(case.pk), f"{case.reference}: {case.subject.display_name}")
        for case in cases_to_involve(actor, person)
    ]
    form = InvolvementForm(posted(request), cases=choices)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = access_case(actor, data["case"], need=Capability.CASE_EDIT)
            involvement_add(
                actor=actor,
                case=case,
                person=person,
                relationship=data["relationship"],
                has_parental_responsibility=data["has_parental_responsibility"],
            )
        except NotFound:
            render_domain_error(form, NotFound("Select the case", field="case"))
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"{person.display_name} added to case {case.reference}")
            return redirect(person_url(person))
    return render(request, "people/involvement_add.html", {"person": person, "form": form})
