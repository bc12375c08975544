from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "clearinghouse.catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from clearinghouse.catalog.roles import ensure_roles

        # Permissions exist only after post_migrate of auth, so roles are set here
        # rather than in a data migration; again after search's, whose
        # synonym table administrators edit.
        post_migrate.connect(ensure_roles, sender=self)
        post_migrate.connect(ensure_roles, sender=apps.get_app_config("search"))
        # Revisions' safety net and the audit log's receivers (their modules
        # explain what each listens to).
        from clearinghouse.catalog import audit, revisions

        audit.connect()
        revisions.connect()
