from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class SearchConfig(AppConfig):
    name = "clearinghouse.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from clearinghouse.search import index

        pre_migrate.connect(index.before_migrate, sender=self)
        post_migrate.connect(index.after_migrate, sender=self)
