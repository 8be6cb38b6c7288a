"""Information items. Lists carry the summary only; content and source come with one item."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import StrictBool

from safeshare.api.schemas.common import (
    InputSchema,
    IsoDate,
    PersonRefOut,
    PractitionerRefOut,
    Text200,
    Text500,
    Text1000,
    Text20000,
)
from safeshare.cases.models import FactOrOpinion, HowKnown
from safeshare.core.vocabulary import InformationCategory, SpecialCategory


class ItemIn(InputSchema):
    category: InformationCategory
    summary: Text200
    content: Text20000
    fact_or_opinion: FactOrOpinion
    source: Text500
    how_known: HowKnown
    event_date: IsoDate
    about_id: uuid.UUID | None = None
    special_category: SpecialCategory = SpecialCategory.NONE
    criminal_offence_data: StrictBool = False
    is_confidential: StrictBool = False
    third_party_protected: StrictBool = False


class ItemUpdateIn(ItemIn):
    """A correction: the whole item again, and why it is being changed (kept with the revision)."""

    reason: Text1000


class ItemSummaryOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    about: PersonRefOut | None
    category: InformationCategory
    summary: str
    fact_or_opinion: FactOrOpinion
    how_known: HowKnown
    event_date: dt.date
    recorded_by: PractitionerRefOut
    recorded_at: dt.datetime
    special_category: SpecialCategory
    criminal_offence_data: bool
    is_confidential: bool
    third_party_protected: bool
    version: int


class ItemOut(ItemSummaryOut):
    content: str
    source: str
