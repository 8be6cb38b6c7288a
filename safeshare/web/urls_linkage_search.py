"""Identity search and the pointer index, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import identity_search

urlpatterns: list[URLPattern] = [
    path("identities/search/", identity_search.identity_search_view, name="identity-search"),
    path(
        "people/<uuid:person_id>/pointers/",
        identity_search.pointer_index_view,
        name="person-pointers",
    ),
    path(
        "people/<uuid:person_id>/pointers/<uuid:agency_id>/ask/",
        identity_search.pointer_request_view,
        name="person-pointer-ask",
    ),
    path(
        "people/<uuid:person_id>/pointers/<uuid:agency_id>/dispute/",
        identity_search.pointer_dispute_view,
        name="person-pointer-dispute",
    ),
]
