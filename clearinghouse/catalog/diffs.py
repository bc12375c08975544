"""What changed between two states of a record, field by field, as safe HTML.

Compares two native records (revision snapshots): text by words (difflib),
lists by items added and removed (and order, where order matters), anything
else as before → after. Every value is HTML-escaped before markup is added.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

LABELS = {
    "id": "identifier",
    "url": "source URL",
    "doi": "DOI",
    "isbn": "ISBN",
    "document_access": "document access",
    "embargo_until": "embargo until",
    "content_warning": "content warning",
    "withdrawn_reason": "withdrawal reason",
    "added": "date added",
}
TEXT = {"title", "subtitle", "summary", "abstract", "content_warning"}
TEXT |= {"withdrawn_reason", "licence"}
ORDERED = {"publishers", "authors", "keywords"}
STRUCTURED = {"provenance", "documents"}
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: SafeString
    after: SafeString


def compare(old: dict, new: dict) -> list[FieldChange]:
    """The fields whose values differ, in the record's order."""
    names = list(dict.fromkeys([*new, *old]))
    return [
        _change(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    ]


def _change(name: str, old: object, new: object) -> FieldChange:
    label = LABELS.get(name, name.replace("_", " "))
    if name in TEXT:
        before, after = text_diff(str(old or ""), str(new or ""))
    elif name in STRUCTURED:
        before, after = lines_diff(_json(old), _json(new))
    elif isinstance(old, list) or isinstance(new, list):
        before, after = list_diff(old or [], new or [], ordered=name in ORDERED)
    else:
        before, after = _plain(old), _plain(new)
    return FieldChange(name, label, before, after)


def text_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts, with the words removed in <del> and those added in <ins>."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    before, after = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            before.append(removed)
            after.append(added)
            continue
        if removed:
            before.append(f"<del>{removed}</del>")
        if added:
            after.append(f"<ins>{added}</ins>")
    # Every piece was escaped above; only <del> and <ins> are markup.
    return mark_safe("".join(before)), mark_safe("".join(after))  # noqa: S308


def list_diff(old: list, new: list, *, ordered: bool) -> tuple[SafeString, SafeString]:
    """Items as lists: removed ones in <del>, added ones in <ins>."""
    gone = [item for item in old if item not in new]
    came = [item for item in new if item not in old]
    before = _items(old, gone, "del")
    after = _items(new, came, "ins")
    if ordered and not gone and not came:
        after = format_html("{} <em>(new order)</em>", after)
    return before, after


def lines_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Line by line, for structured values shown as JSON."""
    a, b = old.splitlines(), new.splitlines()
    before, after = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for line in a[i1:i2]:
            before.append(_line(line, "" if op == "equal" else "del"))
        for line in b[j1:j2]:
            after.append(_line(line, "" if op == "equal" else "ins"))
    return _pre(before), _pre(after)


def _items(values: list, marked: list, tag: str) -> SafeString:
    if not values:
        return mark_safe("<span class='quiet'>none</span>")
    rows = format_html_join(
        "",
        "<li>{}</li>",
        ((_marked(str(v), tag) if v in marked else str(v),) for v in values),
    )
    return format_html("<ul class='revision-list'>{}</ul>", rows)


def _marked(text: str, tag: str) -> SafeString:
    return format_html("<{}>{}</{}>", mark_safe(tag), text, mark_safe(tag))


def _line(text: str, tag: str) -> SafeString:
    return _marked(text, tag) if tag else escape(text)


def _pre(lines: list) -> SafeString:
    return format_html("<pre>{}</pre>", mark_safe("\n".join(lines)))  # noqa: S308


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _plain(value: object) -> SafeString:
    if value in (None, ""):
        return mark_safe("<span class='quiet'>empty</span>")
    if isinstance(value, bool):
        return mark_safe("yes" if value else "no")
    return escape(str(value))
