"""The reason an administrator gives for changing a practitioner's access, kept beside the change.

``change_reason_record`` is called by the services that make the change (role removal,
deactivation, reactivation), inside their transaction and before they append their ledger entry,
which carries the reason code and names the row returned. It is not a service of its own: it
appends nothing, and a change refused later in the same transaction takes its reason with it
when the transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable

from safeshare.agencies.exceptions import PractitionerChangeInvalid
from safeshare.agencies.models import (
    CHANGE_REASONS,
    OTHER_REASON,
    AdministrativeChange,
    Practitioner,
    PractitionerChangeReason,
)

NOTE_MAX_LENGTH = 1000

_MISSING: dict[AdministrativeChange, str] = {
    AdministrativeChange.ROLE_REMOVED: "Select why you are removing this role",
    AdministrativeChange.DEACTIVATED: "Select why you are deactivating this practitioner",
    AdministrativeChange.REACTIVATED: "Select why you are reactivating this practitioner",
}


def change_reason_record(
    *,
    actor: Practitioner,
    practitioner: Practitioner,
    change: AdministrativeChange,
    reason: str,
    note: str = "",
    roles: Iterable[str] = (),
) -> PractitionerChangeReason:
    """Keep ``reason`` (one of the codes for ``change``) and ``note`` (required for "other", at
    most 1000 characters, sealed)."""
    if reason not in CHANGE_REASONS[change].values:
        raise PractitionerChangeInvalid(_MISSING[change], field="reason")
    text = (note or "").strip()
    if reason == OTHER_REASON and not text:
        raise PractitionerChangeInvalid("Say what the other reason is", field="note")
    if len(text) > NOTE_MAX_LENGTH:
        raise PractitionerChangeInvalid(
            f"The note must be {NOTE_MAX_LENGTH} characters or fewer", field="note"
        )
    return PractitionerChangeReason.objects.create(
        practitioner=practitioner,
        changed_by=actor,
        change=change,
        reason=reason,
        note=text,
        roles=sorted(str(role) for role in roles),
    )
