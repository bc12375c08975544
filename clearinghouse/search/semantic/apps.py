from django.apps import AppConfig


class SemanticConfig(AppConfig):
    """Embeddings and the vector index: a small app of its own so that its
    tables have their own migrations, inside the search package they serve."""

    name = "clearinghouse.search.semantic"
    label = "semantic"
    verbose_name = "Semantic search"

    def ready(self) -> None:
        from clearinghouse.search.semantic import changes

        changes.connect()
