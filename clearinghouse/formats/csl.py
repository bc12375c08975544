"""A native record as a CSL-JSON item, and back.

CSL-JSON is what Zotero, Mendeley, pandoc and citeproc read and write
(https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html); the
citations on detail pages are rendered from the same item
(``formats/citations.py``). The shared rules for titles, creators and dates are
in ``bibliographic.py``; types in ``resource_types.py``.
"""

from __future__ import annotations

from clearinghouse.formats import resource_types
from clearinghouse.formats.bibliographic import (
    LIST_SEPARATOR,
    bare_doi,
    creators,
    date_from_parts,
    date_parts,
    foreign_id,
    full_title,
    language_values,
    people_and_publishers,
    split_list,
    split_title,
)
from clearinghouse.formats.names import name_from_csl


def csl_item(record: dict) -> dict:
    """The CSL-JSON item for a native record."""
    kind = resource_types.outgoing(record["types"], "csl")
    item = {"id": record["id"], "type": kind.kind, "title": full_title(record)}
    if record["subtitle"]:
        item["title-short"] = record["title"]
    if kind.genre:
        item["genre"] = kind.genre
    people, organisations = creators(record)
    authors = [p.csl() for p in people] or [{"literal": o} for o in organisations]
    if authors:
        item["author"] = authors
    if record["publishers"]:
        item["publisher"] = LIST_SEPARATOR.join(record["publishers"])
    if parts := date_parts(record["date"]):
        item["issued"] = {"date-parts": [parts]}
    optional = {
        "abstract": record["abstract"],
        "note": record["summary"],
        "keyword": ", ".join(record["keywords"]),
        "language": LIST_SEPARATOR.join(record["languages"]),
        "URL": record["url"],
        "DOI": bare_doi(record["doi"]),
        "ISBN": record["isbn"],
        "license": record["licence"],
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


class ItemError(ValueError):
    """A CSL item that cannot become a record; the message says why."""


def record_from_csl(item: object) -> dict:
    """A raw native record with the fields a CSL item speaks of."""
    if not isinstance(item, dict):
        raise ItemError("an item must be a JSON object")
    record = split_title(_text(item, "title"), _text(item, "title-short"))
    if item_id := foreign_id(_text(item, "id")):
        record["id"] = item_id
    record["types"] = resource_types.incoming(
        _text(item, "type"), _text(item, "genre"), "csl"
    )
    names = [name_from_csl(name) for name in _names(item, "author")]
    publishers = split_list(_text(item, "publisher"))
    record.update(people_and_publishers(names, publishers))
    if "issued" in item:
        record["date"] = _date(item["issued"])
    texts = {
        "abstract": "abstract",
        "note": "summary",
        "URL": "url",
        "DOI": "doi",
        "ISBN": "isbn",
        "license": "licence",
    }
    for key, native in texts.items():
        if value := _text(item, key):
            record[native] = bare_doi(value) if key == "DOI" else value
    if keywords := split_list(_text(item, "keyword"), ",;"):
        record["keywords"] = keywords
    if languages := language_values(_text(item, "language")):
        record["languages"] = languages
    return record


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    raise ItemError(f"'{key}' must be text, not {type(value).__name__}")


def _names(item: dict, key: str) -> list[dict]:
    names = item.get(key) or []
    if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
        raise ItemError(f"'{key}' must be a list of name objects")
    return names


def _date(issued: object) -> str:
    """ "2021-09" from {"date-parts": [[2021, 9]]}, or the raw text to be
    checked (and refused by name) like any native date."""
    if not isinstance(issued, dict):
        raise ItemError("'issued' must be an object with 'date-parts'")
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        try:
            return date_from_parts(parts[0])
        except ValueError:
            raise ItemError(
                f"'issued' has no usable date-parts: {parts[0]!r}"
            ) from None
    raw = issued.get("raw") or issued.get("literal") or ""
    if not isinstance(raw, str) or not raw.strip():
        raise ItemError("'issued' has neither 'date-parts' nor 'raw'")
    return raw.strip()
