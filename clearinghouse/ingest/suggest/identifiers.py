"""DOIs and ISBNs found in the text.

A report's own identifiers sit on its first pages or on the back page; DOIs
further in are citations, so only the first and last three pages are read,
and a DOI on a line that reads like a reference ("et al.", "(2019)",
"Retrieved") or under a "References" heading counts for little.
"""

import re
from dataclasses import dataclass

from clearinghouse.ingest.suggest.suggestion import Suggestion, clamp, page_list

# Crossref's recommended pattern for modern DOIs, /^10.\d{4,9}/[-._;()/:A-Z0-9]+$/i
# (https://www.crossref.org/blog/dois-and-matching-regular-expressions/),
# unanchored so that it is found inside "https://doi.org/10...." and "doi:10....".
# Starting with the literal "10." lets the regex engine skip ahead fast; the
# word boundary before it is checked in code.
_DOI = re.compile(r"10\.\d{4,9}/[-._;()/:A-Za-z0-9]+")
_DOI_CUE = re.compile(r"(?:doi\s*:?\s*|doi\.org/)$", re.IGNORECASE)
# "ISBN", "ISBN-13", "eISBN", "ISBN (PDF)", "ISBN print:" then the number;
# the number itself is cut from the run of digits, hyphens and spaces after it.
_ISBN_LABEL = re.compile(
    r"\b(?:e-?)?ISBN(?:-1[03])?\b(?:[ \t]*\([^)\n]{0,20}\))?[ \t:]*"
    r"(?P<run>[\dXx][\dXx \t\u2010-\u2015-]{8,24})",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[ \t\u2010-\u2015-]+")
# A 13-digit ISBN without a label: 978/979 with hyphens or spaces.
_ISBN_BARE = re.compile(r"97[89](?:[ \t\u2010-\u2015-]?\d){10}(?!\d)")
EDGE_PAGES = 3
_REFERENCE_LINE = re.compile(
    r"\bet al\b|\(\d{4}[a-z]?\)|\bretrieved\b|\baccessed\b|\bvol\.|\bpp\.",
    re.IGNORECASE,
)
_REFERENCES_HEADING = re.compile(
    r"^\s*(?:references|bibliography|endnotes|notes|works cited)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Found:
    """An identifier seen once: its value, page and how much it counts."""

    value: str
    page: int
    weight: float


def suggest_identifiers(page_texts: list[str]) -> list[Suggestion]:
    """The document's most likely DOI and its ISBNs (print and electronic)."""
    return suggest_doi(page_texts) + suggest_isbns(page_texts)


def suggest_doi(page_texts: list[str]) -> list[Suggestion]:
    """At most one DOI: the one with the most weight, if it is not only cited."""
    count = len(page_texts)
    found = [f for n in _edge_indexes(count) for f in _dois(page_texts[n], n, count)]
    best = _best(found)
    if best is None:
        return []
    value, weight, pages = best
    if weight < 0.3:
        return []
    source = f"'{value}' on {page_list(pages)}"
    return [Suggestion("doi", value, source, clamp(0.4 + weight / 2))]


def suggest_isbns(page_texts: list[str]) -> list[Suggestion]:
    """Every valid ISBN labelled as such or printed as a 978/979 number."""
    found = [
        f for n in _edge_indexes(len(page_texts)) for f in _isbns(page_texts[n], n)
    ]
    by_value: dict[str, list[Found]] = {}
    for f in found:
        by_value.setdefault(f.value, []).append(f)
    ranked = sorted(by_value.items(), key=lambda kv: -max(f.weight for f in kv[1]))
    return [
        Suggestion(
            "isbn",
            value,
            f"ISBN {value} on {page_list([f.page for f in seen])}",
            clamp(max(f.weight for f in seen)),
        )
        for value, seen in ranked[:3]
    ]


def _dois(text: str, index: int, page_count: int) -> list[Found]:
    position = _page_weight(index, page_count)
    references = _REFERENCES_HEADING.search(text)
    found = []
    for match in _DOI.finditer(text):
        if match.start() and (
            text[match.start() - 1].isalnum() or text[match.start() - 1] == "."
        ):
            continue  # the tail of a longer number, not a DOI
        value = strip_doi(match.group())
        weight = position
        if _DOI_CUE.search(text[max(0, match.start() - 12) : match.start()]):
            weight += 0.15
        line = _line_at(text, match.start())
        if _REFERENCE_LINE.search(line) or (
            references and references.start() < match.start()
        ):
            weight *= 0.2
        found.append(Found(value, index + 1, weight))
    return found


def strip_doi(doi: str) -> str:
    """A DOI without the punctuation that ends the sentence around it: a
    trailing full stop, comma, semicolon or colon, and closing brackets that
    open nowhere in the DOI ("(see 10.1000/xyz)")."""
    while doi:
        last = doi[-1]
        unbalanced = last == ")" and doi.count("(") < doi.count(")")
        if last not in ".,;:" and not unbalanced:
            break
        doi = doi[:-1]
    return doi


def _best(found: list[Found]) -> tuple[str, float, list[int]] | None:
    """The value with the highest summed weight, case-insensitively."""
    if not found:
        return None
    totals: dict[str, float] = {}
    first: dict[str, Found] = {}
    for f in found:
        key = f.value.lower()
        totals[key] = totals.get(key, 0.0) + f.weight
        first.setdefault(key, f)
    key = max(totals, key=totals.__getitem__)
    pages = [f.page for f in found if f.value.lower() == key]
    return first[key].value, totals[key], pages


def _isbns(text: str, index: int) -> list[Found]:
    found = []
    for match in _ISBN_LABEL.finditer(text):
        value = isbn_from_run(match.group("run"))
        if value:
            found.append(Found(value, index + 1, 0.95))
    for match in _ISBN_BARE.finditer(text):
        if match.start() and text[match.start() - 1] in "/.-0123456789":
            continue  # inside a DOI, a URL or a longer number
        value = isbn_from_run(match.group())
        if value:
            found.append(Found(value, index + 1, 0.7))
    return found


def isbn_from_run(run: str) -> str | None:
    """The valid ISBN at the start of a run of digit groups
    ("978-92-2-131234-5 2021" -> "9789221312345"), or None.

    Groups are added one at a time so that a number printed after the ISBN
    on the same line is not glued onto it; a valid ISBN-13 wins over the
    ISBN-10 that its first ten digits may happen to form.
    """
    digits, isbn10 = "", None
    for group in _SEPARATORS.split(run.strip()):
        digits += group.upper()
        if len(digits) == 10 and is_valid_isbn10(digits):
            isbn10 = digits
        if len(digits) == 13 and is_valid_isbn13(digits):
            return digits
        if len(digits) >= 13:
            break
    return isbn10


def is_valid_isbn10(digits: str) -> bool:
    """ISBN-10 checksum: sum of digit x weight (10 down to 1) divisible by
    11, with "X" standing for 10 in the last place."""
    if len(digits) != 10 or not digits[:9].isdigit():
        return False
    if not (digits[9].isdigit() or digits[9] == "X"):
        return False
    values = [int(c) for c in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
    return sum(v * w for v, w in zip(values, range(10, 0, -1), strict=True)) % 11 == 0


def is_valid_isbn13(digits: str) -> bool:
    """ISBN-13 (EAN-13) checksum with weights 1, 3, 1, 3 ... and a 978 or
    979 prefix."""
    if len(digits) != 13 or not digits.isdigit() or digits[:3] not in ("978", "979"):
        return False
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
    return total % 10 == 0


def _edge_indexes(page_count: int) -> list[int]:
    """The first and last ``EDGE_PAGES`` pages: where a document prints its
    own identifiers (those further in are citations)."""
    edges = set(range(min(EDGE_PAGES, page_count)))
    edges |= set(range(max(0, page_count - EDGE_PAGES), page_count))
    return sorted(edges)


def _page_weight(index: int, page_count: int) -> float:
    """Most of all the first two and last two pages."""
    if index < 2 or index >= page_count - 2:
        return 1.0
    return 0.25


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]
