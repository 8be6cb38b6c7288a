"""Linkage writes: train a model version, link records into identities, decide review pairs.

The engine (``engine.py``) does the statistics on an Arrow table; these services read the
``Person`` rows into it, write identities, links and review pairs back, and record every link
decision in the ledger in the same transaction.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from safeshare.agencies.models import Agency, Practitioner
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append, ledger_append_many
from safeshare.linkage.engine import (
    LinkageEngine,
    Progress,
    cluster,
    features_table,
    no_progress,
)
from safeshare.linkage.exceptions import (
    LinkAlreadyDecided,
    LinkDecisionInvalid,
    NotEnoughRecords,
)
from safeshare.linkage.features import Features, clean_name, make_features
from safeshare.linkage.models import (
    CandidatePair,
    Identity,
    IdentityLink,
    LinkageModel,
    LinkageRun,
    LinkedBy,
    PairStatus,
    SearchEntry,
)
from safeshare.linkage.scoring import export_weights, score
from safeshare.linkage.selectors import linkage_model_in_use
from safeshare.people.models import DobPrecision, NameKind, Person, Sex

_SEX_CODES = {Sex.FEMALE: "F", Sex.MALE: "M"}
_PREVIOUS_NAME_KINDS = (NameKind.PREVIOUS, NameKind.BIRTH)
REASON_MIN_LENGTH = 10


# --- reading people into the engine --------------------------------------------------------------


def _previous_family_name(person: Person) -> str | None:
    """The family name the person had most recently before this one: of the recorded previous
    and birth names with a family name other than the current one, the last used (a previous
    name before a birth name, then the latest ``used_to``, ``used_from``, then the last entered).
    Reads ``other_names`` (prefetch it)."""
    current = clean_name(person.family_name)
    names = [
        name
        for name in person.other_names.all()
        if name.kind in _PREVIOUS_NAME_KINDS and clean_name(name.family_name) not in (None, current)
    ]
    if not names:
        return None
    latest = max(
        names,
        key=lambda n: (
            n.kind == NameKind.PREVIOUS,
            n.used_to or date.min,
            n.used_from or date.min,
            n.created_at,
        ),
    )
    return latest.family_name


def person_features(person: Person) -> Features:
    """What linkage compares for one agency's record (addresses and other names prefetched)."""
    exact_dob = person.dob_precision in (DobPrecision.EXACT, DobPrecision.ESTIMATED)
    current = [a for a in person.addresses.all() if a.lived_to is None and not a.is_protected]
    postcode = current[0].postcode if current else None
    features = make_features(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth if exact_dob else None,
        sex=_SEX_CODES.get(Sex(person.sex)),
        postcode=postcode,
        nhs_number=person.nhs_number,
        previous_family_name=_previous_family_name(person),
    )
    if not exact_dob and person.date_of_birth and person.dob_precision != DobPrecision.UNKNOWN:
        features["birth_year"] = person.date_of_birth.year
    return features


def _linkable_people() -> Any:
    return Person.objects.filter(is_unborn=False).prefetch_related("addresses", "other_names")


def _records(
    people: Iterable[Person], *, total: int, progress: Progress
) -> tuple[Any, dict[str, str]]:
    rows: list[tuple[str, str, Features]] = []
    agency_of: dict[str, str] = {}
    progress("Reading records", 0, total)
    for person in people:
        key = str(person.pk)
        agency_of[key] = str(person.agency_id)
        rows.append((key, agency_of[key], person_features(person)))
        if len(rows) % 1000 == 0:
            progress("Reading records", len(rows), max(total, len(rows)))
    progress("Reading records", len(rows), len(rows))
    return features_table(rows), agency_of


# --- model versions ------------------------------------------------------------------------------


def linkage_model_train(
    *,
    actor: Practitioner | None,
    auto_link_probability: float = 0.95,
    review_probability: float = 0.5,
    activate: bool = True,
    progress: Progress = no_progress,
) -> LinkageModel:
    """Train a new model version on every linkable record, store it and (by default) use it."""

    if not 0 < review_probability <= auto_link_probability < 1:
        raise LinkDecisionInvalid(
            "The review threshold must be above 0 and at most the link threshold, "
            "which must be below 1"
        )
    linkable = _linkable_people()
    table, _ = _records(
        linkable.iterator(chunk_size=2000), total=linkable.count(), progress=progress
    )
    if len(table) < 2:
        raise NotEnoughRecords("There are not enough records to train a linkage model")
    engine = LinkageEngine(table)
    try:
        trained = engine.train(progress=progress)
    finally:
        engine.close()
    with transaction.atomic():
        latest = LinkageModel.objects.order_by("-version").values_list("version", flat=True)
        version = (latest.first() or 0) + 1
        if activate:
            LinkageModel.objects.filter(is_active=True).update(is_active=False)
        model = LinkageModel.objects.create(
            version=version,
            splink_model=trained.splink_model,
            weights=export_weights(trained.splink_model, trained.term_frequencies),
            auto_link_probability=auto_link_probability,
            review_probability=review_probability,
            trained_on_records=trained.records,
            trained_by=actor,
            is_active=activate,
        )
        ledger_append(
            event=Event.LINKAGE_MODEL_TRAINED,
            actor=actor,
            obj=model,
            details={"version": version, "records": trained.records, "active": activate},
        )
    return model


@transaction.atomic
def linkage_model_activate(*, actor: Practitioner | None, model: LinkageModel) -> LinkageModel:
    LinkageModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    model.is_active = True
    model.touch()
    model.save(update_fields=["is_active", "updated_at"])
    ledger_append(
        event=Event.LINKAGE_MODEL_ACTIVATED,
        actor=actor,
        obj=model,
        details={"version": model.version},
    )
    return model


# --- linking -------------------------------------------------------------------------------------


def _new_reference() -> str:
    return f"ID-{secrets.token_hex(4).upper()}"


def _decided_pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    confirmed: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    decided = CandidatePair.objects.exclude(status=PairStatus.PENDING).values_list(
        "person_a_id", "person_b_id", "status"
    )
    for a, b, status in decided:
        (confirmed if status == PairStatus.CONFIRMED else rejected).append((str(a), str(b)))
    return confirmed, rejected


def linkage_run(
    *,
    actor: Practitioner | None,
    incremental: bool = False,
    progress: Progress = no_progress,
) -> LinkageRun:
    """Link records into identities with the active model.

    A full run rescores every record; an incremental run scores only records not yet linked,
    against everything (no retraining). Pairs at or above the model's link threshold join;
    pairs between the two thresholds that end up apart go to clerical review. Practitioners'
    decisions on review pairs always win over the model.
    """
    model = linkage_model_in_use()
    people = list(_linkable_people())
    linked = dict(IdentityLink.objects.values_list("person_id", "identity_id"))
    new_ids = {str(p.pk) for p in people if p.pk not in linked}
    table, agency_of = _records(people, total=len(people), progress=progress)
    run = LinkageRun(
        kind=LinkageRun.Kind.INCREMENTAL if incremental else LinkageRun.Kind.FULL,
        model=model,
        started_by=actor,
        records=len(new_ids) if incremental else len(people),
    )
    confirmed, rejected = _decided_pairs()
    engine = LinkageEngine(table)
    try:
        if incremental:
            pairs = engine.predict_new(
                model.splink_model,
                new_ids=sorted(new_ids),
                threshold=model.review_probability,
                progress=progress,
            )
            by_identity: dict[uuid.UUID, list[str]] = {}
            for person_id, identity_id in linked.items():
                by_identity.setdefault(identity_id, []).append(str(person_id))
            confirmed += [
                (members[0], other) for members in by_identity.values() for other in members[1:]
            ]
        else:
            pairs = engine.predict(
                model.splink_model, threshold=model.review_probability, progress=progress
            )
    finally:
        engine.close()
    scored = list(
        zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            pairs.column("match_weight").to_pylist(),
            strict=True,
        )
    )
    progress("Clustering", 0, 0)
    clusters = cluster(
        agency_of.keys(),
        ((a, b, p) for a, b, p, _ in scored),
        threshold=model.auto_link_probability,
        confirmed=confirmed,
        rejected=rejected,
        agency_of=agency_of,
    )
    run.pairs_scored = len(scored)
    _write_links(run=run, actor=actor, clusters=clusters, scored=scored, progress=progress)
    _refresh_search_index(progress=progress)
    return run


def _refresh_search_index(*, progress: Progress) -> None:
    """Identity search finds what linkage has seen: records new to the index or changed since
    they were indexed (the run itself has already moved entries to their new identities)."""
    from safeshare.linkage.search import search_index_update

    indexed_at = F("search_entry__updated_at")
    stale = (
        Person.objects.filter(is_unborn=False)
        .filter(
            Q(search_entry__isnull=True)
            | Q(updated_at__gt=indexed_at)
            | Q(addresses__updated_at__gt=indexed_at)
            | Q(other_names__updated_at__gt=indexed_at)
        )
        .distinct()
    )
    search_index_update(
        persons=stale.order_by("pk"),
        progress=lambda done, total: progress("Updating the search index", done, total),
    )


def _best_probability(
    scored: list[tuple[str, str, float, float]], clusters: dict[str, str]
) -> dict[str, float]:
    best: dict[str, float] = {}
    for a, b, p, _ in scored:
        if clusters[a] == clusters[b]:
            best[a] = max(best.get(a, 0.0), p)
            best[b] = max(best.get(b, 0.0), p)
    return best


@transaction.atomic
def _write_links(
    *,
    run: LinkageRun,
    actor: Practitioner | None,
    clusters: dict[str, str],
    scored: list[tuple[str, str, float, float]],
    progress: Progress,
) -> None:
    model = run.model
    existing = {
        str(link.person_id): link for link in IdentityLink.objects.select_for_update().all()
    }
    clerical = {
        p
        for pair in CandidatePair.objects.filter(status=PairStatus.CONFIRMED).values_list(
            "person_a_id", "person_b_id"
        )
        for p in map(str, pair)
    }
    best = _best_probability(scored, clusters)
    members: dict[str, list[str]] = {}
    for record, root in clusters.items():
        members.setdefault(root, []).append(record)

    # Keep identities stable: a cluster keeps the identity most of its records already had.
    taken: set[uuid.UUID] = set()
    identity_of: dict[str, uuid.UUID] = {}
    new_identities: list[Identity] = []
    for records in members.values():
        votes = Counter(existing[r].identity_id for r in records if r in existing).most_common()
        chosen = next((ident for ident, _ in votes if ident not in taken), None)
        if chosen is None:
            identity = Identity(reference=_new_reference())
            new_identities.append(identity)
            chosen = identity.pk
        taken.add(chosen)
        for record in records:
            identity_of[record] = chosen
    Identity.objects.bulk_create(new_identities, batch_size=1000)

    now = clock.now()
    changed: list[IdentityLink] = []
    created: list[IdentityLink] = []
    for record, identity_id in identity_of.items():
        alone = len(members[clusters[record]]) == 1
        how = (
            LinkedBy.ALONE
            if alone
            else (LinkedBy.CLERICAL if record in clerical else LinkedBy.MODEL)
        )
        link = existing.get(record)
        if link is None:
            created.append(
                IdentityLink(
                    person_id=uuid.UUID(record),
                    identity_id=identity_id,
                    linked_by=how,
                    match_probability=best.get(record),
                    model=model,
                    linked_at=now,
                )
            )
        elif link.identity_id != identity_id or link.linked_by != how:
            link.identity_id = identity_id
            link.linked_by = how
            link.match_probability = best.get(record)
            link.model = model
            link.linked_at = now
            link.touch()
            changed.append(link)
    IdentityLink.objects.bulk_create(created, batch_size=1000)
    IdentityLink.objects.bulk_update(
        changed,
        ["identity", "linked_by", "match_probability", "model", "linked_at", "updated_at"],
        batch_size=1000,
    )
    progress(f"Wrote {len(created) + len(changed):,} links", 0, 0)
    touched = created + changed
    ledger_append_many(
        event=Event.IDENTITY_LINKED,
        actor=actor,
        subjects=[(Subject(person_id=link.person_id), link) for link in touched],
        details={"model_version": model.version},
    )
    people_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    for link in touched:
        people_of.setdefault(link.identity_id, []).append(link.person_id)
    for identity_id, person_ids in people_of.items():
        SearchEntry.objects.filter(person_id__in=person_ids).update(identity_id=identity_id)
    Identity.objects.exclude(links__isnull=False).delete()

    queued = _queue_for_review(
        actor=actor, model=model, clusters=clusters, scored=scored, progress=progress
    )
    run.links_made = sum(len(records) for records in members.values() if len(records) > 1)
    run.sent_to_review = queued
    run.identities = len(members)
    run.finished_at = clock.now()
    run.save()
    ledger_append(
        event=Event.LINKAGE_RUN_COMPLETED,
        actor=actor,
        obj=run,
        details={
            "kind": run.kind,
            "model_version": model.version,
            "records": run.records,
            "pairs_scored": run.pairs_scored,
            "links_made": run.links_made,
            "sent_to_review": queued,
            "identities": run.identities,
        },
    )


def _queue_for_review(
    *,
    actor: Practitioner | None,
    model: LinkageModel,
    clusters: dict[str, str],
    scored: list[tuple[str, str, float, float]],
    progress: Progress,
) -> int:
    """Pairs the model was unsure of that ended up apart, not already in the queue."""
    # One row per pair, whichever way round (and however often) the scoring listed it.
    by_pair: dict[tuple[str, str], tuple[str, str, float, float]] = {}
    for a, b, p, w in scored:
        if p < model.auto_link_probability and clusters[a] != clusters[b]:
            key = (min(a, b), max(a, b))
            if key not in by_pair or p > by_pair[key][2]:
                by_pair[key] = (*key, p, w)
    uncertain = list(by_pair.values())
    if not uncertain:
        return 0
    known = {
        (str(a), str(b))
        for a, b in CandidatePair.objects.filter(
            person_a_id__in={uuid.UUID(a) for a, _, _, _ in uncertain}
        ).values_list("person_a_id", "person_b_id")
    }
    fresh = [row for row in uncertain if (row[0], row[1]) not in known]
    people = Person.objects.prefetch_related("addresses", "other_names").in_bulk(
        {uuid.UUID(x) for a, b, _, _ in fresh for x in (a, b)}
    )
    pairs = [
        CandidatePair(
            person_a=people[uuid.UUID(a)],
            person_b=people[uuid.UUID(b)],
            match_probability=p,
            match_weight=w,
            comparisons=explain(
                person_features(people[uuid.UUID(a)]),
                person_features(people[uuid.UUID(b)]),
                model,
            ),
            model=model,
        )
        for a, b, p, w in fresh
    ]
    CandidatePair.objects.bulk_create(pairs, batch_size=500)
    ledger_append_many(
        event=Event.LINK_CANDIDATE_QUEUED,
        actor=actor,
        subjects=[(Subject(person_id=pair.person_a_id), pair) for pair in pairs],
        details={"model_version": model.version},
    )
    progress(f"Sent {len(pairs):,} pairs to clerical review", 0, 0)
    return len(pairs)


def explain(a: Features, b: Features, model: LinkageModel) -> list[dict[str, Any]]:
    """How each comparison contributed to a pair's score: labels and weights, never values."""
    result = score(a, b, model.weights)
    return [
        {"comparison": c.comparison, "level": c.level, "weight": round(c.weight, 2)}
        for c in result.comparisons
    ]


# --- clerical review -----------------------------------------------------------------------------


def _lock_pending(candidate: CandidatePair) -> CandidatePair:
    locked = CandidatePair.objects.select_for_update().get(pk=candidate.pk)
    if locked.status != PairStatus.PENDING:
        raise LinkAlreadyDecided()
    return locked


def _decide(
    *, actor: Practitioner, candidate: CandidatePair, status: PairStatus, reason: str
) -> CandidatePair:
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise LinkDecisionInvalid(
            "Say why you decided this, in at least 10 characters", field="reason"
        )
    locked = _lock_pending(candidate)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.reason = reason.strip()
    locked.touch()
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    return locked


def _link_of(person_id: uuid.UUID) -> IdentityLink:
    link = IdentityLink.objects.select_for_update().filter(person_id=person_id).first()
    if link is not None:
        return link
    identity = Identity.objects.create(reference=_new_reference())
    return IdentityLink.objects.create(
        person_id=person_id, identity=identity, linked_by=LinkedBy.ALONE
    )


def _move(
    links: Iterable[IdentityLink], *, to: Identity | uuid.UUID, how: LinkedBy
) -> list[IdentityLink]:
    identity_id = to.pk if isinstance(to, Identity) else to
    moved = []
    for link in links:
        link.identity_id = identity_id
        link.linked_by = how
        link.linked_at = clock.now()
        link.touch()
        link.save(update_fields=["identity", "linked_by", "linked_at", "updated_at"])
        SearchEntry.objects.filter(person_id=link.person_id).update(identity_id=identity_id)
        moved.append(link)
    return moved


@transaction.atomic
def candidate_confirm(
    *, actor: Practitioner, candidate: CandidatePair, reason: str
) -> CandidatePair:
    """The two records are the same person: their identities become one, for good."""
    decided = _decide(actor=actor, candidate=candidate, status=PairStatus.CONFIRMED, reason=reason)
    link_a, link_b = _link_of(decided.person_a_id), _link_of(decided.person_b_id)
    moved: list[IdentityLink] = [link_a]
    if link_a.identity_id != link_b.identity_id:
        old = link_b.identity_id
        moved += _move(
            IdentityLink.objects.select_for_update().filter(identity_id=old),
            to=link_a.identity_id,
            how=LinkedBy.CLERICAL,
        )
        Identity.objects.filter(pk=old).delete()
    _move([link_a], to=link_a.identity_id, how=LinkedBy.CLERICAL)
    ledger_append(
        event=Event.LINK_CONFIRMED,
        actor=actor,
        subject=Subject(person_id=decided.person_a_id),
        obj=decided,
        details={
            "person_b": str(decided.person_b_id),
            "identity": str(link_a.identity_id),
            "match_probability": f"{decided.match_probability:.4f}",
            "model_version": decided.model.version,
        },
    )
    ledger_append(
        event=Event.LINK_CONFIRMED,
        actor=actor,
        subject=Subject(person_id=decided.person_b_id),
        obj=decided,
        details={"person_a": str(decided.person_a_id), "identity": str(link_a.identity_id)},
    )
    return decided


@transaction.atomic
def candidate_reject(
    *, actor: Practitioner, candidate: CandidatePair, reason: str
) -> CandidatePair:
    """The two records are different people: they are kept apart from now on."""
    decided = _decide(actor=actor, candidate=candidate, status=PairStatus.REJECTED, reason=reason)
    link_a, link_b = _link_of(decided.person_a_id), _link_of(decided.person_b_id)
    if link_a.identity_id == link_b.identity_id:
        identity = Identity.objects.create(reference=_new_reference())
        _move([link_b], to=identity, how=LinkedBy.CLERICAL)
    for own, other in (
        (decided.person_a_id, decided.person_b_id),
        (decided.person_b_id, decided.person_a_id),
    ):
        ledger_append(
            event=Event.LINK_REJECTED,
            actor=actor,
            subject=Subject(person_id=own),
            obj=decided,
            details={"other_person": str(other), "model_version": decided.model.version},
        )
    return decided


def _requeue(pair: CandidatePair, *, actor: Practitioner, reason: str) -> list[str]:
    """Put ``pair`` back to waiting for a decision, saying who sent it back and why (not saved:
    the caller saves); the fields it changed."""
    pair.status = PairStatus.PENDING
    pair.decided_by = None
    pair.decided_at = None
    pair.reason = ""
    pair.reopened_by = actor
    pair.reopened_at = clock.now()
    pair.reopen_reason = reason.strip()
    pair.touch()
    return [
        "status",
        "decided_by",
        "decided_at",
        "reason",
        "reopened_by",
        "reopened_at",
        "reopen_reason",
        "updated_at",
    ]


@transaction.atomic
def candidate_reopen(
    *, actor: Practitioner, candidate: CandidatePair, reason: str
) -> CandidatePair:
    """Put a decided pair back in the queue (a decision found to be wrong). The identities stay
    as the decision left them until the pair is decided again, and meanwhile linkage runs treat
    the pair as undecided. The earlier decision stays in the ledger."""
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise LinkDecisionInvalid(
            "Say why the decision is being reopened, in at least 10 characters", field="reason"
        )
    locked = CandidatePair.objects.select_for_update().get(pk=candidate.pk)
    if locked.status == PairStatus.PENDING:
        raise LinkDecisionInvalid("This pair is waiting for a decision already")
    was = locked.status
    locked.save(update_fields=_requeue(locked, actor=actor, reason=reason))
    for own, other in (
        (locked.person_a_id, locked.person_b_id),
        (locked.person_b_id, locked.person_a_id),
    ):
        ledger_append(
            event=Event.LINK_DECISION_REOPENED,
            actor=actor,
            subject=Subject(person_id=own),
            obj=locked,
            details={"other_person": str(other), "was": was},
        )
    return locked


@transaction.atomic
def pointer_match_dispute(
    *, actor: Practitioner, person: Person, agency: Agency, reason: str
) -> list[CandidatePair]:
    """A practitioner says another agency's record linked to their child may be someone else:
    each such pair goes (back) to the clerical review queue for the MASH to decide, with the
    model's evidence. Nothing is unlinked until a reviewer decides."""
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise LinkDecisionInvalid(
            "Say why this may not be the same child, in at least 10 characters", field="reason"
        )
    link = IdentityLink.objects.filter(person=person).first()
    others = (
        list(
            Person.objects.filter(identity_link__identity_id=link.identity_id, agency=agency)
            .exclude(pk=person.pk)
            .prefetch_related("addresses", "other_names")
        )
        if link is not None
        else []
    )
    if not others:
        raise LinkDecisionInvalid("That agency holds no record linked to this child")
    model = linkage_model_in_use()
    ours = person_features(
        Person.objects.prefetch_related("addresses", "other_names").get(pk=person.pk)
    )
    disputed: list[CandidatePair] = []
    for other in others:
        first, second = sorted((person, other), key=lambda p: p.pk)
        pair = (
            CandidatePair.objects.select_for_update()
            .filter(person_a=first, person_b=second)
            .first()
        )
        if pair is None:
            theirs = person_features(other)
            scored = score(ours, theirs, model.weights)
            pair = CandidatePair(
                person_a=first,
                person_b=second,
                match_probability=scored.match_probability,
                match_weight=scored.match_weight,
                comparisons=explain(ours, theirs, model),
                model=model,
            )
        _requeue(pair, actor=actor, reason=reason)
        pair.queued_at = clock.now()
        pair.save()
        disputed.append(pair)
    ledger_append(
        event=Event.POINTER_MATCH_DISPUTED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        details={"agency": str(agency.pk), "pairs": [str(p.pk) for p in disputed]},
    )
    return disputed
