"""Consent pages: a person's consent records, recording consent given, refused or not sought,
and withdrawing consent (which raises a recall for everything shared on it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_consent, access_person
from safeshare.access.policy import can
from safeshare.access.scopes import agencies_visible_to, consents_visible_to
from safeshare.agencies.selectors import agency_list
from safeshare.consent.models import Consent
from safeshare.consent.selectors import consents_for_person, recalls_for_consent
from safeshare.consent.services import (
    consent_record_given,
    consent_record_not_sought,
    consent_record_refused,
)
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.decisions.services import consent_withdraw_with_recall
from safeshare.web.forms.consents import GIVEN, NOT_SOUGHT, REFUSED, ConsentForm, WithdrawForm
from safeshare.web.views.base import actor_of, not_found, or_404, render_domain_error, requires

_RECORDERS: dict[str, Callable[..., Consent]] = {
    GIVEN: consent_record_given,
    REFUSED: consent_record_refused,
    NOT_SOUGHT: consent_record_not_sought,
}
_TITLES = {
    GIVEN: "Record consent given",
    REFUSED: "Record consent refused",
    NOT_SOUGHT: "Record that consent was not sought",
}


def _list_url(person_id: uuid.UUID) -> str:
    return reverse("web:consent-list", kwargs={"person_id": person_id})


@requires(Capability.CONSENT_VIEW)
def consent_list_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    person = or_404(access_person, actor, person_id, need=Capability.CONSENT_VIEW)
    consents = consents_for_person(consents=consents_visible_to(actor), person=person)
    today = clock.today()
    rows = [(consent, consent.is_expired_on(today)) for consent in consents]
    return render(
        request,
        "consents/list.html",
        {
            "person": person,
            "rows": rows,
            "may_record": can(actor, Capability.CONSENT_RECORD, person),
            "kinds": list(_TITLES.items()),
        },
    )


@requires(Capability.CONSENT_RECORD)
def consent_record_view(request: HttpRequest, person_id: uuid.UUID, kind: str) -> HttpResponse:
    actor = actor_of(request)
    person = or_404(access_person, actor, person_id, need=Capability.CONSENT_RECORD)
    if kind not in _RECORDERS:
        not_found()
    agencies = list(agency_list(agencies=agencies_visible_to(actor), excluding=actor.agency))
    form = ConsentForm(
        request.POST if request.method == "POST" else None, kind=kind, agencies=agencies
    )
    if form.is_valid():
        try:
            _RECORDERS[kind](actor=actor, person=person, **form.service_arguments())
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Consent record saved")
            return redirect(_list_url(person.pk))
    return render(
        request,
        "consents/form.html",
        {"person": person, "form": form, "kind": kind, "title": _TITLES[kind]},
    )


@requires(Capability.CONSENT_RECORD)
def consent_withdraw_view(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    consent = or_404(access_consent, actor, consent_id, need=Capability.CONSENT_RECORD)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            consent_withdraw_with_recall(
                actor=actor, consent=consent, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            recalls = recalls_for_consent(consent=consent).count()
            messages.success(
                request,
                f"Consent withdrawn; {recalls} recall{'' if recalls == 1 else 's'} raised",
            )
            return redirect(_list_url(consent.person_id))
    return render(
        request,
        "consents/withdraw.html",
        {"consent": consent, "person": consent.person, "form": form},
    )
