"""SQLite FTS5 backend: an index table kept in step with the catalog by triggers.

``search_index`` holds one row per resource (rowid = resource id), with the
columns of ``search.fields``. Triggers on every table that feeds a column
delete and re-insert the affected rows, inside the writer's own transaction, so
the index can never disagree with the catalog.

Triggers that mention a catalog table would break Django's SQLite table
rebuilds during migrations ("error in trigger … no such table"), so they are
dropped before migrations run and re-created, with a full rebuild, afterwards.
"""

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from clearinghouse.search.fields import FIELD_WEIGHTS, FIELDS

TABLE = "search_index"
TOKENIZER = "porter unicode61 remove_diacritics 2"

# One row of index content per resource id; {where} picks which resources.
# The index is shared by every viewer, so document text is left out where the
# documents are more restricted than the record (document_access): a reader
# who may see the record must not find, or read in a snippet, words that only
# its restricted documents hold.
SOURCE = """
SELECT r.id,
  r.title || ' ' || r.subtitle,
  r.keywords,
  (SELECT group_concat(t.name, ' ') FROM catalog_resource_topics rt
     JOIN catalog_topic t ON t.id = rt.topic_id WHERE rt.resource_id = r.id),
  (SELECT group_concat(o.name || ' ' || o.acronym || ' ' || o.aliases, ' ')
     FROM catalog_resourcepublisher rp
     JOIN catalog_organisation o ON o.id = rp.organisation_id
     WHERE rp.resource_id = r.id),
  r.summary || ' ' || r.abstract,
  (SELECT group_concat(d.text, ' ') FROM catalog_document d WHERE d.resource_id = r.id
     AND (r.document_access IN ('', 'public', r.access) OR r.access = 'groups'))
FROM catalog_resource r WHERE {where}
"""


def _refresh(where: str) -> str:
    """SQL that re-indexes the resources picked by ``where`` (over ``r``)."""
    ids = f"SELECT r.id FROM catalog_resource r WHERE {where}"
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN ({ids}); "
        f"INSERT INTO {TABLE} (rowid, {', '.join(FIELDS)}) "
        f"{SOURCE.format(where=where)};"
    )


# trigger name → (event on table, body)
TRIGGERS = {
    "search_resource_ai": (
        "AFTER INSERT ON catalog_resource",
        _refresh("r.id = NEW.id"),
    ),
    "search_resource_au": (
        # Only the columns the index reads: a workflow step or a counter must
        # not re-index a record's whole text.
        "AFTER UPDATE OF title, subtitle, keywords, summary, abstract, access,"
        " document_access ON catalog_resource",
        f"DELETE FROM {TABLE} WHERE rowid = OLD.id; " + _refresh("r.id = NEW.id"),
    ),
    "search_resource_ad": (
        "AFTER DELETE ON catalog_resource",
        f"DELETE FROM {TABLE} WHERE rowid = OLD.id;",
    ),
    "search_topic_link_ai": (
        "AFTER INSERT ON catalog_resource_topics",
        _refresh("r.id = NEW.resource_id"),
    ),
    "search_topic_link_ad": (
        "AFTER DELETE ON catalog_resource_topics",
        _refresh("r.id = OLD.resource_id"),
    ),
    "search_publisher_link_ai": (
        "AFTER INSERT ON catalog_resourcepublisher",
        _refresh("r.id = NEW.resource_id"),
    ),
    # The admin's publisher inline points an existing link at another organisation.
    "search_publisher_link_au": (
        "AFTER UPDATE ON catalog_resourcepublisher",
        _refresh("r.id IN (OLD.resource_id, NEW.resource_id)"),
    ),
    "search_publisher_link_ad": (
        "AFTER DELETE ON catalog_resourcepublisher",
        _refresh("r.id = OLD.resource_id"),
    ),
    "search_document_ai": (
        "AFTER INSERT ON catalog_document",
        _refresh("r.id = NEW.resource_id"),
    ),
    "search_document_au": (
        # Not on state or attempts: extraction updates those several times.
        "AFTER UPDATE OF text, resource_id ON catalog_document",
        _refresh("r.id IN (OLD.resource_id, NEW.resource_id)"),
    ),
    "search_document_ad": (
        "AFTER DELETE ON catalog_document",
        _refresh("r.id = OLD.resource_id"),
    ),
    "search_topic_au": (
        "AFTER UPDATE OF name ON catalog_topic",
        _refresh(
            "r.id IN (SELECT resource_id FROM catalog_resource_topics"
            " WHERE topic_id = NEW.id)"
        ),
    ),
    "search_organisation_au": (
        "AFTER UPDATE OF name, acronym, aliases ON catalog_organisation",
        _refresh(
            "r.id IN (SELECT resource_id FROM catalog_resourcepublisher"
            " WHERE organisation_id = NEW.id)"
        ),
    ),
}


def create_table(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            f"{', '.join(FIELDS)}, tokenize = '{TOKENIZER}')"
        )


def install(conn: BaseDatabaseWrapper) -> None:
    """Create the index table and its triggers if they are missing."""
    create_table(conn)
    create_page_table(conn)
    with conn.cursor() as cursor:
        for name, (event, body) in TRIGGERS.items():
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} {event} BEGIN {body} END"
            )


def drop_triggers(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(conn: BaseDatabaseWrapper) -> int:
    """Re-index every resource from the catalog; returns how many rows."""
    install(conn)
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, {', '.join(FIELDS)}) "
            + SOURCE.format(where="1")
        )
        rebuild_pages(conn)
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def is_installed(conn: BaseDatabaseWrapper) -> bool:
    """True when the table and every trigger are in place."""
    names = [TABLE, PAGE_TABLE, *TRIGGERS]
    placeholders = ", ".join(["%s"] * len(names))
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE name IN ({placeholders})", names
        )
        return cursor.fetchone()[0] == len(names)


def matching(expression: str) -> RawSQL:
    """A subquery of the ids of resources matching an FTS5 expression."""
    return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression])


def _bm25() -> str:
    return f"bm25({TABLE}, {', '.join(str(w) for w in FIELD_WEIGHTS.values())})"


def ranked(expression: str, limit: int = -1) -> list[tuple[int, float]]:
    """(resource id, score) for every match, or the ``limit`` best, best
    first; higher scores are better."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -{_bm25()} AS score FROM {TABLE} WHERE {TABLE} MATCH %s "
            "ORDER BY score DESC LIMIT %s",
            [expression, limit],
        )
        return cursor.fetchall()


# Private-use characters mark the hits, so the text can be HTML-escaped safely
# before they become <mark> tags.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 28


def snippets(expression: str, ids: list[int]) -> dict[int, str]:
    """Raw snippets (with MARK_OPEN/MARK_CLOSE around hits) for these resources."""
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    # Column -1 lets FTS5 pick the field with the best match; the title is
    # shown anyway, so prefer summary or body when they match too.
    columns = [FIELDS.index("summary"), FIELDS.index("body"), -1]
    found: dict[int, str] = {}
    with connection.cursor() as cursor:
        for column in columns:
            missing = [i for i in ids if i not in found]
            if not missing:
                break
            placeholders = ", ".join(["%s"] * len(missing))
            cursor.execute(
                f"SELECT rowid, snippet({TABLE}, {column}, %s, %s, '…', "
                f"{SNIPPET_TOKENS}) FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"AND rowid IN ({placeholders})",
                [MARK_OPEN, MARK_CLOSE, expression, *missing],
            )
            for rowid, text in cursor.fetchall():
                if MARK_OPEN in (text or ""):
                    found[rowid] = text
    return found


# Pages ------------------------------------------------------------------------
# ``search_pages`` indexes the text of each page (rowid = catalog_page.id), so a
# hit can say on which pages of a document its words are. It is an external
# content table (https://www.sqlite.org/fts5.html#external_content_tables): the
# text stays in catalog_page and the index holds only its tokens. It has the
# tokenizer of ``search_index``, so the engine's expression means the same here.

PAGE_TABLE = "search_pages"

# The 'delete' command must be given the text as it was indexed, which the
# OLD row holds; a page's document or number are not indexed, so only a new
# text (or id) re-indexes it.
PAGE_TRIGGERS = {
    "search_page_ai": (
        "AFTER INSERT ON catalog_page",
        f"INSERT INTO {PAGE_TABLE} (rowid, text) VALUES (NEW.id, NEW.text);",
    ),
    "search_page_au": (
        "AFTER UPDATE OF id, text ON catalog_page",
        f"INSERT INTO {PAGE_TABLE} ({PAGE_TABLE}, rowid, text)"
        " VALUES ('delete', OLD.id, OLD.text);"
        f" INSERT INTO {PAGE_TABLE} (rowid, text) VALUES (NEW.id, NEW.text);",
    ),
    "search_page_ad": (
        "AFTER DELETE ON catalog_page",
        f"INSERT INTO {PAGE_TABLE} ({PAGE_TABLE}, rowid, text)"
        " VALUES ('delete', OLD.id, OLD.text);",
    ),
}
# Installed, dropped around migrations and checked with the others.
TRIGGERS.update(PAGE_TRIGGERS)


def create_page_table(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {PAGE_TABLE} USING fts5("
            f"text, content = 'catalog_page', content_rowid = 'id',"
            f" tokenize = '{TOKENIZER}')"
        )


def rebuild_pages(conn: BaseDatabaseWrapper) -> None:
    """Re-read every page's text into the page index."""
    with conn.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PAGE_TABLE} ({PAGE_TABLE}) VALUES ('rebuild')")


# A compound SELECT has at most 500 terms (SQLITE_MAX_COMPOUND_SELECT).
MAX_PAGE_DOCUMENTS = 400


def page_hits(expression: str, document_ids: list[int]) -> list[tuple[int, int]]:
    """(document id, page number) of every page of these documents that
    matches an FTS5 expression, in page order.

    A MATCH over the whole page index visits every page in the library that
    holds a common word ("child"); one query per document, each bounded by
    the rowids of its pages, lets FTS5 seek instead. bm25() is left out: it
    counts every matching row in the library for each query.
    """
    ids = list(document_ids)[:MAX_PAGE_DOCUMENTS]
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM catalog_page"
            f" WHERE document_id IN ({placeholders}) GROUP BY document_id",
            ids,
        )
        spans = cursor.fetchall()
        if not spans:
            return []
        bounded = " UNION ALL ".join(
            f"SELECT rowid FROM {PAGE_TABLE} WHERE {PAGE_TABLE} MATCH %s"
            " AND rowid BETWEEN %s AND %s"
            for _ in spans
        )
        cursor.execute(
            f"SELECT p.document_id, p.number FROM ({bounded}) AS hit"
            " JOIN catalog_page p ON p.id = hit.rowid"
            f" WHERE p.document_id IN ({placeholders})"
            " ORDER BY p.document_id, p.number",
            [value for low, high in spans for value in (expression, low, high)] + ids,
        )
        return cursor.fetchall()
