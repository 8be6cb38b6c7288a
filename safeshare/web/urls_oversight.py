"""Oversight of the ledger: who has seen a record, notifications, the access review queue and
subject access request exports, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import oversight

urlpatterns: list[URLPattern] = [
    path(
        "cases/<uuid:case_id>/record-access/",
        oversight.case_record_access_view,
        name="case-record-access",
    ),
    path(
        "people/<uuid:person_id>/record-access/",
        oversight.person_record_access_view,
        name="person-record-access",
    ),
    path("notifications/", oversight.notifications_view, name="notifications"),
    path("notifications/seen/", oversight.notifications_seen_view, name="notifications-seen"),
    path("access-review/", oversight.access_review_view, name="access-review"),
    path(
        "access-review/<uuid:entry_id>/",
        oversight.access_review_entry_view,
        name="access-review-entry",
    ),
    path(
        "people/<uuid:person_id>/subject-access/",
        oversight.subject_access_view,
        name="subject-access",
    ),
    path(
        "people/<uuid:person_id>/subject-access/download/<slug:export_format>/",
        oversight.subject_access_download_view,
        name="subject-access-download",
    ),
]
