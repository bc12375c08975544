"""Background embedding, run by ``clearinghouse worker`` (django-tasks-db).

``embed_records`` is safe to run twice and in any order: it embeds what
changed since the stored vectors were made, and nothing else.
"""

from django_tasks import task

from clearinghouse.search.semantic import embedder
from clearinghouse.search.semantic.storage import embed_resources


@task()
def embed_records(resource_ids: list[int]) -> int:
    """Bring these records' vectors up to date; the passages embedded."""
    if not embedder.available():
        return 0
    return embed_resources(resource_ids)
