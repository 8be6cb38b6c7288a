"""Information request and disclosure routes, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import (
    chronology,
    disclosures,
    disclosures_after,
    disclosures_issue,
    requests,
)

urlpatterns: list[URLPattern] = [
    # Requests
    path("requests/", requests.requests_inbox_view, name="requests-inbox"),
    path("requests/sent/", requests.requests_sent_view, name="requests-sent"),
    path("requests/new/", requests.request_start_view, name="request-start"),
    path("requests/new/<slug:step>/", requests.request_step_view, name="request-step"),
    path("requests/<uuid:request_id>/", requests.request_detail_view, name="request-detail"),
    path("requests/<uuid:request_id>/sent/", requests.request_sent_view, name="request-sent"),
    path("requests/<uuid:request_id>/refuse/", requests.request_refuse_view, name="request-refuse"),
    path(
        "requests/<uuid:request_id>/withdraw/",
        requests.request_withdraw_view,
        name="request-withdraw",
    ),
    path(
        "requests/<uuid:request_id>/reconsider/",
        requests.request_reconsider_view,
        name="request-reconsider",
    ),
    # Issuing
    path(
        "decisions/<uuid:decision_id>/share/",
        disclosures_issue.disclosure_start_view,
        name="disclosure-start",
    ),
    path(
        "decisions/<uuid:decision_id>/share/<slug:step>/",
        disclosures_issue.disclosure_step_view,
        name="disclosure-step",
    ),
    # Lists
    path("disclosures/", disclosures.shared_with_me_view, name="disclosures"),
    path(
        "disclosures/awaiting-acknowledgement/",
        disclosures.awaiting_acknowledgement_view,
        name="disclosures-awaiting-acknowledgement",
    ),
    path(
        "disclosures/shared-by-us/",
        disclosures.shared_by_us_view,
        name="disclosures-shared-by-us",
    ),
    path(
        "disclosures/outside-agreement/",
        disclosures.outside_agreement_view,
        name="disclosures-outside-agreement",
    ),
    path(
        "disclosures/awaiting-confirmation/",
        disclosures.awaiting_confirmation_view,
        name="disclosures-awaiting-confirmation",
    ),
    # After sharing
    path("disclosures/inform-tasks/", disclosures_after.inform_tasks_view, name="inform-tasks"),
    path(
        "disclosures/inform-tasks/<uuid:task_id>/",
        disclosures_after.inform_task_view,
        name="inform-task",
    ),
    path("disclosures/corrections/", disclosures_after.corrections_view, name="corrections"),
    path(
        "disclosures/corrections/<uuid:notice_id>/acknowledge/",
        disclosures_after.correction_acknowledge_view,
        name="correction-acknowledge",
    ),
    path("disclosures/recalls/", disclosures_after.recalls_outstanding_view, name="recalls"),
    path(
        "disclosures/recalls/to-delete/",
        disclosures_after.recalls_to_delete_view,
        name="recalls-to-delete",
    ),
    path(
        "disclosures/recalls/<uuid:recall_request_id>/confirm-deletion/",
        disclosures_after.recall_confirm_deletion_view,
        name="recall-confirm-deletion",
    ),
    # One disclosure
    path(
        "disclosures/<uuid:disclosure_id>/",
        disclosures.disclosure_detail_view,
        name="disclosure-detail",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/issued/",
        disclosures.disclosure_issued_view,
        name="disclosure-issued",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/pdf/",
        disclosures.disclosure_pdf_view,
        name="disclosure-pdf",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/acknowledge/",
        disclosures.disclosure_acknowledge_view,
        name="disclosure-acknowledge",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/undertaking/",
        disclosures.disclosure_undertaking_view,
        name="disclosure-undertaking",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/read-back/",
        disclosures.disclosure_read_back_view,
        name="disclosure-read-back",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/read-back/confirm/",
        disclosures.disclosure_confirm_view,
        name="disclosure-confirm",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/read-back/correct/",
        disclosures.disclosure_correct_view,
        name="disclosure-correct",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/revoke/",
        disclosures.disclosure_revoke_view,
        name="disclosure-revoke",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/items/<uuid:item_id>/correct/",
        disclosures.item_correction_view,
        name="item-correction",
    ),
]

urlpatterns += [
    # Chronology and recalls on withdrawn consent
    path(
        "cases/<uuid:case_id>/chronology/", chronology.case_chronology_view, name="case-chronology"
    ),
    path(
        "cases/<uuid:case_id>/chronology/pdf/",
        chronology.case_chronology_pdf_view,
        name="case-chronology-pdf",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/add-to-case/",
        disclosures_after.disclosure_add_to_case_view,
        name="disclosure-add-to-case",
    ),
    path(
        "consents/<uuid:consent_id>/recalls/",
        chronology.consent_recalls_view,
        name="consent-recalls",
    ),
]
