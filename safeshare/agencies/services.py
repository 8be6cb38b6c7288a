"""Writes for agencies, practitioners, roles, agreements and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeshare.agencies.change_reasons import change_reason_record
from safeshare.agencies.exceptions import (
    AgencyNameTaken,
    AgreementInvalid,
    AgreementTransitionInvalid,
    AuthenticatorResetInvalid,
    PractitionerChangeInvalid,
    PractitionerStateConflict,
    RoleInvalid,
    UsernameTaken,
)
from safeshare.agencies.models import (
    AdministrativeChange,
    Agency,
    AgencyType,
    AgreementSignature,
    AgreementStatus,
    ApiToken,
    InformationSharingAgreement,
    Practitioner,
    Role,
    RoleAssignment,
)
from safeshare.core import clock
from safeshare.core.exceptions import Conflict, ValidationFailed
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.ledger.events import Event
from safeshare.ledger.services import ledger_append

TOKEN_PREFIX = "ss_"  # noqa: S105 - the public prefix of every token
TOKEN_LIFETIME = dt.timedelta(days=90)


def _require_text(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"Enter {label}", field=field)
    return value


@transaction.atomic
def agency_create(
    *,
    actor: Practitioner | None,
    name: str,
    agency_type: str,
    local_authority_area: str,
    ods_code: str = "",
) -> Agency:
    name = _require_text(name, field="name", label="the agency's name")
    area = _require_text(
        local_authority_area, field="local_authority_area", label="the local authority area"
    )
    if agency_type not in AgencyType.values:
        raise ValidationFailed("Select the type of agency", field="agency_type")
    if Agency.objects.filter(name__iexact=name).exists():
        raise AgencyNameTaken(f"An agency called {name} already exists", field="name")
    agency = Agency.objects.create(
        name=name, agency_type=agency_type, local_authority_area=area, ods_code=ods_code.strip()
    )
    ledger_append(
        event=Event.AGENCY_CREATED,
        actor=actor,
        obj=agency,
        details={"agency_type": agency_type},
    )
    return agency


@transaction.atomic
def agency_update(
    *,
    actor: Practitioner,
    agency: Agency,
    name: str,
    local_authority_area: str,
    ods_code: str,
    is_active: bool,
) -> Agency:
    name = _require_text(name, field="name", label="the agency's name")
    if Agency.objects.filter(name__iexact=name).exclude(pk=agency.pk).exists():
        raise AgencyNameTaken(f"An agency called {name} already exists", field="name")
    changed = []
    for attr, value in (
        ("name", name),
        ("local_authority_area", local_authority_area.strip()),
        ("ods_code", ods_code.strip()),
        ("is_active", is_active),
    ):
        if getattr(agency, attr) != value:
            setattr(agency, attr, value)
            changed.append(attr)
    agency.touch()
    agency.save()
    ledger_append(event=Event.AGENCY_UPDATED, actor=actor, obj=agency, details={"fields": changed})
    return agency


@transaction.atomic
def practitioner_create(
    *,
    actor: Practitioner | None,
    agency: Agency,
    username: str,
    given_name: str,
    family_name: str,
    email: str = "",
    job_title: str = "",
    roles: Iterable[Role] = (Role.PRACTITIONER,),
    password: str | None = None,
    validate_password_strength: bool = True,
) -> Practitioner:
    username = _require_text(username, field="username", label="a username").lower()
    given_name = _require_text(given_name, field="given_name", label="the given name")
    family_name = _require_text(family_name, field="family_name", label="the family name")
    if Practitioner.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(f"The username {username} is already in use", field="username")
    practitioner = Practitioner(
        agency=agency,
        username=username,
        given_name=given_name,
        family_name=family_name,
        email=email.strip(),
        job_title=job_title.strip(),
    )
    if password is None:
        practitioner.set_unusable_password()
    else:
        if validate_password_strength:
            try:
                validate_password(password, practitioner)
            except ValidationError as exc:
                raise ValidationFailed(" ".join(exc.messages), field="password") from exc
        practitioner.set_password(password)
    practitioner.save(force_insert=True)
    ledger_append(
        event=Event.PRACTITIONER_CREATED,
        actor=actor,
        obj=practitioner,
        details={"agency": str(agency.pk)},
    )
    for role in roles:
        role_grant(actor=actor, practitioner=practitioner, role=role)
    return practitioner


@transaction.atomic
def practitioner_update(
    *,
    actor: Practitioner,
    practitioner: Practitioner,
    given_name: str,
    family_name: str,
    email: str,
    job_title: str,
) -> Practitioner:
    practitioner.given_name = _require_text(given_name, field="given_name", label="the given name")
    practitioner.family_name = _require_text(
        family_name, field="family_name", label="the family name"
    )
    practitioner.email = email.strip()
    practitioner.job_title = job_title.strip()
    practitioner.updated_at = clock.now()
    practitioner.save()
    ledger_append(event=Event.PRACTITIONER_UPDATED, actor=actor, obj=practitioner)
    return practitioner


def _lock_agency(practitioner: Practitioner) -> None:
    """Serialise administrators' changes within one agency, so that two of them cannot each
    pass the last-administrator check for the other and leave the agency with none."""
    Agency.objects.select_for_update().filter(pk=practitioner.agency_id).first()


def _keep_an_administrator(practitioner: Practitioner) -> None:
    """Refuse a change that would leave ``practitioner``'s agency with no active agency
    administrator (nobody would be left to manage its staff)."""
    if not (practitioner.is_active and practitioner.has_role(Role.AGENCY_ADMIN)):
        return
    others = (
        RoleAssignment.objects.filter(
            role=Role.AGENCY_ADMIN,
            practitioner__agency_id=practitioner.agency_id,
            practitioner__is_active=True,
        )
        .exclude(practitioner=practitioner)
        .exists()
    )
    if not others:
        raise PractitionerChangeInvalid(
            f"{practitioner.full_name} is the only active agency administrator of "
            f"{practitioner.agency.name}: give someone else the agency administrator role first"
        )


def _end_sessions(practitioner: Practitioner) -> int:
    """Delete every live web session signed in as ``practitioner``; how many there were."""
    wanted = str(practitioner.pk)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == wanted
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def practitioner_deactivate(
    *, actor: Practitioner, practitioner: Practitioner, reason: str, note: str = ""
) -> Practitioner:
    """Deactivate a practitioner who has left or must no longer have access.

    Refused for the administrator's own account and for the agency's last active agency
    administrator. Every role is taken away (each a recorded ROLE_REVOKED), every API token
    revoked and every web session ended, in this transaction; ``reason`` (a
    ``DeactivationReason``) goes into the ledger entries, the note is kept sealed beside them.
    Their open work (requests, read-backs, tasks to tell the individual, MASH contacts) is not
    reassigned here: the inbox offers work whose holder is inactive to the holder's team
    (safeshare.workday.inbox). Case allocations stay open, giving no access while inactive.
    """
    _lock_agency(practitioner)
    practitioner.forget_cached_roles()
    if actor.pk == practitioner.pk:
        raise PractitionerChangeInvalid(
            "You cannot deactivate your own account; ask another administrator"
        )
    if not practitioner.is_active:
        raise PractitionerStateConflict(f"{practitioner.full_name} is already deactivated")
    _keep_an_administrator(practitioner)
    roles = practitioner.role_codes()
    record = change_reason_record(
        actor=actor,
        practitioner=practitioner,
        change=AdministrativeChange.DEACTIVATED,
        reason=reason,
        note=note,
        roles=roles,
    )
    now = clock.now()
    RoleAssignment.objects.filter(practitioner=practitioner).delete()
    practitioner.forget_cached_roles()
    practitioner.is_active = False
    practitioner.updated_at = now
    practitioner.save(update_fields=["is_active", "updated_at"])
    tokens = practitioner.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    sessions = _end_sessions(practitioner)
    for role in roles:
        ledger_append(
            event=Event.ROLE_REVOKED,
            actor=actor,
            obj=practitioner,
            details={
                "role": role,
                "reason": reason,
                "reason_record": str(record.pk),
                "on": "deactivation",
            },
        )
    ledger_append(
        event=Event.PRACTITIONER_DEACTIVATED,
        actor=actor,
        obj=practitioner,
        details={
            "reason": reason,
            "reason_record": str(record.pk),
            "roles_removed": roles,
            "api_tokens_revoked": tokens,
            "sessions_ended": sessions,
        },
    )
    return practitioner


@transaction.atomic
def practitioner_reactivate(
    *,
    actor: Practitioner,
    practitioner: Practitioner,
    reason: str,
    note: str = "",
    roles: Iterable[Role] = (),
) -> Practitioner:
    """Let a deactivated practitioner sign in again, with exactly the ``roles`` the
    administrator gives now (none by default): nothing they held before comes back on its own.

    Their API tokens stay revoked and their old sessions stay ended; their authenticator app is
    unchanged (reset it if it may be in someone else's hands). Case allocations are not touched
    by deactivation or reactivation: the practitioner page lists any still open, to be ended
    with a reason where they should not resume. Refused for an active practitioner and for a
    practitioner of an agency that is no longer active.
    """
    _lock_agency(practitioner)
    if practitioner.is_active:
        raise PractitionerStateConflict(f"{practitioner.full_name} is already active")
    if not practitioner.agency.is_active:
        raise PractitionerChangeInvalid(
            f"{practitioner.agency.name} is no longer an active agency: reactivate the agency first"
        )
    wanted = [str(role) for role in roles]
    unknown = [role for role in wanted if role not in Role.values]
    if unknown:
        raise RoleInvalid(f"{unknown[0]} is not a role", field="roles")
    given = sorted({Role(role) for role in wanted})
    record = change_reason_record(
        actor=actor,
        practitioner=practitioner,
        change=AdministrativeChange.REACTIVATED,
        reason=reason,
        note=note,
        roles=given,
    )
    practitioner.is_active = True
    practitioner.updated_at = clock.now()
    practitioner.save(update_fields=["is_active", "updated_at"])
    ledger_append(
        event=Event.PRACTITIONER_REACTIVATED,
        actor=actor,
        obj=practitioner,
        details={
            "reason": reason,
            "reason_record": str(record.pk),
            "roles_given": [str(r) for r in given],
        },
    )
    for role in given:
        role_grant(actor=actor, practitioner=practitioner, role=role)
    return practitioner


@transaction.atomic
def role_grant(*, actor: Practitioner | None, practitioner: Practitioner, role: Role) -> None:
    if role not in Role.values:
        raise RoleInvalid(f"{role} is not a role", field="role")
    _, created = RoleAssignment.objects.get_or_create(
        practitioner=practitioner, role=role, defaults={"granted_by": actor}
    )
    practitioner.forget_cached_roles()
    if created:
        ledger_append(
            event=Event.ROLE_GRANTED, actor=actor, obj=practitioner, details={"role": str(role)}
        )


@transaction.atomic
def role_revoke(
    *, actor: Practitioner, practitioner: Practitioner, role: Role, reason: str, note: str = ""
) -> None:
    """Take ``role`` away from ``practitioner`` for ``reason`` (a ``RoleRemovalReason``, in the
    ledger entry; the note kept sealed beside it). Refused for a role they do not hold, and for
    the agency administrator role of the agency's last active agency administrator. Which roles
    an actor may remove at all is the access policy's (``access.policy.removable_roles``)."""
    if role not in Role.values:
        raise RoleInvalid(f"{role} is not a role", field="role")
    _lock_agency(practitioner)
    practitioner.forget_cached_roles()
    if not practitioner.has_role(Role(role)):
        raise PractitionerStateConflict(
            f"{practitioner.full_name} does not have the role {Role(role).label}", field="role"
        )
    if role == Role.AGENCY_ADMIN:
        _keep_an_administrator(practitioner)
    record = change_reason_record(
        actor=actor,
        practitioner=practitioner,
        change=AdministrativeChange.ROLE_REMOVED,
        reason=reason,
        note=note,
        roles=[str(role)],
    )
    RoleAssignment.objects.filter(practitioner=practitioner, role=role).delete()
    practitioner.forget_cached_roles()
    ledger_append(
        event=Event.ROLE_REVOKED,
        actor=actor,
        obj=practitioner,
        details={"role": str(role), "reason": reason, "reason_record": str(record.pk)},
    )


def _check_agreement(
    *,
    parties: list[Agency],
    purposes: list[str],
    data_categories: list[str],
    lawful_bases: list[str],
    retention_days: int,
    start_date: dt.date,
    review_date: dt.date,
    end_date: dt.date | None,
) -> None:
    if len(set(parties)) < 2:
        raise AgreementInvalid("An agreement needs at least two parties", field="parties")
    if not purposes:
        raise AgreementInvalid("Select at least one purpose", field="purposes")
    bad = [p for p in purposes if p not in SharingPurpose.values]
    if bad:
        raise AgreementInvalid(f"Unknown purpose: {', '.join(bad)}", field="purposes")
    if not data_categories:
        raise AgreementInvalid("Select at least one data category", field="data_categories")
    bad = [c for c in data_categories if c not in InformationCategory.values]
    if bad:
        raise AgreementInvalid(f"Unknown data category: {', '.join(bad)}", field="data_categories")
    if not lawful_bases:
        raise AgreementInvalid("Enter at least one lawful basis", field="lawful_bases")
    if retention_days < 1:
        raise AgreementInvalid("Retention period must be at least one day", field="retention_days")
    if review_date <= start_date:
        raise AgreementInvalid("Review date must be after the start date", field="review_date")
    if end_date is not None and end_date <= start_date:
        raise AgreementInvalid("End date must be after the start date", field="end_date")


@transaction.atomic
def agreement_create(
    *,
    actor: Practitioner | None,
    owner: Agency,
    reference: str,
    title: str,
    parties: list[Agency],
    purposes: list[str],
    data_categories: list[str],
    lawful_bases: list[str],
    retention_days: int,
    start_date: dt.date,
    review_date: dt.date,
    end_date: dt.date | None = None,
    dpia_reference: str = "",
) -> InformationSharingAgreement:
    reference = _require_text(reference, field="reference", label="a reference")
    title = _require_text(title, field="title", label="a title")
    if owner not in parties:
        parties = [owner, *parties]
    _check_agreement(
        parties=parties,
        purposes=purposes,
        data_categories=data_categories,
        lawful_bases=lawful_bases,
        retention_days=retention_days,
        start_date=start_date,
        review_date=review_date,
        end_date=end_date,
    )
    if InformationSharingAgreement.objects.filter(reference__iexact=reference).exists():
        raise AgreementInvalid(f"Reference {reference} is already used", field="reference")
    agreement = InformationSharingAgreement.objects.create(
        reference=reference,
        title=title,
        owner=owner,
        purposes=sorted(set(purposes)),
        data_categories=sorted(set(data_categories)),
        lawful_bases=sorted(set(lawful_bases)),
        retention_days=retention_days,
        start_date=start_date,
        review_date=review_date,
        end_date=end_date,
        dpia_reference=dpia_reference.strip(),
    )
    agreement.parties.set(parties)
    ledger_append(
        event=Event.AGREEMENT_CREATED,
        actor=actor,
        obj=agreement,
        details={"parties": sorted(str(p.pk) for p in parties)},
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *, actor: Practitioner, agreement: InformationSharingAgreement
) -> AgreementSignature:
    if not agreement.parties.filter(pk=actor.agency_id).exists():
        raise AgreementInvalid("Your agency is not a party to this agreement")
    if agreement.signatures.filter(agency_id=actor.agency_id).exists():
        raise AgreementTransitionInvalid("Your agency has already signed this agreement")
    signature = AgreementSignature.objects.create(
        agreement=agreement, agency_id=actor.agency_id, signatory=actor
    )
    ledger_append(event=Event.AGREEMENT_SIGNED, actor=actor, obj=agreement)
    return signature


_ALLOWED_TRANSITIONS = {
    AgreementStatus.DRAFT: {AgreementStatus.ACTIVE},
    AgreementStatus.ACTIVE: {AgreementStatus.SUSPENDED, AgreementStatus.EXPIRED},
    AgreementStatus.SUSPENDED: {AgreementStatus.ACTIVE, AgreementStatus.EXPIRED},
    AgreementStatus.EXPIRED: set(),
}


@transaction.atomic
def agreement_set_status(
    *,
    actor: Practitioner | None,
    agreement: InformationSharingAgreement,
    status: AgreementStatus,
    reason: str = "",
) -> InformationSharingAgreement:
    current = AgreementStatus(agreement.status)
    if status not in _ALLOWED_TRANSITIONS[current]:
        raise AgreementTransitionInvalid(
            f"An agreement that is {current.label.lower()} cannot become {status.label.lower()}",
            field="status",
        )
    if status == AgreementStatus.ACTIVE:
        unsigned = agreement.parties.exclude(
            pk__in=agreement.signatures.values_list("agency_id", flat=True)
        )
        if unsigned.exists():
            names = ", ".join(a.name for a in unsigned)
            raise AgreementTransitionInvalid(
                f"Every party must sign before the agreement is active; not yet signed: {names}",
                field="status",
            )
    agreement.status = status
    agreement.touch()
    agreement.save(update_fields=["status", "updated_at"])
    ledger_append(
        event=Event.AGREEMENT_STATUS_CHANGED,
        actor=actor,
        obj=agreement,
        details={"from": str(current), "to": str(status), "reason_given": bool(reason.strip())},
    )
    return agreement


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Practitioner, name: str, lifetime: dt.timedelta = TOKEN_LIFETIME
) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; the raw token is returned once and never stored."""
    name = _require_text(name, field="name", label="a name for the token")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        practitioner=actor,
        name=name[:100],
        prefix=raw[:10],
        token_hash=hash_token(raw),
        expires_at=clock.now() + lifetime,
    )
    ledger_append(event=Event.API_TOKEN_CREATED, actor=actor, obj=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Practitioner, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        ledger_append(event=Event.API_TOKEN_REVOKED, actor=actor, obj=token)
    return token


@transaction.atomic
def sign_in_record(*, actor: Practitioner, event: Event, details: dict[str, str]) -> None:
    """Record sign-in, sign-out, TOTP enrolment and session expiry against the practitioner."""
    ledger_append(event=event, actor=actor, obj=actor, details=details)


# --- Second factor (TOTP) -------------------------------------------------------------------------
# Appended by the web engineer; the imports below belong at the top of the module.


TOTP_DEVICE_NAME = "Authenticator app"


@transaction.atomic
def totp_device_start(*, actor: Practitioner) -> TOTPDevice:
    """The practitioner's unconfirmed authenticator device, created on first use.

    Reusing the unconfirmed device means reloading the set-up page shows the same secret. Refused
    once a device is confirmed, so that someone holding only the password cannot swap in a device
    of their own.
    """
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise Conflict("You have already set up your authenticator app")
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
        ledger_append(event=Event.TOTP_ENROLMENT_STARTED, actor=actor, obj=actor)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: Practitioner, device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` if ``token`` is a current code from it; False, nothing changed, if not."""
    if device.user_id != actor.pk or device.confirmed:
        return False
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(pk=device.pk).delete()
    ledger_append(
        event=Event.TOTP_ENROLLED, actor=actor, obj=actor, details={"device": device.name}
    )
    return True


# --- API token use --------------------------------------------------------------------------------
# Appended by the API engineer.
API_TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def api_token_touch(*, token: ApiToken) -> ApiToken:
    """Note when a token was last used, so its owner can spot one they no longer use.

    Recorded in the ledger like every write, at most once a minute per token. The check comes
    before the transaction, so a busy client does not take the write lock on every request.
    """
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < API_TOKEN_TOUCH_INTERVAL:
        return token
    with transaction.atomic():
        return _api_token_record_use(token=token, now=now)


def _api_token_record_use(*, token: ApiToken, now: dt.datetime) -> ApiToken:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    ledger_append(event=Event.API_TOKEN_USED, actor=token.practitioner, obj=token)
    return token


@transaction.atomic
def totp_verify(*, actor: Practitioner, device: TOTPDevice, token: str) -> bool:
    """Check a code from ``actor``'s confirmed device (django-otp updates its replay and throttle
    state); a wrong code is recorded as a failed sign-in."""
    if device.user_id != actor.pk or not device.confirmed:
        return False
    if device.verify_token(token):
        return True
    ledger_append(
        event=Event.SIGN_IN_FAILED, actor=actor, obj=actor, details={"second_factor": "totp"}
    )
    return False


# --- Authenticator reset --------------------------------------------------------------------------


@transaction.atomic
def totp_device_reset(*, actor: Practitioner, practitioner: Practitioner, reason: str) -> int:
    """Remove every authenticator device of ``practitioner`` (one who has lost their phone).

    Their next sign-in goes through enrolment again. An administrator may not reset their own, so
    that a stolen password alone can never replace an administrator's second factor. The reason is
    required but kept out of the ledger, which records only that one was given.
    """
    if not (reason or "").strip():
        raise AuthenticatorResetInvalid(
            "Enter the reason for resetting the authenticator app", field="reason"
        )
    if actor.pk == practitioner.pk:
        raise AuthenticatorResetInvalid(
            "You cannot reset your own authenticator app; ask another administrator"
        )
    _, per_model = TOTPDevice.objects.filter(user=practitioner).delete()
    removed = int(per_model.get(TOTPDevice._meta.label, 0))
    ledger_append(
        event=Event.TOTP_RESET,
        actor=actor,
        obj=practitioner,
        details={"devices": removed, "reason_given": True},
    )
    return removed
