from django.contrib import admin

from safeshare.core.admin import ReadOnlyModelAdmin
from safeshare.mash.models import MashContact, MashEnquiry


@admin.register(MashContact)
class MashContactAdmin(ReadOnlyModelAdmin):
    """Read-only, and without anything identifying the child or the referrer, or what anyone
    wrote (those are read through the MASH pages, which record the read)."""

    list_display = ("received_at", "hub_agency", "status", "rag_rating", "outcome")
    list_filter = ("status", "rag_rating", "outcome", "category")
    fields = (
        "hub_agency",
        "received_at",
        "source",
        "referrer_agency",
        "parental_awareness",
        "category",
        "status",
        "rating_due_at",
        "decision_due_at",
        "rag_rating",
        "rated_at",
        "outcome",
        "decided_at",
        "closed_at",
    )


@admin.register(MashEnquiry)
class MashEnquiryAdmin(ReadOnlyModelAdmin):
    list_display = ("sent_at", "partner_agency")
    fields = ("contact", "request", "partner_agency", "sent_by", "sent_at")
