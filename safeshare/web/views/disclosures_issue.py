"""Issuing a disclosure under a recorded decision: choose the named recipient, select items and
addresses (none selected to begin with), mark redactions by the exact words, give reasons for
third-party content and protected addresses, set the expiry, preview as the recipient will see
it, check your answers, issue.

The answers are kept in the session, one dict per decision. The preview and the issue are built
by the same ``disclosure_assemble`` (through ``disclosure_preview`` and ``disclosure_issue``), so
every rule is checked on the preview too; what the domain refuses is shown in the error summary
with a link to the page that asked for it, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_address,
    access_case,
    access_decision,
    access_item,
    access_recipient,
    access_request,
    record_disclosure_preview,
    record_person_list_read,
)
from safeshare.access.scopes import case_addresses_visible_to, disclosure_recipients_for
from safeshare.agencies.models import Practitioner
from safeshare.cases.models import InformationItem
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.assembly import (
    AddressSelection,
    ItemSelection,
    check_decision_allows_sharing,
)
from safeshare.disclosures.exceptions import DisclosureInvalid
from safeshare.disclosures.render import render_disclosure
from safeshare.disclosures.selectors import (
    disclosure_preview,
    items_decision_allows,
    request_child_as_named,
)
from safeshare.disclosures.services import disclosure_issue
from safeshare.people.models import Address
from safeshare.web.forms.disclosures import (
    EmptyForm,
    ExpiryForm,
    ItemDetailsForm,
    RecipientForm,
    SelectionForm,
    expiry_moment,
    missing_phrases,
    redactions_for,
)
from safeshare.web.views.base import actor_of, not_found, or_404, render_domain_error, requires

_SESSION_PREFIX = "disclosure-wizard:"
STEPS = ("recipient", "information", "details", "expiry")
PREVIEW, CHECK = "preview", "check"
_TITLES = {
    "recipient": "Who will receive it?",
    "information": "What will you share?",
    "details": "Redactions and reasons",
    "expiry": "When must the recipient delete it?",
}
# The page that asks for what a refusal names.
_STEP_OF_FIELD = {
    "recipient": "recipient",
    "urgent_reason": "recipient",
    "items": "information",
    "addresses": "details",
    "inclusion_reason": "details",
    "redactions": "details",
    "expires_at": "expiry",
}


def _key(decision: SharingDecision) -> str:
    return f"{_SESSION_PREFIX}{decision.pk}"


def _state(request: HttpRequest, decision: SharingDecision) -> dict[str, Any]:
    state = request.session.get(_key(decision))
    return state if isinstance(state, dict) else {}


def _save(request: HttpRequest, decision: SharingDecision, state: dict[str, Any]) -> None:
    request.session[_key(decision)] = state


def _step_url(decision: SharingDecision, step: str, *, change: bool = False) -> str:
    url = reverse("web:disclosure-step", kwargs={"decision_id": decision.pk, "step": step})
    return f"{url}?change=1" if change else url


def _decision(actor: Practitioner, decision_id: uuid.UUID) -> SharingDecision:
    return or_404(access_decision, actor, decision_id, need=Capability.DISCLOSURE_ISSUE)


def _item_label(item: InformationItem) -> str:
    protected = " (holds third-party or informant content)" if item.third_party_protected else ""
    return (
        f"{item.event_date:%-d %B %Y}, {item.get_category_display()}, "
        f"{item.get_fact_or_opinion_display().lower()}: {item.summary}{protected}"
    )


def _address_label(address: Address) -> str:
    protected = " (protected address)" if address.is_protected else ""
    return f"{address.person.display_name}: {address.lines}, {address.postcode}{protected}"


def _case_items(actor: Practitioner, decision: SharingDecision) -> list[InformationItem]:
    case = access_case(actor, decision.case_id, need=Capability.DISCLOSURE_ISSUE)
    return list(items_decision_allows(case=case, decision=decision))


def _addresses(actor: Practitioner, decision: SharingDecision) -> list[Address]:
    return list(case_addresses_visible_to(actor, decision.case))


def _shown(actor: Practitioner, addresses: list[Address]) -> list[Address]:
    """Addresses about to be shown: each person whose address it is, a recorded read."""
    people = {address.person_id: address.person for address in addresses}
    record_person_list_read(actor=actor, people=list(people.values()))
    return addresses


# --- Start ---------------------------------------------------------------------------------------


@requires(Capability.DISCLOSURE_ISSUE)
def disclosure_start_view(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """Start sharing under a decision (answering a request when ``?request=`` names one)."""
    actor = actor_of(request)
    decision = _decision(actor, decision_id)
    try:
        check_decision_allows_sharing(decision=decision, actor=actor)
    except DomainError as exc:
        return render(
            request, "disclosures/cannot_share.html", {"decision": decision, "reason": exc.message}
        )
    state = {"request": ""}
    if request.GET.get("request"):
        asked = or_404(
            access_request, actor, request.GET["request"], need=Capability.DISCLOSURE_ISSUE
        )
        # The answer goes to whoever asked, unless the sharer chooses someone else.
        state = {"request": str(asked.pk), "requester": str(asked.requested_by_id)}
    _save(request, decision, state)
    return redirect(_step_url(decision, STEPS[0]))


# --- Question pages ------------------------------------------------------------------------------


@requires(Capability.DISCLOSURE_ISSUE)
def disclosure_step_view(request: HttpRequest, decision_id: uuid.UUID, step: str) -> HttpResponse:
    actor = actor_of(request)
    decision = _decision(actor, decision_id)
    state = _state(request, decision)
    if step not in (*STEPS, PREVIEW, CHECK):
        not_found()
    if "request" not in state:
        return redirect(reverse("web:disclosure-start", kwargs={"decision_id": decision.pk}))
    wanted = STEPS if step in (PREVIEW, CHECK) else STEPS[: STEPS.index(step)]
    missing = next((s for s in wanted if s not in state.get("done", [])), None)
    if missing is not None:
        return redirect(_step_url(decision, missing))
    if step == PREVIEW:
        return _preview(request, actor, decision, state)
    if step == CHECK:
        return _check(request, actor, decision, state)
    change = request.GET.get("change") == "1"
    data = request.POST if request.method == "POST" else None
    form = _form(actor, decision, state, step, data)
    if form.is_valid():
        state.update(form.answers() if hasattr(form, "answers") else dict(form.cleaned_data))
        done = [s for s in state.get("done", []) if s != step]
        if step == "information":
            done = [s for s in done if s != "details"]  # a new selection needs its details again
        state["done"] = [*done, step]
        _save(request, decision, state)
        if change and step != "information":
            return redirect(_step_url(decision, CHECK))
        index = STEPS.index(step)
        following = STEPS[index + 1] if index + 1 < len(STEPS) else PREVIEW
        return redirect(_step_url(decision, following, change=change))
    index = STEPS.index(step)
    if change:
        back = _step_url(decision, CHECK)
    elif index:
        back = _step_url(decision, STEPS[index - 1])
    else:
        back = reverse("web:decision-detail", kwargs={"decision_id": decision.pk})
    return render(
        request,
        "disclosures/issue_step.html",
        {
            "form": form,
            "decision": decision,
            "case": decision.case,
            "back_url": back,
            "step": step,
            "title": _TITLES[step],
        },
    )


def _form(
    actor: Practitioner,
    decision: SharingDecision,
    state: dict[str, Any],
    step: str,
    data: Any,
) -> Any:
    if step == "recipient":
        recipients = [
            (str(p.pk), f"{p.full_name}, {p.job_title}, {p.agency.name}".replace(", ,", ","))
            for p in disclosure_recipients_for(actor, decision)
        ]
        initial = {k: state.get(k, "") for k in ("recipient", "urgent_reason")}
        if not initial["recipient"] and state.get("requester") in dict(recipients):
            initial["recipient"] = state["requester"]  # answering a request: preselected
        return RecipientForm(data, initial=initial, recipients=recipients)
    if step == "information":
        return _SelectionAnswers(
            data,
            initial={k: state.get(k, []) for k in ("items", "addresses")},
            items=[(str(i.pk), _item_label(i)) for i in _case_items(actor, decision)],
            addresses=[
                (str(a.pk), _address_label(a)) for a in _shown(actor, _addresses(actor, decision))
            ],
        )
    if step == "details":
        items, addresses = _selected(actor, decision, state)
        return ItemDetailsForm(
            data, initial=_details_initial(state), items=items, addresses=addresses
        )
    return ExpiryForm(data, initial={"expires_on": state.get("expires_on", "")})


class _SelectionAnswers(SelectionForm):
    def answers(self) -> dict[str, Any]:
        return {
            "items": list(self.cleaned_data.get("items", [])),
            "addresses": list(self.cleaned_data.get("addresses", [])),
        }


def _selected(
    actor: Practitioner, decision: SharingDecision, state: dict[str, Any]
) -> tuple[list[InformationItem], list[Address]]:
    """The selected items and addresses, in the order the case lists them."""
    items = [i for i in _case_items(actor, decision) if str(i.pk) in state.get("items", [])]
    addresses = [a for a in _addresses(actor, decision) if str(a.pk) in state.get("addresses", [])]
    return items, _shown(actor, addresses)


def _details_initial(state: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for key, answer in state.get("redactions", {}).items():
        initial[f"redact-{key}"] = answer.get("words", "")
        initial[f"reason-{key}"] = answer.get("reason", "")
        initial[f"include-{key}"] = answer.get("include", "")
        initial[f"withhold-source-{key}"] = bool(answer.get("withhold_source"))
    for key, reason in state.get("address_reasons", {}).items():
        initial[f"address-{key}"] = reason
    return initial


# --- Preview, check and issue --------------------------------------------------------------------


def _arguments(
    actor: Practitioner, decision: SharingDecision, state: dict[str, Any]
) -> dict[str, Any]:
    """The service's arguments from the answers, every record fetched through access_*."""
    items = []
    for item_id in state.get("items", []):
        item = access_item(actor, item_id, need=Capability.DISCLOSURE_ISSUE)
        answer = state.get("redactions", {}).get(item_id, {})
        words, reason = answer.get("words", ""), answer.get("reason", "")
        if missing_phrases(item, words):
            raise DisclosureInvalid(
                "An item has changed since you chose the words to redact: check them again",
                field="redactions",
            )
        withheld = bool(answer.get("withhold_source"))
        items.append(
            ItemSelection(
                item=item,
                summary_redactions=redactions_for(item.summary, words, reason),
                content_redactions=redactions_for(item.content, words, reason),
                inclusion_reason=answer.get("include", ""),
                # The same words come out of the source too, unless it is withheld whole.
                source_redactions=() if withheld else redactions_for(item.source, words, reason),
                source_withheld_reason=reason if withheld else "",
            )
        )
    addresses = [
        AddressSelection(
            address=access_address(actor, address_id),
            inclusion_reason=state.get("address_reasons", {}).get(address_id, ""),
        )
        for address_id in state.get("addresses", [])
    ]
    answering = state.get("request") or ""
    return {
        "actor": actor,
        "decision": decision,
        "recipient": access_recipient(actor, state.get("recipient")),
        "items": items,
        "addresses": addresses,
        "expires_at": expiry_moment(state.get("expires_on", "")),
        "urgent_reason": state.get("urgent_reason", ""),
        "request": access_request(actor, answering, need=Capability.DISCLOSURE_ISSUE)
        if answering
        else None,
    }


def _refused(form: EmptyForm, decision: SharingDecision, exc: DomainError | NotFound) -> str | None:
    """Show a refusal in the error summary; the page to go back to, if one asked for it."""
    if isinstance(exc, NotFound):
        form.add_error(None, "Something you selected is no longer available: choose again")
        return _step_url(decision, "information")
    render_domain_error(form, exc)
    step = _STEP_OF_FIELD.get(exc.field or "")
    return _step_url(decision, step, change=True) if step else None


def _preview(
    request: HttpRequest, actor: Practitioner, decision: SharingDecision, state: dict[str, Any]
) -> HttpResponse:
    """Exactly what the recipient will see: the same assembly and renderer as the real thing."""
    form = EmptyForm()
    html, fix_url = "", None
    try:
        arguments = _arguments(actor, decision, state)
        view = disclosure_preview(**arguments)
    except (DomainError, NotFound) as exc:
        fix_url = _refused(form, decision, exc)
    else:
        record_disclosure_preview(actor=actor, case=decision.case, purpose=decision.purpose)
        html = render_disclosure(view)
    return render(
        request,
        "disclosures/issue_preview.html",
        {
            "form": form,
            "decision": decision,
            "case": decision.case,
            "rendered": html,
            "fix_url": fix_url,
            "back_url": _step_url(decision, STEPS[-1]),
            "check_url": _step_url(decision, CHECK),
        },
    )


def _rows(
    actor: Practitioner, decision: SharingDecision, state: dict[str, Any]
) -> list[dict[str, Any]]:
    items, addresses = _selected(actor, decision, state)
    recipients = {str(p.pk): p for p in disclosure_recipients_for(actor, decision)}
    recipient = recipients.get(state.get("recipient", ""))
    redactions = state.get("redactions", {})
    item_lines = [
        _item_label(item)
        + (" (words redacted)" if redactions.get(str(item.pk), {}).get("words") else "")
        + (" (source withheld)" if redactions.get(str(item.pk), {}).get("withhold_source") else "")
        for item in items
    ]
    expiry = state.get("expires_on", "")
    rows: list[tuple[str, list[str], str]] = [
        (
            "Recipient",
            [f"{recipient.full_name}, {recipient.agency.name}"] if recipient else [],
            "recipient",
        ),
        ("Information items", item_lines, "information"),
        ("Addresses", [_address_label(a) for a in addresses], "information"),
        ("Redactions and reasons", _detail_lines(items, addresses, state), "details"),
        (
            "Delete by",
            [
                f"{dt.date.fromisoformat(expiry):%-d %B %Y}"
                if expiry
                else "As long as the agreement allows"
            ],
            "expiry",
        ),
    ]
    if state.get("urgent_reason"):
        rows.insert(1, ("Why urgently", [state["urgent_reason"]], "recipient"))
    return [
        {
            "key": key,
            "lines": lines,
            "action_href": _step_url(decision, step, change=True),
            "action_hidden": key.lower(),
        }
        for key, lines, step in rows
    ]


def _detail_lines(
    items: list[InformationItem], addresses: list[Address], state: dict[str, Any]
) -> list[str]:
    lines = []
    for number, item in enumerate(items, start=1):
        answer = state.get("redactions", {}).get(str(item.pk), {})
        if answer.get("words"):
            lines.append(f"Item {number}: redact '{answer['words']}' ({answer.get('reason', '')})")
        if answer.get("withhold_source"):
            lines.append(f"Item {number}: source withheld ({answer.get('reason', '')})")
        if answer.get("include"):
            lines.append(f"Item {number}: third-party content included: {answer['include']}")
    for address in addresses:
        reason = state.get("address_reasons", {}).get(str(address.pk), "")
        if reason:
            lines.append(f"{address.person.display_name}: protected address included: {reason}")
    return lines


def _check(
    request: HttpRequest, actor: Practitioner, decision: SharingDecision, state: dict[str, Any]
) -> HttpResponse:
    form = EmptyForm(request.POST if request.method == "POST" else None)
    fix_url = None
    if form.is_valid():
        try:
            disclosure = disclosure_issue(**_arguments(actor, decision, state))
        except (DomainError, NotFound) as exc:
            fix_url = _refused(form, decision, exc)
        else:
            request.session.pop(_key(decision), None)
            return redirect(
                reverse("web:disclosure-issued", kwargs={"disclosure_id": disclosure.pk})
            )
    answering_id = state.get("request") or ""
    answering = (
        or_404(access_request, actor, answering_id, need=Capability.DISCLOSURE_ISSUE)
        if answering_id
        else None
    )
    return render(
        request,
        "disclosures/issue_check.html",
        {
            "form": form,
            "decision": decision,
            "case": decision.case,
            "rows": _rows(actor, decision, state),
            "answering": answering,
            # The child the request asked about, beside the case's: a mismatch shows here.
            "answering_child": request_child_as_named(answering) if answering else "",
            "fix_url": fix_url,
            "preview_url": _step_url(decision, PREVIEW),
            "back_url": _step_url(decision, PREVIEW),
        },
    )
