from django.contrib import admin

from safeshare.core.admin import ReadOnlyModelAdmin
from safeshare.oversight.models import AccessReview


@admin.register(AccessReview)
class AccessReviewAdmin(ReadOnlyModelAdmin):
    """Read-only, and without the note (it is read through the review pages)."""

    list_display = ("reviewed_at", "agency", "outcome")
    list_filter = ("outcome",)
    fields = ("entry", "agency", "reviewer", "reasons", "outcome", "reviewed_at")
