"""Sharing decision and consent routes, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import consents, decisions

urlpatterns: list[URLPattern] = [
    path("cases/<uuid:case_id>/decisions/", decisions.case_decisions_view, name="case-decisions"),
    path(
        "cases/<uuid:case_id>/decisions/new/",
        decisions.decision_start_view,
        name="decision-start",
    ),
    path(
        "cases/<uuid:case_id>/decisions/new/<slug:step>/",
        decisions.decision_step_view,
        name="decision-step",
    ),
    path("decisions/approvals/", decisions.approvals_view, name="approvals"),
    path("decisions/<uuid:decision_id>/", decisions.decision_detail_view, name="decision-detail"),
    path(
        "decisions/<uuid:decision_id>/recorded/",
        decisions.decision_recorded_view,
        name="decision-recorded",
    ),
    path(
        "decisions/<uuid:decision_id>/approval/",
        decisions.decision_approval_view,
        name="decision-approval",
    ),
    path(
        "decisions/<uuid:decision_id>/reconsider/",
        decisions.decision_reconsider_view,
        name="decision-reconsider",
    ),
    path("guidance/golden-rules/", decisions.golden_rules_view, name="golden-rules"),
    path("people/<uuid:person_id>/consents/", consents.consent_list_view, name="consent-list"),
    path(
        "people/<uuid:person_id>/consents/<slug:kind>/",
        consents.consent_record_view,
        name="consent-record",
    ),
    path(
        "consents/<uuid:consent_id>/withdraw/",
        consents.consent_withdraw_view,
        name="consent-withdraw",
    ),
]
