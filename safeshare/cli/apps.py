from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "safeshare.cli"
    label = "cli"
