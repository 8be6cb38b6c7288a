"""Casework routes (cases, information items, people), in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import cases, items, people

urlpatterns: list[URLPattern] = [
    path("cases/", cases.case_list_view, name="case-list"),
    path("cases/new/", cases.case_create_view, name="case-create"),
    path("cases/<uuid:case_id>/", cases.case_detail_view, name="case-detail"),
    path("cases/<uuid:case_id>/status/", cases.case_status_view, name="case-status"),
    path("cases/<uuid:case_id>/items/new/", items.item_create_view, name="item-create"),
    path("items/<uuid:item_id>/edit/", items.item_edit_view, name="item-edit"),
    path("items/<uuid:item_id>/history/", items.item_history_view, name="item-history"),
    path("people/", people.person_search_view, name="person-search"),
    path("people/<uuid:person_id>/", people.person_detail_view, name="person-detail"),
    path(
        "people/<uuid:person_id>/addresses/new/",
        people.person_address_add_view,
        name="person-address-add",
    ),
    path("addresses/<uuid:address_id>/end/", people.address_end_view, name="address-end"),
    path(
        "people/<uuid:person_id>/contacts/new/",
        people.person_contact_add_view,
        name="person-contact-add",
    ),
    path("contacts/<uuid:contact_id>/end/", people.contact_end_view, name="contact-end"),
    path(
        "people/<uuid:person_id>/involvements/new/",
        people.person_involvement_add_view,
        name="person-involvement-add",
    ),
    path("cases/<uuid:case_id>/people/new/", cases.case_person_add_view, name="case-person-add"),
    path(
        "involvements/<uuid:involvement_id>/end/",
        cases.involvement_end_view,
        name="involvement-end",
    ),
    path("cases/<uuid:case_id>/allocations/new/", cases.case_allocate_view, name="case-allocate"),
    path(
        "allocations/<uuid:allocation_id>/reallocate/",
        cases.allocation_reallocate_view,
        name="allocation-reallocate",
    ),
    path("allocations/<uuid:allocation_id>/end/", cases.allocation_end_view, name="allocation-end"),
]
