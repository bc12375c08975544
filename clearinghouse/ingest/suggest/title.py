"""The title: the embedded one when it is sane, else the largest text on the
cover, else the first substantial lines of page 1.

Embedded titles are often the authoring tool's leftovers ("Microsoft Word -
final_v3.docx", "Untitled", a template's name). One that passes
``title_problem`` and also appears on the first pages is nearly certain.

``first_page_lines`` is page 1 as (text, font size) pairs in reading order,
one per printed line, when the extractor can give font sizes (the PDF
reader's ``Extraction.first_page_lines``); without sizes the first lines of
page 1 are the best guess left, and line breaks inside a title then decide
how much of it is found.
"""

import re
import statistics
import unicodedata
from collections.abc import Callable, Sequence

from clearinghouse.ingest.suggest.dates import PATTERNS as DATE_PATTERNS
from clearinghouse.ingest.suggest.suggestion import Suggestion

#: One printed line of page 1 and its font size in points.
Line = tuple[str, float]

_TOOL_LEFTOVERS = re.compile(
    r"^(?:microsoft\s+(?:word|powerpoint|excel)\b|untitled|no title|title$|"
    r"document\s*\d*$|doc\d+$|slide\s*\d|presentation\s*\d*$|powerpoint|"
    r"layout\s*\d|print$|book\s*\d*$|adobe|indesign|cover$|pdf$|final$|draft$)",
    re.IGNORECASE,
)
_FILE_EXTENSION = re.compile(
    r"\.(?:docx?|pdf|indd|pptx?|xlsx?|qxp|qxd|rtf|odt|txt|tex|dvi|ps|ai|eps|html?)\b",
    re.IGNORECASE,
)
_VERSION = re.compile(
    r"(?:^|[\s_-])v\d+(?:\.\d+)*\b|_v\d|\bcopy of\b|\btemplate\b"
    r"|\bfinal[_ -](?:draft|version)\b",
    re.IGNORECASE,
)
# Lines on a cover that are never the title: labels, links, page numbers.
_NOT_TITLE_LINE = re.compile(
    r"^(?:www\.|https?://|©|\(c\)|page\s+\d|\d+$|isbn|doi|"
    r"(?:research |discussion |working |policy |briefing |technical )?"
    r"(?:report|paper|brief|briefing|guidance|toolkit|summary|study)$)",
    re.IGNORECASE,
)
# Lines that end a title set in one type: what follows is no longer it.
_NOT_IN_TITLE = re.compile(
    r"^(?:www\.|https?://|©|\(c\)|page\s+\d|isbn|doi)", re.IGNORECASE
)
_YEAR = re.compile(r"(?:19|20)\d{2}(?:\s*[–—/-]\s*(?:19|20)?\d{2})?")
_CONTINUES = re.compile(
    r"(?:\b(?:of|and|the|in|for|on|to|a|an|with|from|against|by|or|at|into|as)|[:,–—-])$",
    re.IGNORECASE,
)

_NOT_WORD = re.compile(r"[^\w]+")
_BYLINE = re.compile(
    r"^(?i:by|a report by|a briefing by|prepared by|written by|authors?|edited by)\b"
    r"|\b[A-Z]\.\s?(?:[A-Z]\.\s?)?[A-Z][a-z]",
)

CONFIDENCE_EMBEDDED_SEEN = 0.9
CONFIDENCE_LARGEST_TEXT = 0.75
CONFIDENCE_EMBEDDED_UNSEEN = 0.55
CONFIDENCE_FIRST_LINES = 0.45
CONFIDENCE_EMBEDDED_ALIEN = 0.35
# A page with fewer words is a cover: its largest text is the title even when
# it makes up most of the page.
COVER_WORDS = 80
MAX_TITLE_LINES = 6


def suggest_title(
    page_texts: Sequence[str],
    metadata: dict,
    first_page_lines: Sequence[Line] | None = None,
    is_name: Callable[[str], bool] = lambda line: False,
) -> list[Suggestion]:
    """The best title and, when they differ, the runner-up.

    ``is_name`` tells an organisation's name (a logo's text, often the
    largest on the cover) from a title.
    """
    candidates = []
    embedded = embedded_title(metadata)
    if embedded:
        confidence = embedded_confidence(embedded, page_texts[:2])
        if confidence:
            candidates.append(
                Suggestion("title", embedded, "embedded PDF title", confidence)
            )
    largest = title_from_lines(first_page_lines or [], is_name)
    if largest:
        source = "largest text on page 1"
        candidates.append(Suggestion("title", largest, source, CONFIDENCE_LARGEST_TEXT))
    first = title_from_text(page_texts, is_name)
    if first:
        source = f"first lines of page {first[1]}"
        candidates.append(Suggestion("title", first[0], source, CONFIDENCE_FIRST_LINES))
    return _best_two(candidates)


def embedded_confidence(title: str, first_pages: Sequence[str]) -> float:
    """How far to trust a sane embedded title: nearly fully when the first
    pages print it, less when they share most of its words (a shortened
    title), and below the first lines of page 1 when they share few (another
    document's title left in a template). 0 for a title that is not sane."""
    cover = normalise_title(" ".join(first_pages))
    key = normalise_title(title)
    problem = title_problem(title)
    if key and key in cover:
        ok = problem is None or problem == "fewer than three words"
        return CONFIDENCE_EMBEDDED_SEEN if ok else 0.0
    if problem is not None:
        return 0.0
    words = key.split()
    shared = sum(w in set(cover.split()) for w in words) / len(words)
    return CONFIDENCE_EMBEDDED_UNSEEN if shared >= 0.6 else CONFIDENCE_EMBEDDED_ALIEN


def embedded_title(metadata: dict) -> str | None:
    """The title in the file's info dictionary or XMP, whitespace tidied."""
    for key in ("title", "dc_title", "Title"):
        value = metadata.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def title_problem(title: str) -> str | None:
    """Why an embedded title is not a real one, or None when it looks sane."""
    title = title.strip()
    letters = sum(c.isalpha() for c in title)
    if not title or letters == 0:
        return "empty"
    if _TOOL_LEFTOVERS.search(title):
        return "left by the authoring tool"
    if (
        _FILE_EXTENSION.search(title)
        or "\\" in title
        or ("/" in title and " " not in title)
    ):
        return "a file name"
    if " " not in title and ("_" in title or any(c.isdigit() for c in title)):
        return "a file name"
    if _VERSION.search(title):
        return "a draft's or template's name"
    if letters / len(title.replace(" ", "")) < 0.5:
        return "mostly not letters"
    words = title.split()
    if title.isupper() and sum(not re.search("[AEIOUY]", w) for w in words) * 2 >= len(
        words
    ):
        return "capitals without vowels"
    if len(words) < 3:
        return "fewer than three words"
    if len(words) > 40:
        return "too long for a title"
    return None


def title_from_lines(
    lines: Sequence[Line], is_name: Callable[[str], bool]
) -> str | None:
    """The run of consecutive lines set in the largest type, when that type
    stands out from the body text; logos' names, dates and labels skipped."""
    kept = [
        (" ".join(t.split()), size)
        for t, size in lines
        if sum(c.isalpha() for c in t) >= 2 or _YEAR.fullmatch(t.strip())
    ]
    if not kept:
        return None
    runs = [_title_run(group, is_name) for group in _groups_by_size(kept)]
    runs = [r for r in runs if len(" ".join(t for t, _ in r).split()) >= 2]
    if not runs:
        return None
    best = max(runs, key=lambda r: r[0][1])
    words = sum(len(t.split()) for t, _ in kept)
    if words > COVER_WORDS and best[0][1] < 1.15 * _body_size(kept):
        return None  # a page of text where nothing stands out: no title
    return join_lines([t for t, _ in best[:MAX_TITLE_LINES]])


def title_from_text(
    page_texts: Sequence[str], is_name: Callable[[str], bool]
) -> tuple[str, int] | None:
    """The first substantial line of the first page with text, with the
    lines that visibly continue it; and that page's number."""
    for number, text in enumerate(page_texts[:2], start=1):
        lines = [" ".join(line.split()) for line in text.splitlines()]
        start = _name_lines(lines, is_name)
        for i, line in enumerate(lines[start:20], start=start):
            if _substantial(line) and not _not_title(line, is_name):
                return join_lines(_continued(lines, i, is_name)), number
    return None


def _name_lines(lines: Sequence[str], is_name: Callable[[str], bool]) -> int:
    """How many of the first lines together spell organisation names only:
    a publisher's name in large type, wrapped over up to three lines."""
    for count in (3, 2, 1):
        if len(lines) > count and is_name(" ".join(lines[:count])):
            return count
    return 0


def _title_run(group: list[Line], is_name: Callable[[str], bool]) -> list[Line]:
    """The title in a run of same-size lines: from the first line that may
    open one (past logos' names, labels and dates) to a line that cannot be
    part of one. A year, a label or a name in the title's own type goes on
    with it: "Global Threat Assessment / 2021", "Lantern Transparency /
    Report"."""
    group = _without_names(group, is_name)
    opens = (i for i, (text, _) in enumerate(group) if not _not_title(text, is_name))
    start = next(opens, None)
    if start is None:
        return []
    run = [group[start]]
    for text, size in group[start + 1 :]:
        if _ends_run(text):
            break
        run.append((text, size))
    return run


def _ends_run(line: str) -> bool:
    """A link, a ©, an identifier or a date other than a bare year."""
    if _NOT_IN_TITLE.match(line):
        return True
    return not _YEAR.fullmatch(line) and any(p.fullmatch(line) for p in DATE_PATTERNS)


def _without_names(group: list[Line], is_name: Callable[[str], bool]) -> list[Line]:
    """A run of same-size lines without the names that open it; nothing when
    the whole run spells names (a logo's text wrapped over its lines)."""
    texts = [t for t, _ in group]
    if is_name(" ".join(texts)):
        return []
    return group[_name_lines(texts, is_name) :]


def join_lines(lines: Sequence[str]) -> str:
    """Lines joined with spaces, words broken by a hyphen at a line end mended."""
    text = ""
    for line in lines:
        if text.endswith("-") and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}".strip()
    return text


def normalise_title(title: str) -> str:
    """Lower case, no accents, punctuation and runs of spaces as one space,
    for comparing titles."""
    plain = title.casefold()
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def _best_two(candidates: list[Suggestion]) -> list[Suggestion]:
    """Best first; a candidate that agrees with a better one raises its
    confidence instead of repeating it."""
    candidates.sort(key=lambda s: -s.confidence)
    kept: list[Suggestion] = []
    for candidate in candidates:
        key = normalise_title(candidate.value)
        same = [k for k in kept if normalise_title(k.value) == key]
        if same:
            first = same[0]
            boosted = min(0.97, first.confidence + 0.07)
            source = f"{first.source}, same as {candidate.source}"
            kept[kept.index(first)] = Suggestion("title", first.value, source, boosted)
        else:
            kept.append(candidate)
    return kept[:2]


def _body_size(lines: Sequence[Line]) -> float:
    """The font size that most of the page's characters are set in."""
    return statistics.median_high(
        size for text, size in lines for _ in range(len(text))
    )


def _groups_by_size(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines whose sizes are within 8 % of the run's first."""
    groups: list[list[Line]] = []
    for text, size in lines:
        if groups and abs(size - groups[-1][0][1]) <= 0.08 * groups[-1][0][1]:
            groups[-1].append((text, size))
        else:
            groups.append([(text, size)])
    return groups


def _not_title(line: str, is_name: Callable[[str], bool]) -> bool:
    if _NOT_TITLE_LINE.match(line) or is_name(line):
        return True
    # A page header that Word or Acrobat printed: "Microsoft Word - draft.docx".
    if _TOOL_LEFTOVERS.search(line) or _FILE_EXTENSION.search(line):
        return True
    return any(p.fullmatch(line.strip()) for p in DATE_PATTERNS)


def _substantial(line: str) -> bool:
    words = line.split()
    letters = sum(c.isalpha() for c in line)
    if len(words) < 2 or letters < 8 or len(words) > 25:
        return False
    if line[:1].islower() or letters / len(line) < 0.4:
        return False
    return not (len(words) > 12 and line.endswith("."))


def _continued(lines: list[str], i: int, is_name: Callable[[str], bool]) -> list[str]:
    """Line ``i`` and the following lines that carry on its title.

    Without font sizes, a wrapped title looks like any other lines: the
    block ends at a blank line, a date, a name, a byline, a sentence, a line
    far longer than the first (smaller type holds more characters), or after
    four lines. A line ending on a connecting word always continues.
    """
    taken = [lines[i]]
    for line in lines[i + 1 : i + 5]:
        if not line:
            break
        if _CONTINUES.search(taken[-1]) or line[:1].islower():
            taken.append(line)
            continue
        if _ends_title(line, taken, is_name):
            break
        taken.append(line)
    return taken


def _ends_title(line: str, taken: list[str], is_name: Callable[[str], bool]) -> bool:
    words = len(line.split())
    if _not_title(line, is_name) or _BYLINE.search(line):
        return True
    if len(line) > 1.5 * max(len(t) for t in taken) or len(taken[-1]) < 20:
        return True  # smaller type, or the title line before was short
    if words > 12 and line.endswith("."):
        return True
    return sum(len(t.split()) for t in taken) + words > 30
