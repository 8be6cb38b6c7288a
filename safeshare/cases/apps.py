from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safeshare.cases"
    label = "cases"
    verbose_name = "Cases"
