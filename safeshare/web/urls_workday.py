""" "Your work" (the inbox of waiting work) and the choice of e-mails, in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import inbox, notices

urlpatterns: list[URLPattern] = [
    path("work/", inbox.inbox_view, name="inbox"),
    path("account/email/", notices.email_preferences_view, name="email-preferences"),
]
