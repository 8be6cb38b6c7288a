from django.contrib import admin

from safeshare.core.admin import ReadOnlyModelAdmin
from safeshare.ledger.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyModelAdmin):
    """Read-only: nobody, not even a system administrator, edits or deletes ledger entries."""

    list_display = ("id", "occurred_at", "event_code", "actor_id", "subject_case_id", "purpose")
    list_filter = ("event_code",)
    search_fields = ("entry_id", "object_id")
