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
]
