"""Identity linkage: the clerical review queue and linkage status, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import linkage

urlpatterns: list[URLPattern] = [
    path("linkage/", linkage.linkage_status_view, name="linkage-status"),
    path(
        "linkage/models/<int:version>/activate/",
        linkage.linkage_model_activate_view,
        name="linkage-model-activate",
    ),
    path("linkage/review/", linkage.review_queue_view, name="linkage-review"),
    path("linkage/review/<uuid:pair_id>/", linkage.review_pair_view, name="linkage-review-pair"),
    path(
        "linkage/review/<uuid:pair_id>/reopen/",
        linkage.review_pair_reopen_view,
        name="linkage-review-reopen",
    ),
]
