"""Agencies, practitioners (the user model), their roles, agreements and API tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models

from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel


class AgencyType(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Local authority children's social care"
    POLICE = "police", "Police"
    GP_PRACTICE = "gp_practice", "GP practice"
    HOSPITAL = "hospital", "Hospital"
    COMMUNITY_HEALTH = "community_health", "Community health"
    SCHOOL = "school", "School"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary sector"


# The three statutory safeguarding partners (Working Together): local authority, police, health.
STATUTORY_PARTNER_TYPES = frozenset(
    {
        AgencyType.CHILDRENS_SOCIAL_CARE,
        AgencyType.POLICE,
        AgencyType.GP_PRACTICE,
        AgencyType.HOSPITAL,
        AgencyType.COMMUNITY_HEALTH,
    }
)


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    DSL = "dsl", "Designated safeguarding lead or manager"
    MASH_OFFICER = "mash_officer", "MASH officer"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance (DPO or Caldicott)"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"
    SYSTEM_ADMIN = "system_admin", "System administrator"
    DISCLOSURE_OFFICER = "disclosure_officer", "Police disclosure unit officer"


class Agency(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    local_authority_area = models.CharField(max_length=100)
    ods_code = models.CharField("ODS or URN code", max_length=20, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_statutory_partner(self) -> bool:
        return self.agency_type in STATUTORY_PARTNER_TYPES


class PractitionerManager(BaseUserManager["Practitioner"]):
    def get_by_natural_key(self, username: str | None) -> Practitioner:
        return self.get(username__iexact=username)


class Practitioner(AbstractBaseUser):
    """A member of staff of one agency; the user model (AUTH_USER_MODEL)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(max_length=150, unique=True)
    email = models.EmailField(blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="practitioners")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = PractitionerManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["given_name", "family_name", "agency"]

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @cached_property
    def _roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def role_codes(self) -> list[str]:
        return sorted(self._roles)

    def has_role(self, role: Role) -> bool:
        return role.value in self._roles

    def forget_cached_roles(self) -> None:
        self.__dict__.pop("_roles", None)

    def remember_roles(self, codes: Iterable[str]) -> None:
        """Hold ``codes`` as this instance's roles, read by the caller in the same query that
        loaded the practitioner (as ``_roles`` would read them), so asking costs no query."""
        self.__dict__["_roles"] = frozenset(codes)

    # Django admin is for system administrators only; our own policy governs everything else.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.has_role(Role.SYSTEM_ADMIN)

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


class RoleAssignment(BaseModel):
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "role"], name="unique_role_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} as {self.get_role_display()}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"


class InformationSharingAgreement(BaseModel):
    """An agreement between agencies saying what they share, why, on what basis, for how long."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="owned_agreements")
    parties = models.ManyToManyField(Agency, related_name="agreements")
    purposes = models.JSONField(default=list)  # SharingPurpose values
    data_categories = models.JSONField(default=list)  # InformationCategory values
    lawful_bases = models.JSONField(default=list)  # lawful basis codes, e.g. "art6_1_e"
    retention_days = models.PositiveIntegerField()
    start_date = models.DateField()
    review_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    dpia_reference = models.CharField("DPIA reference", max_length=60, blank=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class AgreementSignature(BaseModel):
    agreement = models.ForeignKey(
        InformationSharingAgreement, on_delete=models.PROTECT, related_name="signatures"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    signatory = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "agency"], name="one_signature_per_party")
        ]


class ApiToken(BaseModel):
    """A bearer token for the API, scoped to one practitioner. Only its SHA-256 is stored."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @property
    def state(self) -> str:
        """The token by its own dates: "revoked", "expired" or "active" (see also is_usable)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= clock.now():
            return "expired"
        return "active"

    def is_usable(self) -> bool:
        return self.state == "active" and self.practitioner.is_active


class AdministrativeChange(models.TextChoices):
    """What an administrator changed about a practitioner's access, for a recorded reason."""

    ROLE_REMOVED = "role_removed", "Role removed"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"


# Why: one list per kind of change. The code goes into the ledger entry of the change (the
# ledger holds no free text, ADR 5); "other" needs a note, kept sealed beside it.
OTHER_REASON = "other"


class RoleRemovalReason(models.TextChoices):
    CHANGED_JOB = "changed_job", "They have changed job or team"
    NOT_NEEDED = "not_needed", "Their work no longer needs this role"
    COVER_ENDED = "cover_ended", "Cover for someone else has ended"
    GIVEN_IN_ERROR = "given_in_error", "The role was given in error"
    MISUSE = "misuse", "The role may have been misused"
    OTHER = OTHER_REASON, "Another reason"


class DeactivationReason(models.TextChoices):
    LEFT_AGENCY = "left_agency", "They have left the agency"
    LONG_ABSENCE = "long_absence", "They are away for a long time"
    SUSPENDED = "suspended", "They are suspended or under investigation"
    ACCOUNT_AT_RISK = "account_at_risk", "The account may be misused or in someone else's hands"
    NOT_NEEDED = "not_needed", "Their work no longer needs SafeShare"
    CREATED_IN_ERROR = "created_in_error", "The account was created in error"
    OTHER = OTHER_REASON, "Another reason"


class ReactivationReason(models.TextChoices):
    RETURNED = "returned", "They have come back to work"
    SUSPENSION_ENDED = "suspension_ended", "The suspension or investigation has ended"
    DEACTIVATED_IN_ERROR = "deactivated_in_error", "They were deactivated in error"
    NEEDED_AGAIN = "needed_again", "Their work needs SafeShare again"
    OTHER = OTHER_REASON, "Another reason"


CHANGE_REASONS: dict[str, type[models.TextChoices]] = {
    AdministrativeChange.ROLE_REMOVED: RoleRemovalReason,
    AdministrativeChange.DEACTIVATED: DeactivationReason,
    AdministrativeChange.REACTIVATED: ReactivationReason,
}


class PractitionerChangeReason(BaseModel):
    """Why an administrator removed a role from, deactivated or reactivated a practitioner:
    written in the same transaction as the change and its ledger entry, which carries the reason
    code and names this row (``details["reason_record"]``). The administrator's note, if any, is
    here and sealed, because no personal free text ever goes into a ledger row (ADR 5).

    No service updates or deletes these rows.
    """

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="change_reasons"
    )
    changed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(max_length=30, choices=AdministrativeChange.choices)
    reason = models.CharField(max_length=30)  # a code of CHANGE_REASONS[change]
    note = EncryptedTextField(blank=True, default="")
    # The role removed; the roles taken away on deactivation or given on reactivation.
    roles = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.practitioner}"

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(code).label) if code in Role.values else code for code in self.roles]

    @property
    def reason_label(self) -> str:
        labels = dict(CHANGE_REASONS[self.change].choices)
        return str(labels.get(self.reason, self.reason))
