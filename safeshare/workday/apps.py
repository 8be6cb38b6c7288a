from django.apps import AppConfig


class WorkdayConfig(AppConfig):
    name = "safeshare.workday"
    label = "workday"
    verbose_name = "A practitioner's working day"
