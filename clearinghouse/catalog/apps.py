from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "clearinghouse.catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from clearinghouse.catalog.roles import ensure_roles

        # Permissions exist only after post_migrate of auth, so roles are set here
        # rather than in a data migration.
        post_migrate.connect(ensure_roles, sender=self)
