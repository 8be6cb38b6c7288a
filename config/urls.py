"""Root URLconf: the web app, the API and (read-only, system administrators) Django admin."""

from django.contrib import admin
from django.urls import include, path

from safeshare.api.main import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("safeshare.web.urls")),
]

handler403 = "safeshare.web.views.pages.permission_denied"
handler404 = "safeshare.web.views.pages.not_found"
handler500 = "safeshare.web.views.pages.server_error"
