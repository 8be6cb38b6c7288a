from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "safeshare.disclosures"
    label = "disclosures"
    verbose_name = "Requests and disclosures"
