"""Root URLconf: the web app, the API and (read-only, system administrators) Django admin."""

from django.contrib import admin
from django.urls import include, path

from safeshare.api.main import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("safeshare.web.urls")),
]
