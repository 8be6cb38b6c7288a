"""Identity search and the pointer index: the index's maintenance, the search, the pointers.

**The index.** Each ``Person`` has one ``SearchEntry``: its features (``features.make_features``)
for every variant of its details (current and previous or birth family names, each non-protected
address's postcode), as JSON sealed with AES-GCM, and its identity when linkage has linked it.
Its blocking keys (``search_keys``) are stored as keyed hashes in ``SearchKey``.

**A search** makes the query's features and keys, finds the entries sharing the most keys (one
indexed query, at most ``CANDIDATE_CAP`` entries), opens their features, scores every variant
with the active linkage model's exported weights (``scoring``), keeps each entry's best variant
and each identity's best entry (an entry without an identity stands alone), and ranks them.

What a searcher may see of each result is decided by ``safeshare.access`` (``fetch.
access_identity_search``); this module returns the matches and records the search in the ledger
(result identities and count, never the query).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.db import connections, router, transaction
from django.db.models import Count, F, QuerySet

from safeshare.agencies.models import Agency, Practitioner
from safeshare.core import keys as core_keys
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.linkage.exceptions import NoActiveLinkageModel, SearchQueryTooVague
from safeshare.linkage.features import Features, make_features
from safeshare.linkage.models import IdentityLink, LinkageModel, SearchEntry, SearchKey
from safeshare.linkage.scoring import ComparisonResult, Scorer
from safeshare.linkage.search_keys import blind, entry_keys, index_key, query_keys
from safeshare.people.models import Address, DobPrecision, NameKind, Person, PersonName

# At most this many entries are scored per search: those sharing the most keys with the query.
CANDIDATE_CAP: Final = 300
# At most this many variants (names x postcodes) of one person are indexed and scored.
MAX_VARIANTS: Final = 6
INDEX_BATCH: Final = 2000
_OTHER_NAME_KINDS: Final = (NameKind.PREVIOUS, NameKind.BIRTH)

Progress = Callable[[int, int], None]  # (people indexed so far, people to index)


# --- Keys of the blind index ----------------------------------------------------------------------

_secrets_lock = threading.Lock()
_secrets: dict[tuple[str, bytes], bytes] = {}


def _secret(key_id: str) -> bytes:
    ring = core_keys.keyring()
    cache_key = (key_id, ring.keys[key_id])
    found = _secrets.get(cache_key)
    if found is None:
        with _secrets_lock:
            found = _secrets.setdefault(cache_key, index_key(ring, key_id))
    return found


def _entry_secret() -> bytes:
    """New entries are hashed under the keyring's active key."""
    return _secret(core_keys.keyring().active_id)


def _query_secrets() -> list[bytes]:
    """Queries are hashed under every key, so entries indexed before a rotation are still found."""
    ring = core_keys.keyring()
    return [_secret(key_id) for key_id in sorted(ring.keys)]


# --- Building the index ---------------------------------------------------------------------------


def variants_of(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    sex: str,
    nhs_number: str,
    postcodes: Sequence[str],
    other_names: Sequence[tuple[str, str]] = (),
) -> list[Features]:
    """The features of each variant of a person's details: each name (current first, then
    previous and birth names) with each postcode (current first), at most ``MAX_VARIANTS``."""
    names: list[tuple[str, str]] = [(given_name, family_name)]
    for given, family in other_names:
        name = (given or given_name, family or family_name)
        if name not in names:
            names.append(name)
    unique_postcodes: list[str | None] = list(dict.fromkeys(code for code in postcodes if code))
    variants: list[Features] = []
    for given, family in names:
        for postcode in unique_postcodes or [None]:
            variants.append(
                make_features(
                    given_name=given,
                    family_name=family,
                    date_of_birth=date_of_birth,
                    sex=sex,
                    postcode=postcode,
                    nhs_number=nhs_number,
                )
            )
    return variants[:MAX_VARIANTS]


def _person_ids(persons: Iterable[Person] | QuerySet[Person]) -> list[uuid.UUID]:
    if isinstance(persons, QuerySet):
        return list(persons.values_list("pk", flat=True))
    return [person.pk for person in persons]


def _index_batch(ids: Sequence[uuid.UUID], secret: bytes, *, replace: bool) -> int:
    """Index one batch of people, reading plain values (a rebuild reads a million people)."""
    people = Person.objects.filter(pk__in=ids).values_list(
        "pk",
        "given_name",
        "family_name",
        "date_of_birth",
        "dob_precision",
        "sex",
        "nhs_number",
        "identity_link__identity_id",
    )
    postcodes: dict[uuid.UUID, list[str]] = {}
    addresses = (
        Address.objects.filter(person_id__in=ids, is_protected=False)
        .only("id", "person_id", "postcode")
        .order_by("person_id", "-lived_from")
    )
    for address in addresses:  # never a protected address: see the module doc
        postcodes.setdefault(address.person_id, []).append(address.postcode)
    other_names: dict[uuid.UUID, list[tuple[str, str]]] = {}
    names = PersonName.objects.filter(person_id__in=ids, kind__in=_OTHER_NAME_KINDS).values_list(
        "person_id", "given_name", "family_name"
    )
    for person_id, given, family in names:
        other_names.setdefault(person_id, []).append((given, family))
    if replace:
        SearchKey.objects.filter(entry__person_id__in=ids).delete()
        SearchEntry.objects.filter(person_id__in=ids).delete()
    entries: list[SearchEntry] = []
    keys: list[tuple[uuid.UUID, str]] = []
    for pk, given, family, born, precision, sex, nhs, identity_id in people:
        variants = variants_of(
            given_name=given,
            family_name=family,
            date_of_birth=born if precision == DobPrecision.EXACT else None,
            sex=sex,
            nhs_number=nhs,
            postcodes=postcodes.get(pk, []),
            other_names=other_names.get(pk, []),
        )
        entry = SearchEntry(
            person_id=pk,
            identity_id=identity_id,
            features=json.dumps(variants, separators=(",", ":")),
        )
        entries.append(entry)
        keys.extend((entry.pk, h) for h in blind(entry_keys(variants), secret))
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    _insert_keys(keys)
    return len(entries)


def _insert_keys(keys: Sequence[tuple[uuid.UUID, str]]) -> None:
    """Insert (entry id, hash) rows in one statement per batch: millions of rows at a rebuild,
    too many for a model instance each."""
    meta = SearchKey._meta
    entry_field = meta.get_field("entry")
    connection = connections[router.db_for_write(SearchKey)]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} "  # noqa: S608 - our names
        f"({connection.ops.quote_name(entry_field.column)}, {connection.ops.quote_name('key')}) "
        "VALUES (%s, %s)"
    )
    target = entry_field.target_field  # type: ignore[union-attr]
    rows = [(target.get_db_prep_value(pk, connection), key) for pk, key in keys]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


def search_index_update(
    *,
    persons: Iterable[Person] | QuerySet[Person],
    progress: Progress | None = None,
    replace: bool = True,
) -> int:
    """(Re)build the search entries and keys of ``persons``; returns how many were indexed.

    Index maintenance, called by linkage runs inside their own transaction (which records the
    run in the ledger): it appends no ledger entry of its own. ``replace=False`` skips removing
    existing entries (for an index known to be empty: a rebuild).
    """
    ids = _person_ids(persons)
    secret = _entry_secret()
    done = 0
    with transaction.atomic():
        for start in range(0, len(ids), INDEX_BATCH):
            done += _index_batch(ids[start : start + INDEX_BATCH], secret, replace=replace)
            if progress is not None:
                progress(done, len(ids))
    return done


@transaction.atomic
def search_index_rebuild(*, actor: Practitioner | None, progress: Progress | None = None) -> int:
    """Rebuild the whole index (after a key rotation, or to repair it): every person, hashed
    under the active key. One ledger entry for the rebuild."""
    SearchKey.objects.all().delete()
    SearchEntry.objects.all().delete()
    indexed = search_index_update(
        persons=Person.objects.order_by("pk"), progress=progress, replace=False
    )
    ledger_append(
        event=Event.SEARCH_INDEX_REBUILT,
        actor=actor,
        details={"people": indexed, "key_id": core_keys.keyring().active_id},
    )
    return indexed


# --- Searching ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdentityMatch:
    """One ranked result: an identity (or a record not linked to one) and how well it matches."""

    identity_id: uuid.UUID | None
    person_id: uuid.UUID  # the best-matching record
    agency_id: uuid.UUID  # who holds the best-matching record
    match_probability: float
    match_weight: float
    reasons: tuple[ComparisonResult, ...]
    postcode_district: str | None  # of the best-matching record's best variant

    @property
    def key(self) -> str:
        return str(self.identity_id or self.person_id)


_scorer_lock = threading.Lock()
_scorers: dict[tuple[uuid.UUID, str], Scorer] = {}


def active_model_scorer() -> Scorer:
    """The active model's scorer, built once per model version (the weights are read from the
    database only when the active model has changed)."""
    current = LinkageModel.objects.filter(is_active=True).values_list("pk", "updated_at").first()
    if current is None:
        raise NoActiveLinkageModel()
    cache_key = (current[0], current[1].isoformat())
    found = _scorers.get(cache_key)
    if found is None:
        weights = LinkageModel.objects.filter(pk=current[0]).values_list("weights", flat=True)
        with _scorer_lock:
            _scorers.clear()  # one model is active at a time
            found = _scorers.setdefault(cache_key, Scorer(weights.get()))
    return found


def query_features(
    *,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | str | None = None,
    postcode: str = "",
    nhs_number: str = "",
    sex: str = "",
) -> Features:
    """The query as features; refused when it could not find anyone reliably."""
    features = make_features(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        sex=sex,
        postcode=postcode,
        nhs_number=nhs_number,
    )
    named = features["given_name"] or features["family_name"]
    placed = features["dob"] or features["postcode"]
    if not features["nhs_number"] and not (named and placed):
        raise SearchQueryTooVague(
            "Enter an NHS number, or a name with a date of birth or a postcode",
            field="family_name",
        )
    return features


def _candidates(query: Features) -> list[SearchEntry]:
    hashes: list[str] = []
    keys = query_keys(query)
    for secret in _query_secrets():
        hashes.extend(blind(keys, secret))
    best_shared = (
        SearchKey.objects.filter(key__in=hashes)
        .values("entry_id")
        .annotate(shared=Count("id"))
        .order_by("-shared")
        .values("entry_id")[:CANDIDATE_CAP]
    )
    return list(
        SearchEntry.objects.filter(pk__in=best_shared)
        .annotate(holder_id=F("person__agency_id"))
        .only("id", "person_id", "identity_id", "features")
    )


def rank_candidates(
    query: Features, entries: Iterable[SearchEntry], scorer: Scorer, *, limit: int
) -> list[IdentityMatch]:
    """Score each entry's variants, keep the best per identity, best first."""
    best: dict[uuid.UUID, tuple[float, SearchEntry, dict[str, Any]]] = {}
    for entry in entries:
        variants: list[dict[str, Any]] = json.loads(entry.features)
        weight, variant = max(
            ((scorer.weight(query, v), v) for v in variants), key=lambda pair: pair[0]
        )
        group = entry.identity_id or entry.person_id
        held = best.get(group)
        if held is None or weight > held[0]:
            best[group] = (weight, entry, variant)
    ranked = sorted(best.values(), key=lambda item: item[0], reverse=True)[:limit]
    matches: list[IdentityMatch] = []
    for _, entry, variant in ranked:
        result = scorer.score(query, variant)
        matches.append(
            IdentityMatch(
                identity_id=entry.identity_id,
                person_id=entry.person_id,
                agency_id=entry.holder_id,  # type: ignore[attr-defined]
                match_probability=result.match_probability,
                match_weight=result.match_weight,
                reasons=result.comparisons,
                postcode_district=variant.get("postcode_district"),
            )
        )
    return matches


@transaction.atomic
def identity_search(
    *,
    actor: Practitioner,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | str | None = None,
    postcode: str = "",
    nhs_number: str = "",
    sex: str = "",
    limit: int = 10,
) -> list[IdentityMatch]:
    """Ranked identities matching the query, with their match probabilities and reasons.

    Records the search (a read of personal data) in the ledger: the identities found and how
    many, never what was searched for.
    """
    query = query_features(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
        nhs_number=nhs_number,
        sex=sex,
    )
    scorer = active_model_scorer()
    matches = rank_candidates(query, _candidates(query), scorer, limit=max(1, min(limit, 50)))
    ledger_append(
        event=Event.IDENTITY_SEARCHED,
        actor=actor,
        details={
            "results": len(matches),
            "identities": [str(m.identity_id) for m in matches if m.identity_id],
            "unlinked_records": [str(m.person_id) for m in matches if not m.identity_id],
        },
    )
    return matches


# --- The pointer index ----------------------------------------------------------------------------


def pointer_agencies(*, person: Person) -> list[Agency]:
    """Other agencies holding a record linked to the same identity as ``person`` (agencies only:
    never which record, never its content)."""
    link = IdentityLink.objects.filter(person=person).only("identity_id").first()
    if link is None:
        return []
    return list(
        Agency.objects.filter(people__identity_link__identity_id=link.identity_id)
        .exclude(pk=person.agency_id)
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True, slots=True)
class RequestPrefill:
    """What the "Ask another agency" request needs, from the asker's own record of the child."""

    receiving_agency_id: uuid.UUID
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: str
    postcode: str

    def child(self) -> dict[str, str]:
        return {
            "nhs_number": self.nhs_number,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "postcode": self.postcode,
        }


def _current_postcode(person: Person) -> str:
    for address in person.addresses.all():
        if address.is_current and not address.is_protected and address.postcode:
            return str(address.postcode)
    return ""


def request_prefill(*, person: Person, agency: Agency) -> RequestPrefill:
    """What a request to ``agency`` about ``person`` starts with: the child's identifying
    details as the asker's own agency records them (never the other agency's)."""
    born = person.date_of_birth if person.dob_precision == DobPrecision.EXACT else None
    return RequestPrefill(
        receiving_agency_id=agency.pk,
        nhs_number=person.nhs_number,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=born.isoformat() if born else "",
        postcode=_current_postcode(person),
    )


@transaction.atomic
def pointer_request_start(*, actor: Practitioner, person: Person, agency: Agency) -> RequestPrefill:
    """Turn a pointer into the start of a request to ``agency`` about ``person`` (the actor's own
    agency's record, already fetched through access). Records it in the ledger."""
    ledger_append(
        event=Event.POINTER_REQUEST_STARTED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        details={"agency": str(agency.pk)},
    )
    return request_prefill(person=person, agency=agency)
