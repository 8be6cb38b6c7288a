"""The application's routes plus ``POST /__bench__/insert``: one plain committed row, no ledger,
no authentication. Benchmark servers only (bench/settings_http.py); never in config.urls."""

from __future__ import annotations

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as app_patterns
from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.people.models import NameKind, PersonName

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@csrf_exempt
@require_POST
@declares(Capability.PUBLIC)
def plain_insert(request: HttpRequest) -> HttpResponse:
    person_id = json.loads(request.body)["person_id"]
    with transaction.atomic():
        row = PersonName.objects.create(
            person_id=person_id, kind=NameKind.ALIAS, given_name="Fakealias", family_name="Http"
        )
    return JsonResponse({"id": str(row.pk)}, status=201)


urlpatterns = [path("__bench__/insert", plain_insert), *app_patterns]
