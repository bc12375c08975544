from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clearinghouse.web"
    verbose_name = "Public pages"
