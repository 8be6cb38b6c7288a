"""Administration: agencies, information sharing agreements and practitioners.

Routes refuse roles that lack the capability with the 403 page; records come only through the
``access_*`` fetchers, so a record the actor may not see answers with the same 404 as a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeshare.access.administration import managed_allocations_of
from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_agency,
    access_agreement,
    access_practitioner,
    record_practitioner_list_read,
)
from safeshare.access.policy import (
    can,
    grantable_roles,
    has_capability,
    may_deactivate,
    may_reactivate,
    may_sign_agreement,
    removable_roles,
)
from safeshare.access.scopes import (
    agencies_visible_to,
    agreements_visible_to,
    practitioners_visible_to,
)
from safeshare.agencies.models import (
    AgreementStatus,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.agencies.selectors import agency_list as agency_list_of
from safeshare.agencies.selectors import agreement_list as agreement_list_of
from safeshare.agencies.selectors import practitioner_changes
from safeshare.agencies.selectors import practitioner_list as practitioner_list_of
from safeshare.agencies.services import (
    agency_create,
    agreement_create,
    agreement_set_status,
    agreement_sign,
    practitioner_create,
    totp_device_reset,
)
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.web.forms.admin_pages import (
    LAWFUL_BASIS_LABELS,
    AgencyForm,
    AgreementForm,
    AgreementStatusForm,
    AuthenticatorResetForm,
    PractitionerForm,
)
from safeshare.web.forms.base import GovukForm
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires

PER_PAGE = 50


def _labels(values: list[str], labels: dict[str, str]) -> list[str]:
    return [labels.get(value, value) for value in values]


# --- Agencies -------------------------------------------------------------------------------------


@require_GET
@requires(Capability.AGENCY_VIEW)
def agency_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context = {
        "agencies": agency_list_of(agencies=agencies_visible_to(actor)),
        "can_create": has_capability(actor, Capability.AGENCY_MANAGE),
    }
    return render(request, "admin_pages/agency_list.html", context)


@require_GET
@requires(Capability.AGENCY_VIEW)
def agency_detail(request: HttpRequest, agency_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    agency = or_404(access_agency, actor, agency_id)
    agreements = agreement_list_of(agreements=agreements_visible_to(actor).filter(parties=agency))
    return render(
        request, "admin_pages/agency_detail.html", {"agency": agency, "agreements": agreements}
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.AGENCY_MANAGE)
def agency_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = agency_create(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"{agency.name} has been added")
            return redirect("web:agency-detail", agency_id=agency.pk)
    return render(request, "admin_pages/agency_form.html", {"form": form})


# --- Information sharing agreements ---------------------------------------------------------------


@require_GET
@requires(Capability.AGREEMENT_VIEW)
def agreement_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    agreements = agreement_list_of(agreements=agreements_visible_to(actor))
    context = {
        "agreements": agreements,
        "today": clock.today(),
        "can_create": has_capability(actor, Capability.AGREEMENT_MANAGE),
    }
    return render(request, "admin_pages/agreement_list.html", context)


def _agreement_page(
    request: HttpRequest,
    actor: Practitioner,
    agreement: InformationSharingAgreement,
    *,
    sign_form: GovukForm | None = None,
    status_form: AgreementStatusForm | None = None,
) -> HttpResponse:
    signature_of = {signature.agency_id: signature for signature in agreement.signatures.all()}
    status_form = status_form or AgreementStatusForm()
    sign_form = sign_form or GovukForm()
    context: dict[str, Any] = {
        "agreement": agreement,
        "parties": [
            {"agency": party, "signature": signature_of.get(party.pk)}
            for party in agreement.parties.all()
        ],
        "purposes": _labels(agreement.purposes, dict(SharingPurpose.choices)),
        "data_categories": _labels(agreement.data_categories, dict(InformationCategory.choices)),
        "lawful_bases": _labels(agreement.lawful_bases, LAWFUL_BASIS_LABELS),
        "may_sign": may_sign_agreement(actor, agreement),
        "may_change_status": can(actor, Capability.AGREEMENT_MANAGE, agreement),
        "sign_form": sign_form,
        "status_form": status_form,
        "form_with_errors": sign_form if sign_form.errors else status_form,
        "today": clock.today(),
    }
    return render(request, "admin_pages/agreement_detail.html", context)


@require_GET
@requires(Capability.AGREEMENT_VIEW)
def agreement_detail(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    agreement = or_404(access_agreement, actor, agreement_id)
    return _agreement_page(request, actor, agreement)


@require_POST
@requires(Capability.AGREEMENT_MANAGE)
def agreement_sign_view(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    agreement = or_404(access_agreement, actor, agreement_id)
    try:
        agreement_sign(actor=actor, agreement=agreement)
    except DomainError as exc:
        form = GovukForm(data={})
        render_domain_error(form, exc)
        return _agreement_page(request, actor, agreement, sign_form=form)
    messages.success(request, f"You have signed {agreement.reference} for {actor.agency.name}")
    return redirect("web:agreement-detail", agreement_id=agreement.pk)


@require_POST
@requires(Capability.AGREEMENT_MANAGE)
def agreement_status_view(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    agreement = or_404(access_agreement, actor, agreement_id, need=Capability.AGREEMENT_MANAGE)
    form = AgreementStatusForm(request.POST)
    if form.is_valid():
        try:
            agreement_set_status(
                actor=actor,
                agreement=agreement,
                status=AgreementStatus(form.cleaned_data["status"]),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request, f"{agreement.reference} is now {agreement.get_status_display().lower()}"
            )
            return redirect("web:agreement-detail", agreement_id=agreement.pk)
    return _agreement_page(request, actor, agreement, status_form=form)


@require_http_methods(["GET", "POST"])
@requires(Capability.AGREEMENT_MANAGE)
def agreement_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = AgreementForm(request.POST or None, agencies=agencies_visible_to(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = agreement_create(
                actor=actor,
                owner=actor.agency,
                reference=data["reference"],
                title=data["title"],
                parties=list(data["parties"]),
                purposes=list(data["purposes"]),
                data_categories=list(data["data_categories"]),
                lawful_bases=list(data["lawful_bases"]),
                retention_days=data["retention_days"],
                start_date=data["start_date"],
                review_date=data["review_date"],
                end_date=data["end_date"],
                dpia_reference=data["dpia_reference"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"{agreement.reference} has been created as a draft")
            return redirect("web:agreement-detail", agreement_id=agreement.pk)
    return render(request, "admin_pages/agreement_form.html", {"form": form})


# --- Practitioners --------------------------------------------------------------------------------


@require_GET
@requires(Capability.PRACTITIONER_VIEW)
def practitioner_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    practitioners = practitioner_list_of(practitioners=practitioners_visible_to(actor))
    page = Paginator(practitioners, PER_PAGE).get_page(request.GET.get("page"))
    record_practitioner_list_read(actor=actor, practitioners=list(page))
    context = {
        "page_obj": page,
        "rows": [
            {"practitioner": p, "roles": [Role(code).label for code in p.role_codes()]}
            for p in page
        ],
        "can_create": has_capability(actor, Capability.PRACTITIONER_MANAGE),
    }
    return render(request, "admin_pages/practitioner_list.html", context)


@require_GET
@requires(Capability.PRACTITIONER_VIEW)
def practitioner_detail(request: HttpRequest, practitioner_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    practitioner = or_404(access_practitioner, actor, practitioner_id)
    can_manage = can(actor, Capability.PRACTITIONER_MANAGE, practitioner)
    removable = set(removable_roles(actor, practitioner))
    context = {
        "practitioner": practitioner,
        "roles": [
            {"code": code, "label": Role(code).label, "removable": Role(code) in removable}
            for code in practitioner.role_codes()
        ],
        "can_manage": can_manage,
        "allocations": managed_allocations_of(actor, practitioner) if can_manage else [],
        "changes": list(practitioner_changes(practitioner=practitioner)) if can_manage else [],
        "may_deactivate": may_deactivate(actor, practitioner),
        "may_reactivate": may_reactivate(actor, practitioner),
    }
    return render(request, "admin_pages/practitioner_detail.html", context)


def _practitioner_form(request: HttpRequest, actor: Practitioner) -> PractitionerForm:
    """System administrators choose the agency and may grant any role; agency administrators
    add to their own agency and may not make system administrators."""
    roles = [(role.value, role.label) for role in grantable_roles(actor)]
    agencies = (
        agencies_visible_to(actor) if has_capability(actor, Capability.AGENCY_MANAGE) else None
    )
    return PractitionerForm(request.POST or None, agencies=agencies, roles=roles)


@require_http_methods(["GET", "POST"])
@requires(Capability.PRACTITIONER_MANAGE)
def practitioner_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = _practitioner_form(request, actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practitioner = practitioner_create(
                actor=actor,
                agency=data.get("agency") or actor.agency,
                username=data["username"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                email=data["email"],
                job_title=data["job_title"],
                roles=[Role(code) for code in data["roles"]],
                password=data["password"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"{practitioner.full_name} has been added")
            return redirect("web:practitioner-detail", practitioner_id=practitioner.pk)
    return render(request, "admin_pages/practitioner_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires(Capability.PRACTITIONER_MANAGE)
def practitioner_reset_authenticator_view(
    request: HttpRequest, practitioner_id: uuid.UUID
) -> HttpResponse:
    """Remove a practitioner's authenticator app so that they set one up at their next sign-in."""
    actor = actor_of(request)
    practitioner = or_404(
        access_practitioner, actor, practitioner_id, need=Capability.PRACTITIONER_MANAGE
    )
    form = AuthenticatorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_device_reset(
                actor=actor, practitioner=practitioner, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"The authenticator app for {practitioner.full_name} has been reset; "
                "they will set up a new one when they next sign in",
            )
            return redirect("web:practitioner-detail", practitioner_id=practitioner.pk)
    context = {"practitioner": practitioner, "form": form}
    return render(request, "admin_pages/practitioner_reset_authenticator.html", context)
