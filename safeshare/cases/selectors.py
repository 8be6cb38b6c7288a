"""Reads for cases and items. Callers pass querysets already scoped by access.scopes."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from safeshare.cases.models import (
    Case,
    CaseAllocation,
    CaseStatus,
    InformationItem,
    InformationItemRevision,
    Involvement,
)
from safeshare.people.models import Person


def case_list(*, cases: QuerySet[Case], query: str = "", status: str = "") -> QuerySet[Case]:
    qs = cases.select_related("subject", "agency")
    if status:
        qs = qs.filter(status=status)
    query = query.strip()
    if query:
        condition = Q(reference__iexact=query)
        words = Q()
        for word in query.split():
            words &= Q(subject__given_name__icontains=word) | Q(
                subject__family_name__icontains=word
            )
        qs = qs.filter(condition | words)
    return qs.order_by("-opened_on", "reference")


def case_detail_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("agency", "subject").prefetch_related(
        Prefetch(
            "allocations",
            queryset=CaseAllocation.objects.select_related("practitioner").filter(
                ended_on__isnull=True
            ),
            to_attr="current_allocations",
        ),
        Prefetch(
            "involvements",
            queryset=Involvement.objects.select_related("person").order_by("relationship"),
        ),
    )


def case_items(*, case: Case) -> QuerySet[InformationItem]:
    """The case's items in date order (newest event first), for the case page and chronology."""
    return (
        InformationItem.objects.filter(case=case)
        .select_related("recorded_by", "about", "case__agency")
        .order_by("-event_date", "-recorded_at")
    )


def case_counts_by_status(*, cases: QuerySet[Case]) -> list[tuple[CaseStatus, int]]:
    """How many of ``cases`` are in each status, every status listed (zero included)."""
    rows = cases.order_by().values("status").annotate(count=Count("pk"))
    counted = {row["status"]: row["count"] for row in rows}
    return [(status, counted.get(status.value, 0)) for status in CaseStatus]


def cases_of_person(*, cases: QuerySet[Case], person: Person) -> QuerySet[Case]:
    """Those of ``cases`` in which ``person`` is the subject child or is involved."""
    appears_in = cases.filter(Q(subject=person) | Q(involvements__person=person)).distinct()
    return case_list(cases=appears_in)


def involvements_of_person(*, cases: QuerySet[Case], person: Person) -> QuerySet[Involvement]:
    """The person's involvements in those of ``cases`` (current first, then most recent)."""
    return (
        Involvement.objects.filter(person=person, case__in=cases.values("pk"))
        .select_related("case", "case__subject")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "case__reference")
    )


def case_involvements(*, case: Case) -> QuerySet[Involvement]:
    """Everyone involved in the case: current involvements first, then by relationship."""
    return (
        Involvement.objects.filter(case=case)
        .select_related("person")
        .order_by(F("ended_on").desc(nulls_first=True), "relationship", "person__family_name")
    )


def case_allocations(*, case: Case) -> QuerySet[CaseAllocation]:
    """Who is and was allocated to the case: current allocations first, then most recent."""
    return (
        CaseAllocation.objects.filter(case=case)
        .select_related("practitioner")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "practitioner__family_name")
    )


def item_revisions(*, item: InformationItem) -> QuerySet[InformationItemRevision]:
    """The earlier wordings of ``item``, newest first, each with who replaced it and why."""
    return (
        InformationItemRevision.objects.filter(item=item)
        .select_related("edited_by")
        .order_by("-version")
    )
