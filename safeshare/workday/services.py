"""Raising work notices, e-mailing them, and each practitioner's e-mail choices. Every write is
in the ledger, in the same transaction."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.core.exceptions import ValidationFailed
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append, ledger_append_many
from safeshare.workday.models import ALWAYS_EMAILED, EmailPreference, NoticeKind, WorkNotice
from safeshare.workday.timers import Due, everything_due

log = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


def _wants_email(notices: Iterable[WorkNotice]) -> list[WorkNotice]:
    """Notices whose recipient has an e-mail address and has not switched the kind off."""
    notices = list(notices)
    off = set(
        EmailPreference.objects.filter(
            practitioner_id__in={n.recipient_id for n in notices}, emailed=False
        ).values_list("practitioner_id", "kind")
    )
    addresses = dict(
        Practitioner.objects.filter(pk__in={n.recipient_id for n in notices})
        .exclude(email="")
        .values_list("pk", "email")
    )
    return [
        n
        for n in notices
        if n.recipient_id in addresses
        and (n.kind in ALWAYS_EMAILED or (n.recipient_id, n.kind) not in off)
    ]


# Keys looked up per query: well under SQLite's limit on bound parameters, so that a sweep after
# a large import (thousands of items due at once) still runs.
KEYS_PER_QUERY = 500


def _raised_before(keys: list[str]) -> set[tuple[object, str]]:
    found: set[tuple[object, str]] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        found.update(WorkNotice.objects.filter(key__in=chunk).values_list("recipient_id", "key"))
    return found


def notices_raise(
    *, due: Iterable[Due], now: dt.datetime, enqueue_email: Callable[[str], object] | None = None
) -> list[WorkNotice]:
    """Raise each ``Due`` not raised before (one per recipient and key), in the caller's
    transaction, with one ledger entry each; then, once the transaction commits, hand the ids of
    those to be e-mailed to ``enqueue_email``. Returns the new notices."""
    wanted = {(d.recipient_id, d.key): d for d in due if d.recipient_id is not None}
    if not wanted:
        return []
    with transaction.atomic():
        existing = _raised_before(sorted({key for _, key in wanted}))
        fresh = [
            WorkNotice(
                recipient_id=d.recipient_id,
                kind=d.kind,
                key=d.key,
                url=d.url,
                due_at=d.due_at,
                raised_at=now,
                created_at=now,
                updated_at=now,
            )
            for pair, d in wanted.items()
            if pair not in existing
        ]
        WorkNotice.objects.bulk_create(fresh, batch_size=500)
        ledger_append_many(
            event=Event.WORK_NOTICE_RAISED,
            actor=None,
            subjects=[(Subject(), notice) for notice in fresh],
        )
        if enqueue_email is not None:
            ids = [str(n.pk) for n in _wants_email(fresh)]
            transaction.on_commit(lambda: [enqueue_email(pk) for pk in ids])
    return fresh


def sweep(
    *, now: dt.datetime | None = None, enqueue_email: Callable[[str], object] | None = None
) -> int:
    """The timers' run: raise every notice now due. Returns how many were new."""
    moment = now or clock.now()
    return len(notices_raise(due=everything_due(moment), now=moment, enqueue_email=enqueue_email))


def _email_body(notice: WorkNotice) -> str:
    link = settings.SAFESHARE_BASE_URL.rstrip("/") + notice.url
    return (
        f"{notice.message}.\n\n"
        f"Sign in to SafeShare to see it:\n{link}\n\n"
        "This e-mail does not say who it is about, on purpose: e-mail leaves the secure "
        "service. Do not reply to it; it is not read.\n\n"
        "You can choose which notices you are e-mailed on your account page. Immediate-risk "
        "requests and escalated approvals are always e-mailed.\n"
    )


def notice_email(*, notice_id: str) -> bool:
    """E-mail one notice through Django's e-mail framework (SMTP in production). A failure to
    send raises, so that the task runner retries it; after ``MAX_EMAIL_ATTEMPTS`` the failure is
    recorded and the notice stays in SafeShare only. Returns whether it was sent now."""
    with transaction.atomic():
        notice = (
            WorkNotice.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.emailed_at is not None or not notice.recipient.email:
            return False
        notice.email_attempts += 1
        notice.touch()
        notice.save(update_fields=["email_attempts", "updated_at"])
    message = EmailMessage(
        subject=f"SafeShare: {notice.message}",
        body=_email_body(notice),
        to=[notice.recipient.email],
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        if notice.email_attempts < MAX_EMAIL_ATTEMPTS:
            raise
        with transaction.atomic():
            ledger_append(
                event=Event.WORK_NOTICE_EMAIL_FAILED,
                actor=None,
                obj=notice,
                details={"attempts": notice.email_attempts, "error": type(exc).__name__},
            )
        log.warning("work notice %s: e-mail failed %s times", notice.pk, notice.email_attempts)
        return False
    with transaction.atomic():
        notice.emailed_at = clock.now()
        notice.touch()
        notice.save(update_fields=["emailed_at", "updated_at"])
        ledger_append(
            event=Event.WORK_NOTICE_EMAILED,
            actor=None,
            obj=notice,
            details={"kind": notice.kind, "attempts": notice.email_attempts},
        )
    return True


def notices_mark_seen(*, actor: Practitioner) -> int:
    """Mark the actor's unseen notices seen (they opened the inbox)."""
    with transaction.atomic():
        count = WorkNotice.objects.filter(recipient=actor, seen_at__isnull=True).update(
            seen_at=clock.now(), updated_at=clock.now()
        )
        if count:
            ledger_append(event=Event.WORK_NOTICES_SEEN, actor=actor, details={"count": count})
        return count


def email_preferences_set(*, actor: Practitioner, emailed: Iterable[str]) -> list[str]:
    """The kinds the actor wants e-mailed (the rest in SafeShare only). Kinds that cannot be
    switched off are always e-mailed; naming an unknown kind is refused and changes nothing."""
    chosen = set(emailed)
    unknown = sorted(chosen - set(NoticeKind.values))
    if unknown:
        raise ValidationFailed(f"{unknown[0]} is not a kind of notice", field="emailed")
    chosen |= {str(kind) for kind in ALWAYS_EMAILED}
    with transaction.atomic():
        for kind in NoticeKind.values:
            EmailPreference.objects.update_or_create(
                practitioner=actor, kind=kind, defaults={"emailed": kind in chosen}
            )
        ledger_append(
            event=Event.EMAIL_PREFERENCES_SET,
            actor=actor,
            details={"emailed": sorted(chosen)},
        )
    return sorted(chosen)


def emailed_kinds(*, practitioner: Practitioner) -> list[str]:
    """The kinds the practitioner is e-mailed (all, unless switched off)."""
    off = set(
        EmailPreference.objects.filter(practitioner=practitioner, emailed=False).values_list(
            "kind", flat=True
        )
    )
    return [kind for kind in NoticeKind.values if kind not in off or kind in ALWAYS_EMAILED]
