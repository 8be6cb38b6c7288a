"""Reads for cases and items. Callers pass querysets already scoped by access.scopes."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from safeshare.cases.models import Case, CaseAllocation, InformationItem, Involvement


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
