"""MASH triage: dashboard, contacts, enquiries, rating, outcome, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import mash

urlpatterns: list[URLPattern] = [
    path("mash/", mash.mash_dashboard_view, name="mash-dashboard"),
    path("mash/contacts/", mash.mash_contacts_view, name="mash-contacts"),
    path("mash/contacts/new/", mash.mash_contact_new_view, name="mash-contact-new"),
    path("mash/contacts/<uuid:contact_id>/", mash.mash_contact_view, name="mash-contact"),
    path(
        "mash/contacts/<uuid:contact_id>/enquiries/",
        mash.mash_enquiries_view,
        name="mash-enquiries",
    ),
    path("mash/contacts/<uuid:contact_id>/rating/", mash.mash_rating_view, name="mash-rating"),
    path("mash/contacts/<uuid:contact_id>/outcome/", mash.mash_outcome_view, name="mash-outcome"),
    path("mash/contacts/<uuid:contact_id>/close/", mash.mash_close_view, name="mash-close"),
]
