"""BibTeX, as Zotero writes and reads it, through bibtexparser 2.

Out: ``@techreport`` (``@article``, ``@misc``) entries in UTF-8, LaTeX's
special characters escaped, capitals in titles braced so that styles keep
them, institutional authors double-braced (``{{WeProtect Global Alliance}}``)
so that no style takes "Alliance" for a surname, ``month = sep`` as a macro,
and ``date`` (biblatex) when the day is known. In: the same, plus what other
tools write: ``date`` or ``year``/``month``/``day``, ``institution``,
``organization`` or ``publisher``, ``langid`` or ``language``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.library import Library
from bibtexparser.middlewares.names import split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, Field, ParsingFailedBlock
from django.utils.text import slugify

from clearinghouse.formats import resource_types
from clearinghouse.formats.bibliographic import (
    LIST_SEPARATOR,
    bare_doi,
    creators,
    date_parts,
    full_title,
    language_values,
    people_and_publishers,
    split_list,
    split_title,
)
from clearinghouse.formats.format import Format, ReadError, Row
from clearinghouse.formats.names import split_name

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()  # noqa: SIM905
# Read as written: LaTeX would eat a URL's "%" as a comment.
VERBATIM = ("url", "doi", "isbn", "eprint")
NAME_FIELD = "author"
PUBLISHER_FIELDS = ("institution", "organization", "publisher")


def write_bibtex(records: Iterable[dict], stream: IO[str]) -> int:
    keys: set[str] = set()
    count = 0
    for record in records:
        library = Library([_entry(record, keys)])
        stream.write(bibtexparser.write_string(library).strip() + "\n\n")
        count += 1
    return count


def _entry(record: dict, keys: set[str]) -> Entry:
    kind = resource_types.outgoing(record["types"], "bibtex")
    fields = [Field("title", protect_capitals(escape(full_title(record))))]
    if record["subtitle"]:
        fields.append(Field("shorttitle", protect_capitals(escape(record["title"]))))
    people, organisations = creators(record)
    names = [escape(p.inverted) for p in people] or [
        "{" + escape(o) + "}" for o in organisations
    ]
    if names:
        fields.append(Field("author", " and ".join(names)))
    if record["publishers"]:
        where = "institution" if kind.kind == "techreport" else "publisher"
        fields.append(Field(where, escape(LIST_SEPARATOR.join(record["publishers"]))))
    if kind.genre:
        fields.append(Field("type", escape(kind.genre)))
    fields += _date_fields(record["date"])
    texts = (
        ("url", record["url"]),
        ("doi", bare_doi(record["doi"])),
        ("isbn", record["isbn"]),
        ("language", LIST_SEPARATOR.join(record["languages"])),
        ("keywords", escape(", ".join(record["keywords"]))),
        ("abstract", escape(record["abstract"])),
        ("note", escape(record["summary"])),
        ("copyright", escape(record["licence"])),
    )
    fields += [
        Field(key, _verbatim(value) if key in VERBATIM else value)
        for key, value in texts
        if value
    ]
    return Entry(kind.kind, _key(record, people, organisations, keys), fields)


# LaTeX's special characters, and the ligatures it would make of "--", "``"
# and "''", written so that they come back as typed.
LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\string^",  # \textasciicircum reads back as "ˆ" (U+02C6)
}
LATEX_CHARACTERS = re.compile("|".join(re.escape(c) for c in LATEX_SPECIAL))
LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')")


def escape(text: str) -> str:
    escaped = LATEX_CHARACTERS.sub(lambda m: LATEX_SPECIAL[m.group()], text)
    return LIGATURES.sub("{}", escaped)


def protect_capitals(title: str) -> str:
    """Brace words with capitals past the title's first letter ("{UK}",
    "{Global}"), so that styles that lower-case titles keep them."""
    words = title.split(" ")
    return " ".join(
        "{" + word + "}" if _has_capitals(word[1:] if i == 0 else word) else word
        for i, word in enumerate(words)
    )


def _has_capitals(text: str) -> bool:
    return any(char.isupper() for char in text)


def _date_fields(date: str | None) -> list[Field]:
    parts = date_parts(date)
    if not parts:
        return []
    fields = [Field("year", str(parts[0]))]
    if len(parts) > 1:
        fields.append(Field("month", MONTHS[parts[1] - 1], enclosing="no-enclosing"))
    if len(parts) > 2:
        fields.append(Field("date", date))
    return fields


def _verbatim(value: str) -> str:
    # Braces would end the field; a URL may carry them only percent-encoded.
    return value.replace("{", "%7B").replace("}", "%7D")


TITLE_SKIP = {"a", "an", "the", "on", "of", "in", "and", "for", "to"}


def _key(record: dict, people: list, organisations: list[str], keys: set[str]) -> str:
    """Zotero's pattern: creator_firstword_year ("weprotect_framing_2021")."""
    creator = people[0].family if people else (organisations[:1] or [""])[0]
    words = [w for w in slugify(record["title"]).split("-") if w not in TITLE_SKIP]
    parts = [slugify(creator).split("-")[0], (words or ["untitled"])[0]]
    parts.append(record["date"][:4] if record["date"] else "")
    base = "_".join(p for p in parts if p) or "item"
    key, n = base, 0
    while key in keys:
        n += 1
        key = f"{base}{_suffix(n)}"
    keys.add(key)
    return key


def _suffix(n: int) -> str:
    """a, b, … z, aa, ab …"""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def read_bibtex(stream: IO[str]) -> Iterator[Row]:
    library = bibtexparser.parse_string(stream.read().lstrip("\ufeff"))
    blocks: list[tuple[int, Entry | ReadError]] = [
        (entry.start_line, entry) for entry in library.entries
    ]
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            blocks.append((block.start_line, block.ignore_error_block))
        else:
            blocks.append((block.start_line, _failure(block)))
    decoder = middlewares.LatexDecodingMiddleware()
    for start, block in sorted(blocks, key=lambda pair: pair[0]):
        line = start + 1  # bibtexparser counts from 0
        if isinstance(block, ReadError):
            yield line, block
            continue
        try:
            yield line, _decoded_record(block, decoder, library)
        except ValueError as error:
            yield line, ReadError(f"entry '{block.key}' {error}")


def _decoded_record(entry: Entry, decoder, library: Library) -> dict:
    raw = _take_verbatim(entry)
    organisations = _take_names(entry)
    decoded = decoder.transform_entry(entry, library)
    if not isinstance(decoded, Entry):
        raise ValueError("has LaTeX that could not be read")
    return _record(decoded, raw, organisations)


def _failure(block: ParsingFailedBlock) -> ReadError:
    error = block.error
    reason = getattr(error, "abort_reason", "") or str(error)
    detail = f" ({reason.strip().rstrip('.').lower()})" if reason.strip() else ""
    return ReadError(
        f"this entry is not valid BibTeX{detail}; is a brace or quote left open?"
    )


def _take_verbatim(entry: Entry) -> dict:
    """Remove (so they are not decoded as LaTeX) and return the URL-like fields."""
    raw = {}
    for key in VERBATIM:
        if key in entry.fields_dict:
            raw[key] = str(entry[key]).strip()
            entry.pop(key)
    return raw


def _take_names(entry: Entry) -> list[bool]:
    """Put each author in a field of its own, to be decoded with the rest;
    return which are organisations (a name wholly in braces)."""
    if NAME_FIELD not in entry.fields_dict:
        return []
    raw_names = split_multiple_persons_names(str(entry[NAME_FIELD]))
    entry.pop(NAME_FIELD)
    organisations = []
    for index, name in enumerate(raw_names):
        is_org = _wholly_braced(name.strip())
        organisations.append(is_org)
        entry.set_field(
            Field(f"{NAME_FIELD} {index}", name.strip()[1:-1] if is_org else name)
        )
    return organisations


def _wholly_braced(name: str) -> bool:
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for position, char in enumerate(name):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and position < len(name) - 1:
            return False
    return True


def _record(entry: Entry, raw: dict, organisations: list[bool]) -> dict:
    value = _reader(entry)
    title = value("title")
    if not title:
        raise ValueError("has no title")
    record = split_title(title, value("shorttitle"))
    record["types"] = resource_types.incoming(entry.entry_type, value("type"), "bibtex")
    names = [
        (value(f"{NAME_FIELD} {i}"), True)
        if is_org
        else (split_name(value(f"{NAME_FIELD} {i}")).display, False)
        for i, is_org in enumerate(organisations)
    ]
    publishers = next((split_list(value(k)) for k in PUBLISHER_FIELDS if value(k)), [])
    record.update(people_and_publishers(names, publishers))
    if date := _date(value):
        record["date"] = date
    for key, native in (("abstract", "abstract"), ("note", "summary")):
        if text := value(key, lines=True):
            record[native] = text
    if value("copyright"):
        record["licence"] = value("copyright")
    if raw.get("url"):
        record["url"] = raw["url"]
    if raw.get("doi"):
        record["doi"] = bare_doi(raw["doi"])
    if raw.get("isbn"):
        record["isbn"] = raw["isbn"]
    if keywords := split_list(value("keywords"), ",;"):
        record["keywords"] = keywords
    if languages := language_values(value("langid") or value("language")):
        record["languages"] = languages
    return record


def _reader(entry: Entry):
    fields = {key.lower(): field for key, field in entry.fields_dict.items()}

    def value(key: str, *, lines: bool = False) -> str:
        """The field's text, its white space collapsed unless ``lines``."""
        field = fields.get(key)
        if field is None:
            return ""
        text = str(field.value).replace("\r\n", "\n")
        return text.strip() if lines else re.sub(r"\s+", " ", text).strip()

    return value


def _date(value) -> str:
    """ "2021-09-01" from ``date``, else from ``year``, ``month`` and ``day``."""
    if value("date"):
        return value("date").split("/")[0]  # a range: its start
    if not value("year"):
        return ""
    parts = [value("year")]
    month = value("month").lower()
    if month[:3] in MONTHS:
        month = str(MONTHS.index(month[:3]) + 1)
    if month:
        parts.append(month.zfill(2))
        if value("day"):
            parts.append(value("day").zfill(2))
    return "-".join(parts)


FORMAT = Format(
    name="bibtex",
    label="BibTeX",
    media_type="application/x-bibtex",
    extension="bib",
    other_extensions=("bibtex",),
    read=read_bibtex,
    write=write_bibtex,
)
