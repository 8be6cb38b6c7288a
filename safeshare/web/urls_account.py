"""Routes for signing in, the dashboard, the account page, administration and static pages.

Concatenated with urls_casework.py into the ``web`` namespace by safeshare/web/urls.py.
"""

from django.urls import URLPattern, path

from safeshare.web.views import account, admin_pages, agency_admin, auth, pages

urlpatterns: list[URLPattern] = [
    path("", pages.dashboard, name="dashboard"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-in/two-factor/", auth.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", auth.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("session/keep-alive/", pages.session_keep_alive, name="session-keep-alive"),
    path("session/expired/", pages.session_expired, name="session-expired"),
    path("account/", account.account, name="account"),
    path("account/tokens/new/", account.api_token_create_view, name="api-token-create"),
    path(
        "account/tokens/<uuid:token_id>/revoke/",
        account.api_token_revoke_view,
        name="api-token-revoke",
    ),
    path("agencies/", admin_pages.agency_list, name="agency-list"),
    path("agencies/new/", admin_pages.agency_create_view, name="agency-create"),
    path("agencies/<uuid:agency_id>/", admin_pages.agency_detail, name="agency-detail"),
    path("agreements/", admin_pages.agreement_list, name="agreement-list"),
    path("agreements/new/", admin_pages.agreement_create_view, name="agreement-create"),
    path("agreements/<uuid:agreement_id>/", admin_pages.agreement_detail, name="agreement-detail"),
    path(
        "agreements/<uuid:agreement_id>/sign/",
        admin_pages.agreement_sign_view,
        name="agreement-sign",
    ),
    path(
        "agreements/<uuid:agreement_id>/status/",
        admin_pages.agreement_status_view,
        name="agreement-status",
    ),
    path("practitioners/", admin_pages.practitioner_list, name="practitioner-list"),
    path("practitioners/new/", admin_pages.practitioner_create_view, name="practitioner-create"),
    path(
        "practitioners/<uuid:practitioner_id>/",
        admin_pages.practitioner_detail,
        name="practitioner-detail",
    ),
    path(
        "practitioners/<uuid:practitioner_id>/reset-authenticator/",
        admin_pages.practitioner_reset_authenticator_view,
        name="practitioner-reset-authenticator",
    ),
    path(
        "practitioners/<uuid:practitioner_id>/roles/<str:role>/remove/",
        agency_admin.role_remove_view,
        name="practitioner-role-remove",
    ),
    path(
        "practitioners/<uuid:practitioner_id>/allocations/<uuid:allocation_id>/end/",
        agency_admin.allocation_end_view,
        name="practitioner-allocation-end",
    ),
    path(
        "practitioners/<uuid:practitioner_id>/deactivate/",
        agency_admin.deactivate_view,
        name="practitioner-deactivate",
    ),
    path(
        "practitioners/<uuid:practitioner_id>/reactivate/",
        agency_admin.reactivate_view,
        name="practitioner-reactivate",
    ),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("healthz", pages.health, name="health"),
]
