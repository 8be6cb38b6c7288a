"""Agency administration of one practitioner: remove a role, end a case allocation, deactivate,
reactivate. Each is a confirm page (what will happen, then why) whose form posts back to itself;
a refusal (no reason, their own account, the agency's last administrator) is shown in the error
summary and changes nothing. The routes do what ``safeshare.api.routers.agencies`` does, through
the same access functions and services.

Another agency's practitioner, an allocation that is not theirs or has ended, and a role the
administrator may not remove answer with the same 404 as a record that does not exist.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeshare.access.administration import (
    access_managed_allocation,
    access_managed_practitioner,
    managed_allocations_of,
)
from safeshare.access.capabilities import Capability
from safeshare.access.policy import grantable_roles, removable_roles
from safeshare.agencies.models import Practitioner, Role
from safeshare.agencies.services import (
    practitioner_deactivate,
    practitioner_reactivate,
    role_revoke,
)
from safeshare.cases.services import allocation_end
from safeshare.core.exceptions import DomainError
from safeshare.web.forms.agency_admin import (
    AllocationEndForm,
    DeactivationForm,
    ReactivationForm,
    RoleRemovalForm,
)
from safeshare.web.forms.base import GovukForm
from safeshare.web.views.base import (
    actor_of,
    not_found,
    or_404,
    posted,
    render_domain_error,
    requires,
)

TEMPLATE = "admin_pages/practitioner_change.html"


def _page(
    request: HttpRequest,
    practitioner: Practitioner,
    form: GovukForm,
    **context: object,
) -> HttpResponse:
    return render(request, TEMPLATE, {"practitioner": practitioner, "form": form, **context})


def _done(request: HttpRequest, practitioner: Practitioner, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("web:practitioner-detail", practitioner_id=practitioner.pk)


@require_http_methods(["GET", "POST"])
@requires(Capability.PRACTITIONER_MANAGE)
def role_remove_view(request: HttpRequest, practitioner_id: uuid.UUID, role: str) -> HttpResponse:
    actor = actor_of(request)
    practitioner = or_404(access_managed_practitioner, actor, practitioner_id)
    removable = {str(r): r for r in removable_roles(actor, practitioner)}
    if role not in removable:
        not_found()
    chosen = removable[role]
    form = RoleRemovalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            role_revoke(
                actor=actor,
                practitioner=practitioner,
                role=chosen,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            return _done(
                request,
                practitioner,
                f"{practitioner.full_name} no longer has the role {chosen.label}",
            )
    return _page(
        request,
        practitioner,
        form,
        title=f"Remove the role {chosen.label}",
        warning=(
            f"{practitioner.full_name} will lose what the role {chosen.label} lets them do, "
            "from their next page or API request."
        ),
        button="Remove role",
        danger=True,
        action=reverse(
            "web:practitioner-role-remove",
            kwargs={"practitioner_id": practitioner.pk, "role": chosen.value},
        ),
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.PRACTITIONER_MANAGE)
def allocation_end_view(
    request: HttpRequest, practitioner_id: uuid.UUID, allocation_id: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    practitioner = or_404(access_managed_practitioner, actor, practitioner_id)
    allocation = or_404(access_managed_allocation, actor, practitioner, allocation_id)
    form = AllocationEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            allocation_end(actor=actor, allocation=allocation, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            return _done(
                request,
                practitioner,
                f"{practitioner.full_name}'s allocation to case {allocation.case.reference} "
                "has ended",
            )
    return _page(
        request,
        practitioner,
        form,
        title=f"End the allocation to case {allocation.case.reference}",
        warning=(
            f"{practitioner.full_name} will no longer have a legitimate relationship to case "
            f"{allocation.case.reference}: they lose access to it unless their role sees every "
            "case of the agency. Make sure someone else holds the case."
        ),
        button="End allocation",
        danger=True,
        action=reverse(
            "web:practitioner-allocation-end",
            kwargs={"practitioner_id": practitioner.pk, "allocation_id": allocation.pk},
        ),
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.PRACTITIONER_MANAGE)
def deactivate_view(request: HttpRequest, practitioner_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    practitioner = or_404(access_managed_practitioner, actor, practitioner_id)
    form = DeactivationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            practitioner_deactivate(
                actor=actor,
                practitioner=practitioner,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            return _done(request, practitioner, f"{practitioner.full_name} has been deactivated")
    return _page(
        request,
        practitioner,
        form,
        title="Deactivate this practitioner",
        warning=(
            f"{practitioner.full_name} will be signed out everywhere at once, their API tokens "
            "will stop working and every role they hold will be removed. Work waiting for them "
            "goes to their team. Reactivating them later gives back only the roles you choose then."
        ),
        button="Deactivate",
        danger=True,
        action=reverse("web:practitioner-deactivate", kwargs={"practitioner_id": practitioner.pk}),
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.PRACTITIONER_MANAGE)
def reactivate_view(request: HttpRequest, practitioner_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    practitioner = or_404(access_managed_practitioner, actor, practitioner_id)
    # Only roles the administrator could give are offered (the same rule as the API's 403).
    choices = [(role.value, role.label) for role in grantable_roles(actor)]
    form = ReactivationForm(posted(request), roles=choices)
    if request.method == "POST" and form.is_valid():
        roles = [Role(code) for code in form.cleaned_data["roles"]]
        try:
            practitioner_reactivate(
                actor=actor,
                practitioner=practitioner,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                roles=roles,
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            return _done(request, practitioner, f"{practitioner.full_name} has been reactivated")
    return _page(
        request,
        practitioner,
        form,
        title="Reactivate this practitioner",
        warning=(
            f"{practitioner.full_name} will be able to sign in again with the authenticator app "
            "they had, and with only the roles you select below. Their old API tokens stay "
            "revoked."
        ),
        allocations=managed_allocations_of(actor, practitioner),
        button="Reactivate",
        action=reverse("web:practitioner-reactivate", kwargs={"practitioner_id": practitioner.pk}),
    )
