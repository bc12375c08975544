"""HTML reader: visible text by block (scripts, styles and other invisible
parts dropped) and the metadata of the head: title, author, description,
keywords, language, dates.

Python's own ``html.parser`` is used: it tolerates broken markup the way
browsers do, which is all BeautifulSoup's html.parser mode would add here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from clearinghouse.ingest.extraction import Extraction, Limits, paginate
from clearinghouse.ingest.readers.text import decode

MEDIA_TYPE = "text/html"
# Elements whose content is never shown as text.
_HIDDEN = {"script", "style", "noscript", "template", "svg", "math", "head"}
# Elements that end a paragraph where they open or close.
_BLOCKS = {
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "aside", "header", "footer", "nav", "main", "blockquote", "pre", "figure",
    "figcaption", "address", "caption", "form", "fieldset", "details", "summary",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr"}
_META = {
    "author": "author",
    "dc.creator": "author",
    "description": "subject",
    "dc.description": "subject",
    "keywords": "keywords",
    "dc.title": "title",
    "dc.date": "created",
    "dcterms.created": "created",
    "article:published_time": "created",
    "citation_title": "title",
    "citation_author": "author",
    "citation_publication_date": "created",
    "generator": "creator",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def read(path: Path, limits: Limits) -> Extraction:
    """Visible text as ~500-word pages, with the head's metadata."""
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    markup = decode(data, declared.group(1).decode("ascii") if declared else None)
    paragraphs, metadata = html_text(markup)
    warnings: list[str] = []
    pages, page_count = paginate(paragraphs, limits, warnings)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=pages,
        page_count=page_count,
        metadata=dict(metadata),
        warnings=warnings,
    )


def html_text(markup: str) -> tuple[list[str], dict[str, str]]:
    """The visible paragraphs of an HTML document and its head's metadata."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    parser.end_paragraph()
    return parser.paragraphs, parser.metadata


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.metadata: dict[str, str] = {}
        self._parts: list[str] = []
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html" and attributes.get("lang"):
            self.metadata.setdefault("language", attributes["lang"].strip())
        elif tag == "meta":
            self._meta(attributes)
        elif tag == "title" and self._title is None:
            self._title = []
        if tag == "body" and "head" in self._hidden:  # </head> left out
            self._hidden.remove("head")
        if tag in _HIDDEN and tag not in _VOID:
            self._hidden.append(tag)
        elif tag in _BLOCKS:
            self.end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            title = " ".join("".join(self._title).split())
            if title:
                self.metadata.setdefault("title", title)
            self._title = None
        if tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
        elif tag in _BLOCKS:
            self.end_paragraph()

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        elif not self._hidden:
            self._parts.append(data)

    def end_paragraph(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.paragraphs.append(text)
        self._parts = []

    def _meta(self, attributes: dict[str, str]) -> None:
        name = (attributes.get("name") or attributes.get("property") or "").lower()
        content = " ".join(attributes.get("content", "").split())
        if name in _META and content:
            self.metadata.setdefault(_META[name], content)
