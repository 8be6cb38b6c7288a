"""Reads for people. Callers pass a queryset already scoped by access.scopes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safeshare.people.models import Person
from safeshare.people.nhs import InvalidNhsNumber, normalise_nhs_number


def person_detail_queryset() -> QuerySet[Person]:
    return Person.objects.select_related("agency").prefetch_related(
        "other_names", "addresses", "contacts"
    )


def person_search(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Filter ``people`` by NHS number (exact) or by any word in the current or other names."""
    query = query.strip()
    if not query:
        return people.none()
    try:
        return people.filter(nhs_number=normalise_nhs_number(query))
    except InvalidNhsNumber:
        pass
    condition = Q()
    for word in query.split():
        condition &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(other_names__given_name__icontains=word)
            | Q(other_names__family_name__icontains=word)
        )
    return people.filter(condition).distinct()
