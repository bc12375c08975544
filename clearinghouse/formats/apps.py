from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "clearinghouse.formats"
    verbose_name = "Formats"
