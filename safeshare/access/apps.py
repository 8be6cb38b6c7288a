from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeshare.access"
    label = "access"
    verbose_name = "Access policy"
