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
from django.db.models import QuerySet
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


# ``search_words`` indexes the words of the descriptive columns unstemmed, so
# "did you mean" can offer real words ("grooming", not the stem "groom"). It
# reads its text from ``search_index`` (an external content table,
# https://www.sqlite.org/fts5.html#external_content_tables), stores no copy,
# and keeps no positions (detail=none): one word at a time is all it answers.
WORDS = "search_words"
WORD_COLUMNS = ("title", "keywords", "topics", "publishers", "summary")
WORDS_TOKENIZER = "unicode61 remove_diacritics 2"
VOCABULARY = "search_words_vocab"


def _forget(ids: str) -> str:
    """SQL that takes the resources whose ids ``ids`` selects out of both
    indexes; the word index must be told the text it indexed, so first."""
    columns = ", ".join(WORD_COLUMNS)
    return (
        f"INSERT INTO {WORDS} ({WORDS}, rowid, {columns}) "
        f"SELECT 'delete', rowid, {columns} FROM {TABLE} WHERE rowid IN ({ids}); "
        f"DELETE FROM {TABLE} WHERE rowid IN ({ids}); "
    )


def _refresh(where: str) -> str:
    """SQL that re-indexes the resources picked by ``where`` (over ``r``)."""
    ids = f"SELECT r.id FROM catalog_resource r WHERE {where}"
    columns = ", ".join(WORD_COLUMNS)
    return (
        _forget(ids) + f"INSERT INTO {TABLE} (rowid, {', '.join(FIELDS)}) "
        f"{SOURCE.format(where=where)}; "
        f"INSERT INTO {WORDS} (rowid, {columns}) "
        f"SELECT rowid, {columns} FROM {TABLE} WHERE rowid IN ({ids});"
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
        _forget("OLD.id") + _refresh("r.id = NEW.id"),
    ),
    "search_resource_ad": (
        "AFTER DELETE ON catalog_resource",
        _forget("OLD.id"),
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
    create_word_tables(conn)


def create_word_tables(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS} USING fts5("
            f"{', '.join(WORD_COLUMNS)}, content = '{TABLE}', detail = none,"
            f" columnsize = 0, tokenize = '{WORDS_TOKENIZER}')"
        )
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY}"
            f" USING fts5vocab({WORDS}, row)"
        )


def drop_word_tables(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {VOCABULARY}")
        cursor.execute(f"DROP TABLE IF EXISTS {WORDS}")


def words_starting(text: str) -> list[tuple[str, int]]:
    """(word, how many records hold it) for each indexed word that starts
    with ``text``, from every record: callers check what a viewer may see."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, doc FROM {VOCABULARY} WHERE term >= %s AND term < %s",
            [text, text + "\U0010ffff"],
        )
        return cursor.fetchall()


def word_frequencies(words: list[str]) -> dict[str, int]:
    """Word → how many records' descriptions hold it, for the indexed ones."""
    if not words:
        return {}
    placeholders = ", ".join(["%s"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({placeholders})",
            list(words),
        )
        return dict(cursor.fetchall())


def word_matching(word: str) -> RawSQL:
    """A subquery of the ids of resources whose descriptions hold this one
    word (a single token of the index, as ``query.TOKEN`` finds them)."""
    return RawSQL(f"SELECT rowid FROM {WORDS} WHERE {WORDS} MATCH %s", [f'"{word}"'])


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
        # 'rebuild' cannot read an FTS5 table as its content; this can.
        columns = ", ".join(WORD_COLUMNS)
        cursor.execute(f"INSERT INTO {WORDS} ({WORDS}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {WORDS} (rowid, {columns}) "
            f"SELECT rowid, {columns} FROM {TABLE}"
        )
        rebuild_pages(conn)
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def is_installed(conn: BaseDatabaseWrapper) -> bool:
    """True when the table and every trigger are in place."""
    names = [TABLE, WORDS, VOCABULARY, PAGE_TABLE, *TRIGGERS]
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


def ranked(
    expression: str, limit: int = -1, within: QuerySet | None = None
) -> list[tuple[int, float]]:
    """(resource id, score) for every match, or the ``limit`` best, best
    first; higher scores are better. ``within``: only ids of this queryset
    (the visibility policy and filters), decided in the same statement."""
    among, params = "", []
    if within is not None:
        sql, params = within.order_by().values("pk").query.sql_with_params()
        # "+rowid": checked per match, not a lookup per allowed id (which
        # would run the MATCH once for each record in the library).
        among = f"AND +rowid IN ({sql}) "
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -{_bm25()} AS score FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"{among}ORDER BY score DESC LIMIT %s",
            [expression, *params, limit],
        )
        return cursor.fetchall()


def phrase_counts(phrases: list[str], ids: list[int]) -> dict[int, int]:
    """Resource id → how many of these FTS5 phrases each of ``ids`` holds.

    One MATCH per phrase, bounded by the ids: FTS5 then looks up each row
    instead of reading every row that holds the phrase's words.
    """
    if not phrases or not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    each = (
        f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
        f" AND rowid IN ({placeholders})"
    )
    counts: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([each] * len(phrases)),
            [value for phrase in phrases for value in (phrase, *ids)],
        )
        for (rowid,) in cursor.fetchall():
            counts[rowid] = counts.get(rowid, 0) + 1
    return counts


# Private-use characters mark the hits, so the text can be HTML-escaped safely
# before they become <mark> tags.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 28


def snippets(expression: str, ids: list[int]) -> dict[int, str]:
    """Raw snippets (with MARK_OPEN/MARK_CLOSE around hits) for these resources."""
    if not ids:
        return {}
    # The title is shown anyway: prefer the summary, then the body, then the
    # column FTS5 finds best (-1), asking for the first two in one pass.
    found: dict[int, str] = {}
    first = [FIELDS.index("summary"), FIELDS.index("body")]
    rows = _snippet_rows(expression, ids, first)
    for rowid, *texts in rows:
        text = next((t for t in texts if MARK_OPEN in (t or "")), None)
        if text:
            found[rowid] = text
    missing = [i for i in ids if i not in found]
    for rowid, text in _snippet_rows(expression, missing, [-1]):
        if MARK_OPEN in (text or ""):
            found[rowid] = text
    return found


def _snippet_rows(expression: str, ids: list[int], columns: list[int]) -> list[tuple]:
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    calls = ", ".join(
        f"snippet({TABLE}, {column}, %s, %s, '…', {SNIPPET_TOKENS})"
        for column in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {calls} FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"AND rowid IN ({placeholders})",
            [MARK_OPEN, MARK_CLOSE] * len(columns) + [expression, *ids],
        )
        return cursor.fetchall()


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
