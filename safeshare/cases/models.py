"""Cases, the people involved in them, the practitioners allocated, and information items."""

from __future__ import annotations

from django.db import models

from safeshare.agencies.models import Agency, Practitioner
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.core.vocabulary import InformationCategory, SpecialCategory
from safeshare.people.models import Person


class CaseStatus(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(s for s in CaseStatus if s != CaseStatus.CLOSED)


class Case(BaseModel):
    """One agency's case about one subject child."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases_as_subject")
    reference = models.CharField(max_length=30)
    status = models.CharField(max_length=30, choices=CaseStatus.choices)
    opened_on = models.DateField(default=clock.today)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="case_reference_unique")
        ]
        indexes = [models.Index(fields=["agency", "status"], name="case_agency_status_idx")]

    def __str__(self) -> str:
        return self.reference


class AllocationRole(models.TextChoices):
    ALLOCATED_WORKER = "allocated_worker", "Allocated worker"
    KEY_WORKER = "key_worker", "Key worker"
    SUPERVISOR = "supervisor", "Supervising manager"


class AllocationEndReason(models.TextChoices):
    """Why an allocation ended (or the case was reallocated): recorded on the allocation and in
    the ledger entry, as a code (the ledger holds no free text)."""

    WORK_FINISHED = "work_finished", "Their work on the case has finished"
    CASELOAD = "caseload", "To balance caseloads"
    LEFT_TEAM = "left_team", "They have left the team or the agency"
    ABSENCE = "absence", "They are away for a long time"
    CONFLICT_OF_INTEREST = "conflict_of_interest", "A conflict of interest"
    CASE_MOVED_TEAM = "case_moved_team", "The case has moved to another team"
    ALLOCATED_IN_ERROR = "allocated_in_error", "They were allocated in error"


class CaseAllocation(BaseModel):
    """A practitioner's legitimate relationship to a case, for a period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="allocations"
    )
    role = models.CharField(
        max_length=30, choices=AllocationRole.choices, default=AllocationRole.ALLOCATED_WORKER
    )
    started_on = models.DateField(default=clock.today)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=30, choices=AllocationEndReason.choices, blank=True, default=""
    )

    class Meta:
        indexes = [models.Index(fields=["practitioner", "ended_on"], name="allocation_active_idx")]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    PARTNER_OF_PARENT = "partner_of_parent", "Partner of parent"
    PARTNER = "partner", "Partner of the child"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    INFORMANT = "informant", "Informant"
    OTHER = "other", "Other"


class InvolvementEndReason(models.TextChoices):
    """Why someone is no longer involved: on the involvement and in the ledger entry (a code)."""

    LEFT_HOUSEHOLD = "left_household", "They have left the household"
    RELATIONSHIP_ENDED = "relationship_ended", "The relationship has ended"
    NO_LONGER_INVOLVED = "no_longer_involved", "They are no longer involved with the child"
    DIED = "died", "They have died"
    RECORDED_IN_ERROR = "recorded_in_error", "They were recorded in error"


class Involvement(BaseModel):
    """Another person's part in a case, with their relationship to the subject child."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    relationship = models.CharField(max_length=30, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    started_on = models.DateField(default=clock.today)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=30, choices=InvolvementEndReason.choices, blank=True, default=""
    )
    # When the person involved is also a member of staff of an agency, who they are: a disclosure
    # never sends a protected address to anyone involved as alleged perpetrator.
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "relationship"], name="involvement_unique"
            )
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class FactOrOpinion(models.TextChoices):
    FACT = "fact", "Fact"
    OPINION = "opinion", "Professional opinion"


class HowKnown(models.TextChoices):
    OBSERVED = "observed", "Observed directly by the recorder"
    TOLD_BY_CHILD = "told_by_child", "Told by the child"
    TOLD_BY_FAMILY = "told_by_family", "Told by a family member"
    TOLD_BY_THIRD_PARTY = "told_by_third_party", "Told by a third party"
    AGENCY_RECORD = "agency_record", "From an agency record"
    PROFESSIONAL_ASSESSMENT = "professional_assessment", "Professional assessment"


class InformationItem(BaseModel):
    """One piece of information in a case, tagged so that it can be shared precisely."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="items")
    about = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="items_about"
    )
    category = models.CharField(max_length=30, choices=InformationCategory.choices)
    summary = EncryptedTextField()
    content = EncryptedTextField()
    fact_or_opinion = models.CharField(max_length=10, choices=FactOrOpinion.choices)
    source = EncryptedTextField(help_text="Who the information came from")
    how_known = models.CharField(max_length=30, choices=HowKnown.choices)
    event_date = models.DateField()
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="items_recorded"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    special_category = models.CharField(
        max_length=20, choices=SpecialCategory.choices, blank=True, default=SpecialCategory.NONE
    )
    criminal_offence_data = models.BooleanField(default=False)
    is_confidential = models.BooleanField(default=False)
    third_party_protected = models.BooleanField(
        default=False,
        help_text="Contains third-party or informant content whose identity must be protected",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-event_date", "-recorded_at"]
        indexes = [models.Index(fields=["case", "event_date"], name="item_case_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} item of {self.event_date}"


class InformationItemRevision(BaseModel):
    """The previous wording of an item, kept when it is edited (records are corrected, not lost)."""

    item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    summary = EncryptedTextField()
    content = EncryptedTextField()
    source = EncryptedTextField()
    edited_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="item_revision_unique")
        ]
