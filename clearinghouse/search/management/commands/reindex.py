from django.core.management.base import BaseCommand

from clearinghouse.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from the catalog."

    def handle(self, *args, **options) -> None:
        count = rebuild_index()
        self.stdout.write(f"Indexed {count} record(s).")
