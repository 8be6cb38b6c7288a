from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "safeshare.linkage"
    label = "linkage"
    verbose_name = "Identity linkage and identity search"
