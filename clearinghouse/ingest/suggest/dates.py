"""The publication date, from the cover, the inside cover or the back page.

Grey literature prints its date as "May 2022", "1 September 2021" or only in
a copyright line ("© UNICEF 2022"). Dates are looked for on the first two
pages and the last page; each one found is weighed by where it is (a short
line of its own on the cover beats a date in a sentence), what stands near it
("Published", "©" count for; "accessed", "received" against) and how precise
it is. The embedded creation date is a weak fallback: files are re-saved.
"""

import datetime as dt
import re
from dataclasses import dataclass

from clearinghouse.ingest.suggest.suggestion import Suggestion, clamp

# English, French, Spanish, Portuguese and German month names; abbreviations
# are the first three letters (plus "Sept").
_MONTH_NAMES = {
    1: "january janvier enero janeiro januar jan",
    2: "february fevrier février febrero fevereiro februar feb",
    3: "march mars marzo março märz maerz mar",
    4: "april avril abril apr",
    5: "may mai mayo maio",
    6: "june juin junio junho juni jun",
    7: "july juillet julio julho juli jul",
    8: "august aout août agosto aug",
    9: "september septembre septiembre setiembre setembro sept sep",
    10: "october octobre octubre outubro oktober oct",
    11: "november novembre noviembre novembro nov",
    12: "december decembre décembre diciembre dezembro dezember dec",
}
MONTHS = {
    name: number for number, names in _MONTH_NAMES.items() for name in names.split()
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})\b"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_OF = r"(?:\s+(?:of|de|del))?"
PATTERNS = [
    re.compile(rf"\b{_DAY}{_OF}\s+{_MONTH}{_OF},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}{_OF},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(
        r"(?:©|\(c\)|copyright|published(?:\s+in)?|first published|publication date"
        rf"|date of publication|edition)\s*:?[^\n\d]{{0,60}}?{_YEAR}",
        re.IGNORECASE,
    ),
    re.compile(rf"^\s*{_YEAR}\s*$", re.MULTILINE),
]
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
_FOR = re.compile(
    r"©|\(c\)|copyright|published|publication|edition|issued|released", re.IGNORECASE
)
_AGAINST = re.compile(
    r"accessed|retrieved|received|accepted|submitted|adopted|entered into force"
    r"|updated|revised|since|between|until|from\b|deadline|\bdue\b|session"
    r"|as of|as at|correct|period|\bto\b|through|covering|collect|took place",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateFound:
    """A date seen in the text: partial ISO value, what was written, where,
    and its weight."""

    value: str
    written: str
    page: int
    weight: float


def suggest_date(page_texts: list[str], metadata: dict) -> list[Suggestion]:
    """The most likely publication date, and a second guess when different."""
    found = dates_in_pages(page_texts)
    embedded = embedded_date(metadata)
    ranked = rank(found, embedded)
    suggestions = [
        Suggestion("date", d.value, f"'{d.written}' on page {d.page}", clamp(score))
        for d, score in ranked[:2]
    ]
    if embedded and not suggestions:
        source = "creation date embedded in the file"
        suggestions.append(Suggestion("date", embedded, source, 0.3))
    return suggestions


def dates_in_pages(page_texts: list[str]) -> list[DateFound]:
    """Dates on the first two pages and the last page, weighed."""
    last = len(page_texts) - 1
    wanted = sorted({i for i in (0, 1, last) if 0 <= i <= last})
    page_weights = {last: 0.85, 1: 0.8, 0: 1.0}  # later keys win on short files
    found = []
    for index in wanted:
        for date in dates_in_text(page_texts[index], index + 1):
            weight = date.weight * page_weights.get(index, 0.8)
            found.append(DateFound(date.value, date.written, date.page, weight))
    return found


def dates_in_text(text: str, page: int) -> list[DateFound]:
    """Every date in ``text``, read line by line: only lines with a year
    can hold one, and the month-name patterns are slow on long text."""
    found = []
    for line in text.splitlines():
        if _ANY_YEAR.search(line):
            found.extend(dates_in_line(line, page))
    return found


def dates_in_line(text: str, page: int) -> list[DateFound]:
    """Every date pattern in one line; overlapping matches keep the first
    (most precise) pattern's."""
    taken: list[tuple[int, int]] = []
    found = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            value = iso_value(match)
            if value is None:
                continue
            taken.append(match.span())
            written = " ".join(match.group().split())
            found.append(DateFound(value, written, page, weigh(text, match, value)))
    return found


def iso_value(match: re.Match) -> str | None:
    """ "2021-09-01", "2022-05" or "2021" from a match, or None when it is
    not a real date or lies in the future (a deadline, a plan's end)."""
    groups = match.groupdict()
    year = int(groups["year"])
    month = groups.get("month")
    day = groups.get("day")
    number = None
    if month:
        number = (
            int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
        )
        if number is None:
            return None
    try:
        date = dt.date(year, number or 1, int(day) if day else 1)
    except ValueError:
        return None
    if date.year < 1950 or date > dt.date.today() + dt.timedelta(days=366):
        return None
    if day:
        return date.isoformat()
    return f"{year}-{number:02d}" if number else str(year)


def weigh(text: str, match: re.Match, value: str) -> float:
    """How much a date counts: precise, on its own line, near "published"."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    weight = {4: 0.5, 7: 1.0, 10: 1.0}[len(value)]
    cued = bool(_FOR.search(line))
    words = len(line.split())
    if len(match.group()) / max(1, len(line.strip())) > 0.5:
        weight *= 1.5  # the date is most of its line: a cover or imprint date
    elif words > 12 or (words >= 7 and line.rstrip().endswith(".") and not cued):
        weight *= 0.5  # inside a sentence: an event or a period, not the publication
    before = text[max(line_start, match.start() - 40) : match.start()]
    if cued:
        weight *= 1.6
    if _AGAINST.search(before):
        weight *= 0.2
    return weight


def rank(found: list[DateFound], embedded: str | None) -> list[tuple[DateFound, float]]:
    """Dates by total weight; a year agreeing with a more precise date (the
    "© 2022" under "May 2022") or with the embedded date adds to it."""
    totals: dict[str, float] = {}
    best: dict[str, DateFound] = {}
    for d in found:
        totals[d.value] = totals.get(d.value, 0.0) + d.weight
        if d.value not in best or d.weight > best[d.value].weight:
            best[d.value] = d
    for value in list(totals):
        support = sum(
            d.weight for d in found if d.value != value and value.startswith(d.value)
        )
        if embedded and embedded[:4] == value[:4]:
            support += 0.2
        totals[value] += 0.5 * support
    ordered = sorted(totals, key=lambda v: (-totals[v], -len(v)))
    return [(best[v], confidence(totals[v], v)) for v in ordered]


def confidence(total: float, value: str) -> float:
    """A total weight as a 0-1 confidence; a bare year is never very sure."""
    sure = 1 - 2.0 ** (-total * 1.5)
    return sure * (0.75 if len(value) == 4 else 0.95)


def embedded_date(metadata: dict) -> str | None:
    """ "YYYY-MM" from the embedded creation date ("2022-05-15T10:30:00",
    "D:20220515103000+02'00'", a date or datetime), or None."""
    for key in ("created", "dc_date", "creation_date", "CreationDate"):
        value = metadata.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dt.date):
            return f"{value.year}-{value.month:02d}"
        if isinstance(value, str):
            match = re.search(r"((?:19|20)\d{2})-?([01]\d)", value)
            if match and 1 <= int(match.group(2)) <= 12:
                return f"{match.group(1)}-{match.group(2)}"
    return None


def precision(value: str) -> str:
    """ "year", "month" or "day" for a partial ISO date."""
    return {4: "year", 7: "month", 10: "day"}[len(value)]
