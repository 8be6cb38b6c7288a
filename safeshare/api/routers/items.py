"""One information item: read it (the read is recorded) or correct it (with a reason)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_item, access_person
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import responses
from safeshare.api.schemas.items import ItemOut, ItemUpdateIn
from safeshare.cases.models import InformationItem
from safeshare.cases.services import item_update

router = Router(tags=["items"])


@router.get("/items/{item_id}", response=responses(200, ItemOut), summary="Read an item")
@declares(Capability.ITEM_VIEW)
def item_get(request: HttpRequest, item_id: uuid.UUID) -> InformationItem:
    """One item with its content and source (ITEM_VIEW; 404 if not visible; read recorded)."""
    actor = authorised(request, Capability.ITEM_VIEW)
    return access_item(actor, item_id, need=Capability.ITEM_VIEW)


@router.put("/items/{item_id}", response=responses(200, ItemOut), summary="Correct an item")
@declares(Capability.ITEM_EDIT)
def item_put(request: HttpRequest, item_id: uuid.UUID, payload: ItemUpdateIn) -> InformationItem:
    """Replace an item's wording and tags; the previous version is kept with ``reason``.

    ITEM_EDIT; 404 if not visible; 409 if the case is closed; 422 without a reason.
    """
    actor = authorised(request, Capability.ITEM_EDIT)
    item = access_item(actor, item_id, need=Capability.ITEM_EDIT)
    about_id = payload.about_id
    about = (
        referenced("about_id", lambda: access_person(actor, about_id))
        if about_id is not None
        else None
    )
    return item_update(
        actor=actor,
        item=item,
        about=about,
        category=payload.category,
        summary=payload.summary,
        content=payload.content,
        fact_or_opinion=payload.fact_or_opinion,
        source=payload.source,
        how_known=payload.how_known,
        event_date=payload.event_date,
        special_category=payload.special_category,
        criminal_offence_data=payload.criminal_offence_data,
        is_confidential=payload.is_confidential,
        third_party_protected=payload.third_party_protected,
        reason=payload.reason,
    )
