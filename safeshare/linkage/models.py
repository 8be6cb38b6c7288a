"""Identity linkage: model versions, identities, links, the clerical review queue, the search index.

Each agency holds its own ``Person`` record of a child. Linkage (Splink on DuckDB, see
``safeshare.linkage.engine``) decides which records are the same person and gathers them into an
``Identity``. Every record belongs to exactly one identity (a record nobody else matches is an
identity of one). Pairs the model is unsure of wait in the clerical review queue as
``CandidatePair`` rows; a practitioner's decision there (``PairVerdict``) overrides the model in
every later run.

None of these tables holds a name, date of birth or address in the clear: the model's parameters
are statistics, candidate pairs refer to ``Person`` rows, and the search index stores its
identifying features encrypted and its blocking keys as keyed hashes.
"""

from __future__ import annotations

from django.db import models

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.people.models import Person


class LinkageModel(BaseModel):
    """One trained, versioned linkage model: Splink's settings with its estimated parameters.

    ``splink_model`` is exactly what Splink saves (``save_model_to_json``), so the same model runs
    on any Splink backend (DuckDB here; Spark for a region). ``weights`` is the same model exported
    for in-process scoring by identity search (``safeshare.linkage.scoring``).
    """

    version = models.PositiveIntegerField(unique=True)
    splink_model = models.JSONField()
    weights = models.JSONField()
    auto_link_probability = models.FloatField(
        default=0.95, help_text="At or above this match probability records are linked"
    )
    review_probability = models.FloatField(
        default=0.5, help_text="From this up to the link threshold pairs go to clerical review"
    )
    trained_on_records = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField(default=clock.now)
    trained_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="linkage_one_active_model",
            ),
            models.CheckConstraint(
                condition=models.Q(review_probability__lte=models.F("auto_link_probability")),
                name="linkage_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Linkage model v{self.version}"


class Identity(BaseModel):
    """One real person, as far as linkage can tell: the records of them that agencies hold."""

    reference = models.CharField(max_length=20, unique=True)

    class Meta:
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return self.reference


class LinkedBy(models.TextChoices):
    MODEL = "model", "Linkage model"
    CLERICAL = "clerical", "Clerical review"
    ALONE = "alone", "No match found"


class IdentityLink(BaseModel):
    """Which identity an agency's record of a person belongs to."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity_link")
    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="links")
    linked_by = models.CharField(max_length=10, choices=LinkedBy.choices)
    match_probability = models.FloatField(
        null=True, blank=True, help_text="The strongest link that joined the record"
    )
    model = models.ForeignKey(
        LinkageModel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["identity"], name="identity_link_identity_idx")]


class PairStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    CONFIRMED = "confirmed", "Same person"
    REJECTED = "rejected", "Not the same person"


class CandidatePair(BaseModel):
    """Two records the model is unsure about, waiting for (or decided by) a practitioner.

    ``comparisons`` says how each comparison contributed, in labels and weights only (never the
    values compared): ``[{"comparison": "Date of birth", "level": "Exact match", "weight": 6.1}]``.
    ``person_a`` is always the record with the lower id, so a pair is stored once.
    """

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    comparisons = models.JSONField(default=list)
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="candidates")
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING)
    queued_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(blank=True, default="")
    # The last time a decision on the pair was reopened (the ledger keeps every time).
    reopened_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = EncryptedTextField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "queued_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_unique"),
            models.CheckConstraint(
                condition=~models.Q(person_a=models.F("person_b")), name="candidate_pair_distinct"
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"], name="candidate_status_idx")]


class LinkageRun(BaseModel):
    """One run of ``safeshare link``: a full relink or an incremental one for new records."""

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "New records only"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="runs")
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    records = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveIntegerField(default=0)
    # Records in an identity with at least one other record, once the run is done.
    links_made = models.PositiveIntegerField(default=0)
    sent_to_review = models.PositiveIntegerField(default=0)
    identities = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class SearchEntry(BaseModel):
    """A person's identifying features for identity search, encrypted (JSON once decrypted)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="search_entry")
    identity = models.ForeignKey(
        Identity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    features = EncryptedTextField()


class SearchKey(models.Model):
    """A blocking key of a search entry, as a keyed hash: equal keys find candidates, and the
    table says nothing about the values they came from."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=32)

    class Meta:
        # (key, entry): a search reads the entries of its keys from the index alone.
        indexes = [models.Index(fields=["key", "entry"], name="search_key_idx")]
        constraints = [models.UniqueConstraint(fields=["entry", "key"], name="search_key_unique")]

    def __str__(self) -> str:
        return "Search key"
