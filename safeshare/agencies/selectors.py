"""Reads for agencies, practitioners and agreements."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeshare.agencies.models import (
    Agency,
    AgreementStatus,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
    PractitionerChangeReason,
)
from safeshare.agencies.services import hash_token
from safeshare.core import clock


def agency_list(
    *, agencies: QuerySet[Agency] | None = None, excluding: Agency | None = None
) -> QuerySet[Agency]:
    """Agencies by name (all of them unless given a scoped queryset), less ``excluding``."""
    qs = Agency.objects.all() if agencies is None else agencies
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.order_by("name")


def practitioner_list(*, practitioners: QuerySet[Practitioner]) -> QuerySet[Practitioner]:
    return (
        practitioners.select_related("agency")
        .prefetch_related("role_assignments")
        .order_by("family_name", "given_name")
    )


def agreement_list(
    *, agreements: QuerySet[InformationSharingAgreement] | None = None
) -> QuerySet[InformationSharingAgreement]:
    qs = InformationSharingAgreement.objects.all() if agreements is None else agreements
    return (
        qs.select_related("owner")
        .prefetch_related("parties", "signatures__agency", "signatures__signatory")
        .order_by("reference")
    )


def agreements_covering(
    *, agency_a: Agency, agency_b: Agency, purpose: str, on: dt.date | None = None
) -> QuerySet[InformationSharingAgreement]:
    """Active agreements that both agencies are party to and that cover ``purpose`` on ``on``."""
    qs = _agreements_in_force(agency_a=agency_a, agency_b=agency_b, day=on or clock.today())
    return qs.filter(pk__in=[a.pk for a in qs.only("pk", "purposes") if purpose in a.purposes])


def agreement_covers(
    *, agency_a: Agency, agency_b: Agency, purpose: str, on: dt.date | None = None
) -> bool:
    """Whether ``agreements_covering`` would find any: the same rule in one query that reads
    only each agreement's purposes (asked on every recorded decision with a recipient)."""
    qs = _agreements_in_force(agency_a=agency_a, agency_b=agency_b, day=on or clock.today())
    return any(purpose in purposes for purposes in qs.order_by().values_list("purposes", flat=True))


def _agreements_in_force(
    *, agency_a: Agency, agency_b: Agency, day: dt.date
) -> QuerySet[InformationSharingAgreement]:
    """Active agreements both agencies are party to, in force on ``day``."""
    return (
        InformationSharingAgreement.objects.filter(status=AgreementStatus.ACTIVE)
        .filter(parties=agency_a)
        .filter(parties=agency_b)
        .filter(start_date__lte=day)
        .exclude(end_date__lt=day)
    )


def agreements_due_for_review(*, within_days: int = 30) -> QuerySet[InformationSharingAgreement]:
    limit = clock.today() + dt.timedelta(days=within_days)
    return agreement_list().filter(status=AgreementStatus.ACTIVE, review_date__lte=limit)


def api_token_for_raw(raw: str) -> ApiToken | None:
    """The usable token matching ``raw``, or None (expired, revoked, unknown, inactive user).

    One query on every API request: the token, its practitioner and their agency, and the
    practitioner's roles (one row per role, by a left join), so that the capability checks that
    follow ask the database nothing more.
    """
    rows = list(
        ApiToken.objects.select_related("practitioner", "practitioner__agency")
        .filter(token_hash=hash_token(raw))
        .annotate(role_code=F("practitioner__role_assignments__role"))
        .order_by()
    )
    if not rows:
        return None
    token = rows[0]
    token.practitioner.remember_roles(row.role_code for row in rows if row.role_code)
    if not token.is_usable():
        return None
    return token


def practitioner_by_username(username: str) -> Practitioner | None:
    """The practitioner signing in with ``username`` (case-insensitive), if any."""
    if not username.strip():
        return None
    return Practitioner.objects.filter(username__iexact=username.strip()).first()


def confirmed_totp_device(practitioner: Practitioner) -> TOTPDevice | None:
    """The practitioner's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=practitioner, confirmed=True).first()


def practitioner_changes(*, practitioner: Practitioner) -> QuerySet[PractitionerChangeReason]:
    """The roles removed from, and the deactivations and reactivations of, ``practitioner``,
    newest first, with who made each change and why."""
    return (
        PractitionerChangeReason.objects.filter(practitioner=practitioner)
        .select_related("changed_by")
        .order_by("-created_at", "-pk")
    )
