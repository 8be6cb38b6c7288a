""" "Your work" (the inbox of waiting work), in the ``web`` namespace."""

from django.urls import URLPattern, path

from safeshare.web.views import inbox

urlpatterns: list[URLPattern] = [
    path("work/", inbox.inbox_view, name="inbox"),
]
