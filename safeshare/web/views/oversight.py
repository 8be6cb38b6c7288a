"""Oversight of the ledger: who has seen a record, notifications of outside access, the review
queue of unusual access, and subject access request exports.

Thin views: parse, obtain records through ``safeshare.access`` (which records each read), one
selector or service, render.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_case_history,
    access_flagged_read,
    access_person_for_subject_access,
    access_person_history,
    record_access_review_read,
    record_notifications_read,
)
from safeshare.access.policy import has_capability
from safeshare.access.scopes import (
    access_reviews_visible_to,
    cases_held_by_agency_of,
    cases_notifying,
    people_held_by_agency_of,
    people_notifying,
    reads_reviewable_by,
)
from safeshare.cases.models import Case
from safeshare.core.exceptions import DomainError
from safeshare.oversight.sar import (
    SubjectAccessExport,
    export_csv,
    export_json,
    subject_access_export,
)
from safeshare.oversight.selectors import (
    DayCount,
    access_review_overview,
    entry_rows,
    flagged_read_of,
    flagged_rows,
    group_rows,
    notification_marker,
    notification_rows,
    notification_window_start,
    notifications_unread_count,
    outside_reads,
    record_access_choices,
    record_access_entries,
    record_access_groups,
    review_history,
    review_of,
    review_rows,
)
from safeshare.oversight.services import access_review_record, notifications_mark_seen
from safeshare.oversight.unusual import REASON_LABELS
from safeshare.people.models import Person
from safeshare.web.forms.oversight import (
    EACH,
    MarkSeenForm,
    RecordAccessFilterForm,
    ReviewFilterForm,
    ReviewForm,
)
from safeshare.web.views.base import actor_of, not_found, or_404, render_domain_error, requires

ENTRIES_PER_PAGE = 50
ROWS_PER_PAGE = 25

# ---------------------------------------------------------------------------------------------
# Who has seen or changed this record
# ---------------------------------------------------------------------------------------------


def _render_history(request: HttpRequest, record: Case | Person, **context: Any) -> HttpResponse:
    """The record's history, grouped by person, day and kind of access unless asked for every
    entry, narrowed by the filters (offering the people, agencies and kinds in what is shown of
    the record's history); a bad filter shows the error summary and the whole history."""
    shown = RecordAccessFilterForm(request.GET).shown()
    choices = record_access_choices(record=record, show=shown)
    form = RecordAccessFilterForm(request.GET, choices=choices)
    entries = record_access_entries(record=record, filters=form.filters())
    grouped = form.grouped()
    listed = record_access_groups(entries=entries) if grouped else entries
    page = Paginator(listed, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    listed_here = list(page.object_list)
    return render(
        request,
        "oversight/record_access.html",
        {
            "form": form,
            "page_obj": page,
            "grouped": grouped,
            "groups": (
                group_rows(groups=listed_here, agency_id=record.agency_id) if grouped else []
            ),
            "rows": [] if grouped else entry_rows(entries=listed_here, agency_id=record.agency_id),
            "group_query": _group_query(request),
            "may_export": has_capability(request.user, Capability.SAR_EXPORT),
            **context,
        },
    )


def _group_query(request: HttpRequest) -> str:
    """The query a group's link starts from: the filters shown, listing every entry; the link
    adds the group's person, day and kind."""
    query = request.GET.copy()
    for name in ("page", "view", "person", "date_from", "date_to", "kind"):
        query.pop(name, None)
    query["view"] = EACH
    return query.urlencode()


@requires(Capability.RECORD_ACCESS_VIEW)
def case_record_access_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Every ledger entry naming the case, newest first, grouped by person, day and kind of
    access (DSLs and information governance of the agency holding it; 404 for anyone else).
    Looking at it is a recorded read."""
    shown = RecordAccessFilterForm(request.GET).shown()
    case = or_404(access_case_history, actor_of(request), case_id, shown=shown)
    return _render_history(
        request,
        case,
        case=case,
        person=case.subject,
        back_url=reverse("web:case-detail", kwargs={"case_id": case.pk}),
        action=reverse("web:case-record-access", kwargs={"case_id": case.pk}),
    )


@requires(Capability.RECORD_ACCESS_VIEW)
def person_record_access_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Every ledger entry naming the person, their cases included, newest first, grouped like
    the case's."""
    shown = RecordAccessFilterForm(request.GET).shown()
    person = or_404(access_person_history, actor_of(request), person_id, shown=shown)
    return _render_history(
        request,
        person,
        case=None,
        person=person,
        back_url=reverse("web:person-detail", kwargs={"person_id": person.pk}),
        action=reverse("web:person-record-access", kwargs={"person_id": person.pk}),
    )


# ---------------------------------------------------------------------------------------------
# Notifications of access from outside the agency
# ---------------------------------------------------------------------------------------------


@requires(Capability.NOTIFICATION_VIEW)
def notifications_view(request: HttpRequest) -> HttpResponse:
    """Reads of the practitioner's cases (all the agency's for a DSL) by other agencies, newest
    first; the ones since they last marked them seen are tagged new."""
    actor = actor_of(request)
    cases, people = cases_notifying(actor), people_notifying(actor)
    entries = outside_reads(
        cases=cases, people=people, agency_id=actor.agency_id, since=notification_window_start()
    )
    page = Paginator(entries, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_notifications_read(
        actor=actor, records=[(e.subject_person_id, e.subject_case_id) for e in shown]
    )
    return render(
        request,
        "oversight/notifications.html",
        {
            "page_obj": page,
            "rows": notification_rows(
                entries=shown,
                marker=notification_marker(practitioner=actor),
                cases=cases,
                people=people,
            ),
            "unread": notifications_unread_count(practitioner=actor, cases=cases, people=people),
            "newest_id": max((e.id for e in shown), default=0) if page.number == 1 else 0,
        },
    )


@requires(Capability.NOTIFICATION_VIEW)
def notifications_seen_view(request: HttpRequest) -> HttpResponse:
    """POST: mark notifications seen up to the newest one the page showed."""
    if request.method != "POST":
        return redirect(reverse("web:notifications"))
    form = MarkSeenForm(request.POST)
    if form.is_valid():
        try:
            notifications_mark_seen(actor=actor_of(request), up_to=form.cleaned_data["up_to"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Notifications marked as seen")
    else:
        messages.error(request, "There was nothing to mark as seen")
    return redirect(reverse("web:notifications"))


# ---------------------------------------------------------------------------------------------
# The review queue of unusual access
# ---------------------------------------------------------------------------------------------

_CHART_HEIGHT = 120
_BAR_WIDTH = 16
_BAR_GAP = 4


def _chart(days: Sequence[DayCount]) -> dict[str, Any]:
    """Bar geometry for the server-rendered SVG of flagged reads per day (presentation only)."""
    top = max((day.flagged for day in days), default=0) or 1
    bars = []
    for index, day in enumerate(days):
        height = round(_CHART_HEIGHT * day.flagged / top)
        awaiting = round(_CHART_HEIGHT * day.awaiting / top)
        bars.append(
            {
                "day": day,
                "x": index * (_BAR_WIDTH + _BAR_GAP),
                "y": _CHART_HEIGHT - height,
                "height": height,
                "awaiting_y": _CHART_HEIGHT - awaiting,
                "awaiting_height": awaiting,
            }
        )
    return {
        "bars": bars,
        "width": max(len(days) * (_BAR_WIDTH + _BAR_GAP) - _BAR_GAP, 1),
        "height": _CHART_HEIGHT,
        "bar_width": _BAR_WIDTH,
        "top": top,
        "total": sum(day.flagged for day in days),
        "awaiting": sum(day.awaiting for day in days),
        "first": days[0].day if days else None,
        "last": days[-1].day if days else None,
    }


@requires(Capability.ACCESS_REVIEW)
def access_review_view(request: HttpRequest) -> HttpResponse:
    """Reads flagged by the unusual-access rules that the agency has not reviewed (or, with
    ``?show=reviewed``, the reviews made), with a chart of flagged reads per day."""
    actor = actor_of(request)
    form = ReviewFilterForm(request.GET)
    cases, people = cases_held_by_agency_of(actor), people_held_by_agency_of(actor)
    reviews = access_reviews_visible_to(actor)
    overview = access_review_overview(
        reads=reads_reviewable_by(actor), reviews=reviews, agency_id=actor.agency_id
    )
    page: Page[Any]
    if form.reviewed():
        page = Paginator(review_history(reviews=reviews), ROWS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        rows: Sequence[Any] = review_rows(
            reviews=list(page.object_list), cases=cases, people=people
        )
        shown = [row.flagged.read for row in rows]
    else:
        page = Paginator(overview.queue, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        rows = flagged_rows(flagged=list(page.object_list), cases=cases, people=people)
        shown = [row.read for row in rows]
    record_access_review_read(actor=actor, records=[(r.person_id, r.case_id) for r in shown])
    return render(
        request,
        "oversight/access_review.html",
        {
            "form": form,
            "reviewed": form.reviewed(),
            "page_obj": page,
            "rows": rows,
            "queue_length": len(overview.queue),
            "chart": _chart(overview.per_day),
            "reason_labels": list(REASON_LABELS.values()),
        },
    )


@requires(Capability.ACCESS_REVIEW)
def access_review_entry_view(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """One flagged read: why it was flagged, and the form to record the review."""
    actor = actor_of(request)
    entry = or_404(access_flagged_read, actor, entry_id)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            access_review_record(
                actor=actor,
                entry=entry,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Review recorded")
            return redirect(reverse("web:access-review"))
    flagged = flagged_read_of(entry=entry)
    rows = (
        flagged_rows(
            flagged=[flagged],
            cases=cases_held_by_agency_of(actor),
            people=people_held_by_agency_of(actor),
        )
        if flagged is not None
        else []
    )
    return render(
        request,
        "oversight/access_review_entry.html",
        {
            "entry": entry,
            "row": rows[0] if rows else None,
            "review": review_of(reviews=access_reviews_visible_to(actor), entry=entry),
            "form": form,
        },
    )


# ---------------------------------------------------------------------------------------------
# Subject access request export
# ---------------------------------------------------------------------------------------------

_DOWNLOADS: dict[str, tuple[Callable[[SubjectAccessExport], str], str]] = {
    "json": (export_json, "application/json"),
    "csv": (export_csv, "text/csv"),
}


@requires(Capability.SAR_EXPORT)
def subject_access_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """What was shared about the person, with whom, when and why: a printable page."""
    actor = actor_of(request)
    person = or_404(access_person_for_subject_access, actor, person_id, export_format="page")
    export = subject_access_export(person=person, produced_by=actor.agency)
    return render(request, "oversight/subject_access.html", {"person": person, "export": export})


@requires(Capability.SAR_EXPORT)
def subject_access_download_view(
    request: HttpRequest, person_id: uuid.UUID, export_format: str
) -> HttpResponse:
    """The same export as a JSON or CSV download (anything else: 404)."""
    if export_format not in _DOWNLOADS:
        not_found()
    write, content_type = _DOWNLOADS[export_format]
    actor = actor_of(request)
    person = or_404(access_person_for_subject_access, actor, person_id, export_format=export_format)
    export = subject_access_export(person=person, produced_by=actor.agency)
    response = HttpResponse(write(export), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{person.pk}.{export_format}"'
    )
    response["Cache-Control"] = "no-store"
    return response
