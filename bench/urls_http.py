"""The application's routes plus two bench-only yardsticks. Benchmark servers only
(bench/settings_http.py); never in config.urls.

- ``POST /__bench__/insert``: one plain committed row; no authentication, no ledger.
- ``POST /__bench__/api/insert``: the same row through django-ninja with the API's own
  authentication (bearer token, ``authorised``): what every API write pays before doing anything
  of its own. Still no access check, no ledger, nothing encrypted.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from ninja import NinjaAPI, Schema, Status

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as app_patterns
from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.api.auth import AUTH, authorised
from safeshare.people.models import NameKind, PersonName

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def _insert(person_id: str) -> PersonName:
    with transaction.atomic():
        return PersonName.objects.create(
            person_id=person_id, kind=NameKind.ALIAS, given_name="Fakealias", family_name="Http"
        )


@csrf_exempt
@require_POST
@declares(Capability.PUBLIC)
def plain_insert(request: HttpRequest) -> HttpResponse:
    row = _insert(json.loads(request.body)["person_id"])
    return JsonResponse({"id": str(row.pk)}, status=201)


class InsertIn(Schema):
    person_id: str


class InsertOut(Schema):
    id: str


bench_api = NinjaAPI(auth=AUTH, urls_namespace="bench-api", docs_url=None, openapi_url=None)


@bench_api.post("/insert", response={201: InsertOut})
@declares(Capability.SIGNED_IN)
def api_insert(request: HttpRequest, payload: InsertIn) -> Status[dict[str, str]]:
    authorised(request, Capability.SIGNED_IN)
    return Status(201, {"id": str(_insert(payload.person_id).pk)})


urlpatterns = [
    path("__bench__/insert", plain_insert),
    path("__bench__/api/", bench_api.urls),  # type: ignore[arg-type]
    *app_patterns,
]
