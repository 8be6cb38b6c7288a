from django.contrib import admin

from safeshare.agencies.models import Agency, InformationSharingAgreement, Practitioner
from safeshare.core.admin import ReadOnlyModelAdmin


@admin.register(Agency)
class AgencyAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "agency_type", "local_authority_area", "is_active")
    list_filter = ("agency_type", "is_active")
    search_fields = ("name",)


@admin.register(Practitioner)
class PractitionerAdmin(ReadOnlyModelAdmin):
    list_display = ("username", "given_name", "family_name", "agency", "is_active")
    list_filter = ("agency", "is_active")
    search_fields = ("username", "given_name", "family_name")
    exclude = ("password",)


@admin.register(InformationSharingAgreement)
class AgreementAdmin(ReadOnlyModelAdmin):
    list_display = ("reference", "title", "status", "review_date")
    list_filter = ("status",)
