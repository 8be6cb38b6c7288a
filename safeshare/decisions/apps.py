from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "safeshare.decisions"
    label = "decisions"
    verbose_name = "Sharing decisions"
