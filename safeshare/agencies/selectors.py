"""Reads for agencies, practitioners and agreements."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from safeshare.agencies.models import (
    Agency,
    AgreementStatus,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
)
from safeshare.agencies.services import hash_token
from safeshare.core import clock


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.order_by("name")


def practitioner_list(*, agency: Agency | None = None) -> QuerySet[Practitioner]:
    qs = Practitioner.objects.select_related("agency").prefetch_related("role_assignments")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("family_name", "given_name")


def agreement_list() -> QuerySet[InformationSharingAgreement]:
    return (
        InformationSharingAgreement.objects.select_related("owner")
        .prefetch_related("parties", "signatures__agency", "signatures__signatory")
        .order_by("reference")
    )


def agreements_covering(
    *, agency_a: Agency, agency_b: Agency, purpose: str, on: dt.date | None = None
) -> QuerySet[InformationSharingAgreement]:
    """Active agreements that both agencies are party to and that cover ``purpose`` on ``on``."""
    day = on or clock.today()
    qs = (
        InformationSharingAgreement.objects.filter(status=AgreementStatus.ACTIVE)
        .filter(parties=agency_a)
        .filter(parties=agency_b)
        .filter(start_date__lte=day)
        .exclude(end_date__lt=day)
    )
    return qs.filter(pk__in=[a.pk for a in qs.only("pk", "purposes") if purpose in a.purposes])


def agreements_due_for_review(*, within_days: int = 30) -> QuerySet[InformationSharingAgreement]:
    limit = clock.today() + dt.timedelta(days=within_days)
    return agreement_list().filter(status=AgreementStatus.ACTIVE, review_date__lte=limit)


def api_token_for_raw(raw: str) -> ApiToken | None:
    """The usable token matching ``raw``, or None (expired, revoked, unknown, inactive user)."""
    token = (
        ApiToken.objects.select_related("practitioner", "practitioner__agency")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None or not token.is_usable():
        return None
    return token
