"""Give every decision still awaiting approval a deadline.

Decisions to share without consent recorded before the deadline rule (3 working days, 1 for an
urgent share approved after it went; docs/how-to/approvals.md) were kept with no due time, so
they showed "No deadline" and no timer ever chased them. Each gets the deadline it would have
had, counted in working days from when it was decided. Only the deadline is set: what was
decided, and why, is untouched.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from safeshare.core.workdays import add_working_days

APPROVAL_WORKING_DAYS = 3
URGENT_APPROVAL_WORKING_DAYS = 1


def set_deadlines(apps: Any, schema_editor: Any) -> None:
    decision_model = apps.get_model("decisions", "SharingDecision")
    pending = decision_model.objects.filter(
        approval_required=True, approval__isnull=True, approval_due_at__isnull=True
    ).values_list("pk", "decided_at", "is_urgent")
    for pk, decided_at, urgent in list(pending):
        days = URGENT_APPROVAL_WORKING_DAYS if urgent else APPROVAL_WORKING_DAYS
        decision_model.objects.filter(pk=pk).update(
            approval_due_at=add_working_days(decided_at, days)
        )


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_v2024_2_enforcement")]

    operations = [migrations.RunPython(set_deadlines, migrations.RunPython.noop)]
