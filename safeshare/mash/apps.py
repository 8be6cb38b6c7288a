from django.apps import AppConfig


class MashConfig(AppConfig):
    name = "safeshare.mash"
    label = "mash"
    verbose_name = "Multi-Agency Safeguarding Hub triage"
