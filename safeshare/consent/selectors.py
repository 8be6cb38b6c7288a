"""Reads for consent. List callers pass querysets already scoped by access.scopes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils import timezone

from safeshare.agencies.models import Agency
from safeshare.consent.models import (
    Consent,
    ConsentRecall,
    ConsentState,
    EffectiveConsent,
    RecallStatus,
)
from safeshare.core import clock
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.people.models import Person


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in the project's time zone (UK), as an aware datetime."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def _covers(
    consent: Consent, *, purpose: str, recipient_agency: Agency, category: str, on: dt.date
) -> bool:
    """Does the record's scope reach this purpose, recipient and category on ``on``?

    A given (or withdrawn) consent covers only what it names. A refusal or "not sought" record
    with an empty scope field covers anything in that field.
    """
    if consent.starts_on > on:
        return False
    named_only = consent.state in (ConsentState.GIVEN, ConsentState.WITHDRAWN)
    recipient_ids = {a.pk for a in consent.recipient_agencies.all()}
    types = consent.recipient_agency_types
    if not named_only and not recipient_ids and not types:
        recipient_ok = True
    else:
        recipient_ok = recipient_agency.pk in recipient_ids or (
            recipient_agency.agency_type in types
        )
    purpose_ok = purpose in consent.purposes or (not named_only and not consent.purposes)
    category_ok = category in consent.categories or (not named_only and not consent.categories)
    return purpose_ok and recipient_ok and category_ok


def consent_scope_problem(
    consent: Consent,
    *,
    purpose: str,
    recipient_agency: Agency | None,
    categories: Sequence[str],
    on: dt.date | None = None,
) -> str | None:
    """Why ``consent`` does not allow this share, in plain words, or None when it does.

    Consent is specific and time-limited (WT 2018 ch1; seed 003 section 3.2): it must be given,
    not withdrawn, started and unexpired on ``on`` (today by default), and name this purpose, this
    recipient (the agency or its type) and every category of information shared. The decision
    and the disclosure services both ask this, so neither can go beyond what was agreed.
    """
    day = on or clock.today()
    labels = dict(SharingPurpose.choices)
    if consent.state == ConsentState.WITHDRAWN:
        return "That consent has been withdrawn"
    if consent.state != ConsentState.GIVEN:
        return f"That record is not consent given ({consent.get_state_display().lower()})"
    if consent.starts_on > day:
        return f"That consent starts on {consent.starts_on:%-d %B %Y}"
    if consent.is_expired_on(day):
        return f"That consent expired on {consent.expires_on:%-d %B %Y}"
    if purpose not in consent.purposes:
        return (
            f"That consent does not cover sharing for {str(labels.get(purpose, purpose)).lower()}"
        )
    if recipient_agency is not None:
        named = {a.pk for a in consent.recipient_agencies.all()}
        if recipient_agency.pk not in named and (
            recipient_agency.agency_type not in consent.recipient_agency_types
        ):
            return f"That consent does not cover sharing with {recipient_agency.name}"
    category_labels = dict(InformationCategory.choices)
    for category in categories:
        if category not in consent.categories:
            label = str(category_labels.get(category, category)).lower()
            return f"That consent does not cover this kind of information: {label}"
    return None


def _state_on(consent: Consent, until: dt.datetime) -> str:
    """The stored state as it stood at ``until`` (a withdrawal after then had not happened)."""
    if consent.state == ConsentState.WITHDRAWN and consent.withdrawn_at is not None:
        withdrawn = consent.withdrawn_at < until
        return str(ConsentState.WITHDRAWN if withdrawn else ConsentState.GIVEN)
    return str(consent.state)


def consent_state_for(
    *,
    person: Person,
    purpose: str,
    recipient_agency: Agency,
    category: str,
    on: dt.date | None = None,
) -> tuple[str, Consent | None]:
    """The consent position for sharing ``category`` about ``person`` with ``recipient_agency``
    for ``purpose`` on the day ``on`` (today by default): one of ``EffectiveConsent``'s values,
    and the record it rests on (``None`` for "not_asked").

    The most recent record whose scope covers the question decides. A consent that has expired
    does not count as consent: it answers "expired", unless an older consent of the same run
    (no refusal, withdrawal or "not sought" in between) still covers the day.
    """
    day = on or clock.today()
    until = _end_of(day)
    candidates = (
        Consent.objects.filter(person=person, recorded_at__lt=until)
        .prefetch_related("recipient_agencies")
        .order_by("-recorded_at")
    )
    relevant: list[tuple[dt.datetime, str, Consent]] = []
    for consent in candidates:
        if not _covers(
            consent, purpose=purpose, recipient_agency=recipient_agency, category=category, on=day
        ):
            continue
        state = _state_on(consent, until)
        moment = consent.recorded_at
        if state == ConsentState.WITHDRAWN and consent.withdrawn_at is not None:
            moment = consent.withdrawn_at
        relevant.append((moment, state, consent))
    if not relevant:
        return EffectiveConsent.NOT_ASKED.value, None
    relevant.sort(key=lambda row: row[0], reverse=True)
    _, newest_state, newest = relevant[0]
    if newest_state != ConsentState.GIVEN:
        return newest_state, newest
    for _, state, consent in relevant:
        if state != ConsentState.GIVEN:
            break
        if not consent.is_expired_on(day):
            return EffectiveConsent.GIVEN.value, consent
    return EffectiveConsent.EXPIRED.value, newest


def consents_for_person(*, consents: QuerySet[Consent], person: Person) -> QuerySet[Consent]:
    """The person's consent records, newest first, from ``consents`` (a scope)."""
    return (
        consents.filter(person=person)
        .select_related("recorded_by", "withdrawn_by", "agency")
        .prefetch_related("recipient_agencies")
        .order_by("-recorded_at")
    )


def recalls_open(*, agency: Agency) -> QuerySet[ConsentRecall]:
    """Open recalls the agency must act on: those of consents it holds, oldest first."""
    return (
        ConsentRecall.objects.filter(consent__agency=agency, status=RecallStatus.OPEN)
        .select_related("consent", "consent__person", "recipient_agency")
        .order_by("created_at")
    )


def recalls_for_consent(*, consent: Consent) -> QuerySet[ConsentRecall]:
    return (
        ConsentRecall.objects.filter(consent=consent)
        .select_related("recipient_agency")
        .order_by("created_at")
    )
