""" "Your work" through the API: the filters of ``GET /inbox`` and one waiting item."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AwareDatetime, BeforeValidator

from safeshare.workday.inbox import WorkKind

_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T")


def _iso_date_time_only(value: Any) -> Any:
    """Accept an ISO 8601 date-time (its zone is checked next); refuse a number, which pydantic
    would otherwise read as seconds since 1970."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE_TIME.match(value):
        return value
    raise ValueError("Enter a date and time as YYYY-MM-DDTHH:MM with a time zone")


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_date_time_only)]


class InboxFilters(Schema):
    """Only some kinds of work (``?kind=request&kind=approval``), only work due before a time
    (with its time zone). Unknown kinds and naive times are refused with 422 naming the field."""

    kind: list[WorkKind] = Field(
        default_factory=list, description="Kinds of work to show; every kind when none"
    )
    due_before: IsoDateTime | None = Field(
        None, description="Only work due before this time (work without a due date is left out)"
    )


class WaitingWorkOut(Schema):
    kind: WorkKind
    kind_label: str
    title: str = Field(description="What is asked")
    child_name: str = Field(description="As the caller's agency knows the child; empty if none")
    asked_by: str = Field(description="Who asked (name and agency), when someone did")
    due_at: dt.datetime | None
    urgent: bool
    overdue: bool
    url: str = Field(description="The web page where the work is done")
    object_id: str


class InboxOut(Schema):
    count: int
    items: list[WaitingWorkOut]
