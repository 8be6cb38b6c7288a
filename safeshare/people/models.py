"""People as held by one agency: names, date of birth, NHS number, addresses, contacts.

Each agency holds its own record of a person; linking records across agencies into one identity
is the linkage app's job. Addresses and contact details are encrypted at rest (a protected new
address of someone fleeing abuse is among the most dangerous things the system holds).
"""

from __future__ import annotations

from django.db import models

from safeshare.agencies.models import Agency
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.people.nhs import format_nhs_number


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"
    NOT_RECORDED = "not_recorded", "Not recorded"


class DobPrecision(models.TextChoices):
    EXACT = "exact", "Exact"
    MONTH = "month", "Month and year known"
    YEAR = "year", "Year known"
    ESTIMATED = "estimated", "Estimated"
    UNKNOWN = "unknown", "Not known"


class Person(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(
        max_length=10, choices=DobPrecision.choices, default=DobPrecision.EXACT
    )
    is_unborn = models.BooleanField(default=False)
    expected_date = models.DateField("expected date of delivery", null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_RECORDED)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    agency_reference = models.CharField(max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        "agencies.Practitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded the person (they may see them until the person joins a case)",
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["agency", "family_name"], name="person_agency_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_unborn=True, expected_date__isnull=True),
                name="unborn_needs_expected_date",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.is_unborn and not self.given_name:
            return f"Unborn baby {self.family_name}"
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    @property
    def date_of_birth_display(self) -> str:
        if self.is_unborn and self.expected_date:
            return f"Unborn, expected {self.expected_date:%-d %B %Y}"
        if self.date_of_birth is None or self.dob_precision == DobPrecision.UNKNOWN:
            return "Not known"
        if self.dob_precision == DobPrecision.YEAR:
            return f"{self.date_of_birth:%Y} (year only)"
        if self.dob_precision == DobPrecision.MONTH:
            return f"{self.date_of_birth:%B %Y} (month only)"
        if self.dob_precision == DobPrecision.ESTIMATED:
            return f"About {self.date_of_birth:%-d %B %Y} (estimated)"
        return f"{self.date_of_birth:%-d %B %Y}"


class NameKind(models.TextChoices):
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Also known as"
    BIRTH = "birth", "Name at birth"


class PersonName(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=20, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    used_from = models.DateField(null=True, blank=True)
    used_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "family_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Address(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    lines = EncryptedTextField()
    postcode = EncryptedTextField()
    lived_from = models.DateField(null=True, blank=True)
    lived_to = models.DateField(null=True, blank=True)
    is_protected = models.BooleanField(
        default=False,
        help_text="A protected address (for example a refuge) is withheld unless explicitly shared",
    )

    class Meta:
        ordering = ["-lived_from"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return "Protected address" if self.is_protected else "Address"

    @property
    def is_current(self) -> bool:
        return self.lived_to is None


class ContactKind(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"


class ContactDetail(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    value = EncryptedTextField()
    is_protected = models.BooleanField(default=False)
    # Contact details are ended, never deleted: the record keeps what was known and when.
    ended_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
