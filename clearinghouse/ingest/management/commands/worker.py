"""``clearinghouse worker``: run background tasks (extraction) as they come.

The database backend's own worker loop (django-tasks-db ``db_worker``), under
the house's one-verb name; every ``db_worker`` option works here too.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run background tasks (document extraction) from the database queue."
