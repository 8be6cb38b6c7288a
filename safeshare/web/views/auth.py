"""Signing in (password, then a code from an authenticator app), signing out, and the lockout page.

django-axes counts failed passwords by username (``authenticate(request=...)``) and, after five,
answers every attempt for that username with ``locked_out`` for 15 minutes, whatever the address.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from safeshare.access.capabilities import Capability
from safeshare.agencies.models import Practitioner
from safeshare.agencies.selectors import confirmed_totp_device, practitioner_by_username
from safeshare.agencies.services import (
    sign_in_record,
    totp_device_confirm,
    totp_device_start,
    totp_verify,
)
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.ledger.events import Event
from safeshare.web.forms.auth import CODE_WRONG_ERROR, SIGN_IN_ERROR, SignInForm, TokenForm
from safeshare.web.middleware import SESSION_SEEN, SESSION_STARTED
from safeshare.web.views.base import actor_of, requires

SESSION_NEXT = "safeshare_next"
LOCKOUT_MINUTES = 15

_EXPIRED_NOTICES = {
    "idle": "You were signed out because you had not done anything for {idle} minutes",
    "absolute": "You were signed out because you had been signed in for {absolute} hours",
}


def safe_next(candidate: str | None) -> str | None:
    """``candidate`` if it is a path on this site (never another host or scheme), else None."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return None
    return candidate


def _verified(request: HttpRequest) -> bool:
    """Whether this session has passed the second factor (set by django-otp's middleware)."""
    check = getattr(request.user, "is_verified", None)
    return bool(request.user.is_authenticated and check is not None and check())


def _after_sign_in(request: HttpRequest) -> HttpResponse:
    target = safe_next(request.session.pop(SESSION_NEXT, None)) or reverse("web:dashboard")
    return redirect(target)


def _expired_notice(request: HttpRequest) -> str:
    template = _EXPIRED_NOTICES.get(request.GET.get("expired", ""), "")
    return template.format(
        idle=settings.SAFESHARE_SESSION_IDLE_SECONDS // 60,
        absolute=settings.SAFESHARE_SESSION_ABSOLUTE_SECONDS // 3600,
    )


@requires(Capability.PUBLIC)
def sign_in(request: HttpRequest) -> HttpResponse:
    if _verified(request):
        return redirect("web:dashboard")
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            practitioner = authenticate(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
            if practitioner is not None:
                login(request, practitioner)
                now = clock.now().timestamp()
                request.session[SESSION_STARTED] = now
                request.session[SESSION_SEEN] = now
                next_url = safe_next(form.cleaned_data["next"])
                if next_url:
                    request.session[SESSION_NEXT] = next_url
                if user_has_device(practitioner, confirmed=True):
                    return redirect("web:two-factor")
                return redirect("web:two-factor-setup")
            form.add_error(None, SIGN_IN_ERROR)
    else:
        form = SignInForm(initial={"next": safe_next(request.GET.get("next")) or ""})
    return render(
        request, "auth/sign_in.html", {"form": form, "expired_notice": _expired_notice(request)}
    )


@requires(Capability.PASSWORD_ONLY)
def two_factor(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    if _verified(request):
        return _after_sign_in(request)
    device = confirmed_totp_device(user)
    if device is None:
        return redirect("web:two-factor-setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_verify(actor=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once fully signed in
            sign_in_record(actor=user, event=Event.SIGNED_IN, details={"second_factor": "totp"})
            return _after_sign_in(request)
        form.add_error("token", CODE_WRONG_ERROR)
    return render(request, "auth/two_factor.html", {"form": form})


def _qr_code_svg(config_url: str) -> str:
    code = segno.make(config_url, error="m")
    svg: str = code.svg_inline(
        scale=4, title="QR code for your authenticator app", svgclass="app-qr-code"
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


@requires(Capability.PASSWORD_ONLY)
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    if _verified(request):
        return _after_sign_in(request)
    try:
        device = totp_device_start(actor=user)
    except DomainError:
        return redirect("web:two-factor")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(actor=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once fully signed in
            sign_in_record(
                actor=user,
                event=Event.SIGNED_IN,
                details={"second_factor": "totp", "enrolled": "true"},
            )
            messages.success(request, "Your authenticator app is set up")
            return _after_sign_in(request)
        form.add_error("token", CODE_WRONG_ERROR)
    context: dict[str, Any] = {
        "form": form,
        "qr_code": _qr_code_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode("ascii"),
    }
    response = render(request, "auth/two_factor_setup.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires(Capability.PASSWORD_ONLY)
def sign_out(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, Practitioner):
        sign_in_record(actor=user, event=Event.SIGNED_OUT, details={})
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("web:sign-in")


def locked_out(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the page for a username with too many failures.

    Says nothing about whether the username exists; records the lockout in the ledger when it does.
    """
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    practitioner = practitioner_by_username(username)
    if practitioner is not None:
        sign_in_record(
            actor=practitioner,
            event=Event.LOCKED_OUT,
            details={"minutes": str(LOCKOUT_MINUTES)},
        )
    return render(request, "errors/429.html", {"minutes": LOCKOUT_MINUTES}, status=429)
