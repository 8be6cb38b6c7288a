from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "safeshare.oversight"
    label = "oversight"
    verbose_name = "Oversight of the ledger"
