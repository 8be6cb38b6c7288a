"""Reads for oversight of the ledger: who has seen a record, notifications of outside access,
and the review queue of unusual access. Callers pass querysets narrowed by ``access.scopes``.

Everything is derived from the ledger when asked for, within a bounded time window, through the
ledger's indexes (subject and time for a record's history and for notifications; event and time
for the review scan), with a fixed number of queries per page whatever its length.
"""

from safeshare.oversight.selectors.common import LIST_READS, OVERSIGHT_READS, RECORD_READS
from safeshare.oversight.selectors.history import (
    RECORD_ACCESS_FILTERS,
    SYSTEM_ACTOR,
    AccessGroupRow,
    EntryRow,
    RecordAccessChoices,
    RecordAccessFilters,
    entry_rows,
    group_rows,
    record_access_choices,
    record_access_entries,
    record_access_groups,
)
from safeshare.oversight.selectors.notifications import (
    NotificationRow,
    notification_marker,
    notification_rows,
    notification_window_start,
    notifications_unread_count,
    outside_reads,
)
from safeshare.oversight.selectors.review import (
    DayCount,
    FlaggedRow,
    ReviewOverview,
    ReviewRow,
    access_review_overview,
    flagged_per_day,
    flagged_read_of,
    flagged_rows,
    review_history,
    review_of,
    review_queue,
    review_rows,
    reviewed_entry_ids,
)
from safeshare.oversight.selectors.scan import (
    UtcHour,
    flagged_reads,
    read_flag_reasons,
    review_window_start,
)

__all__ = [
    "LIST_READS",
    "OVERSIGHT_READS",
    "RECORD_ACCESS_FILTERS",
    "RECORD_READS",
    "SYSTEM_ACTOR",
    "AccessGroupRow",
    "DayCount",
    "EntryRow",
    "FlaggedRow",
    "NotificationRow",
    "RecordAccessChoices",
    "RecordAccessFilters",
    "ReviewOverview",
    "ReviewRow",
    "UtcHour",
    "access_review_overview",
    "entry_rows",
    "flagged_per_day",
    "flagged_read_of",
    "flagged_reads",
    "flagged_rows",
    "group_rows",
    "notification_marker",
    "notification_rows",
    "notification_window_start",
    "notifications_unread_count",
    "outside_reads",
    "read_flag_reasons",
    "record_access_choices",
    "record_access_entries",
    "record_access_groups",
    "review_history",
    "review_of",
    "review_queue",
    "review_rows",
    "review_window_start",
    "reviewed_entry_ids",
]
