"""Agencies and information sharing agreements: governance records every practitioner may read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.scopes import agencies_visible_to, agreements_visible_to
from safeshare.agencies.models import Agency, InformationSharingAgreement
from safeshare.agencies.selectors import agency_list, agreement_list
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.agencies import AgencyOut, AgreementOut

router = Router(tags=["agencies"])


@router.get("/agencies", response=responses(200, list[AgencyOut]), summary="List agencies")
@declares(Capability.AGENCY_VIEW)
def agency_list_get(request: HttpRequest) -> QuerySet[Agency]:
    """The directory of agencies (AGENCY_VIEW: every active practitioner)."""
    actor = authorised(request, Capability.AGENCY_VIEW)
    return agency_list(agencies=agencies_visible_to(actor))


@router.get("/agreements", response=responses(200, list[AgreementOut]), summary="List agreements")
@declares(Capability.AGREEMENT_VIEW)
def agreement_list_get(request: HttpRequest) -> QuerySet[InformationSharingAgreement]:
    """Information sharing agreements, with parties and signatures (AGREEMENT_VIEW)."""
    actor = authorised(request, Capability.AGREEMENT_VIEW)
    return agreement_list(agreements=agreements_visible_to(actor))
