"""Fields the citation formats (CSL-JSON, BibTeX, RIS) share, both ways.

- **Titles.** Citation managers keep one title; the library keeps a title and a
  subtitle. Out: "Title: Subtitle" with the title alone as the short title (as
  Zotero's "Short Title"). In: a full title that starts with its short title
  splits back into the two.
- **Creators.** People are authors. A record with no people is cited under its
  publishers, as this sector's reports are ("WeProtect Global Alliance.
  (2021)."), so they go out as institutional authors too. In: institutional
  authors join the publishers (before the publisher field's names); people
  become authors.
- **Dates** keep their precision: [2021], [2021, 9], [2021, 9, 1].
- **Lists** with no list syntax of their own (publishers, languages) are
  joined with "; "; keywords with ", ", as Zotero writes tags.
"""

from __future__ import annotations

import re
import uuid
from functools import cache

from clearinghouse.catalog.vocabularies import read
from clearinghouse.formats.names import PersonName, split_name

LIST_SEPARATOR = "; "


def full_title(record: dict) -> str:
    title, subtitle = record["title"], record.get("subtitle", "")
    if not subtitle:
        return title
    separator = " " if title.endswith(("?", "!", ":", ".")) else ": "
    return f"{title}{separator}{subtitle}"


def split_title(full: str, short: str = "") -> dict:
    """{"title": …, "subtitle": …} from a full title and a short title."""
    full, short = full.strip(), short.strip()
    rest = full[len(short) :] if short and full.startswith(short) else ""
    subtitle = rest.lstrip(": ").strip() if rest[:1] in (":", " ") else ""
    if subtitle:
        return {"title": short, "subtitle": subtitle}
    return {"title": full}


def creators(record: dict) -> tuple[list[PersonName], list[str]]:
    """(people, organisations) to name as a record's authors."""
    people = [split_name(name) for name in record["authors"]]
    return people, ([] if people else list(record["publishers"]))


def people_and_publishers(names: list[tuple[str, bool]], publishers: list[str]) -> dict:
    """Native ``authors`` and ``publishers`` from (name, is organisation) pairs
    and the publisher field's names; only the keys the item speaks of."""
    record = {}
    people = [name for name, is_org in names if not is_org and name]
    if people:
        record["authors"] = people
    organisations = [name for name, is_org in names if is_org and name]
    merged = _unique(organisations + publishers)
    if merged:
        record["publishers"] = merged
    return record


def _unique(names: list[str]) -> list[str]:
    seen, kept = set(), []
    for name in names:
        key = name.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            kept.append(name.strip())
    return kept


def split_list(text: str, separators: str = ";") -> list[str]:
    return [part.strip() for part in re.split(f"[{separators}]", text) if part.strip()]


def date_parts(date: str | None) -> list[int]:
    """[2021, 9, 1] from "2021-09-01"; [] when there is no date."""
    return [int(part) for part in date.split("-")] if date else []


def date_from_parts(parts: list) -> str:
    """ "2021-09" from [2021, 9] (or ["2021", "9"]); raises ValueError if not a date."""
    numbers = [int(str(part).strip()) for part in parts[:3] if str(part).strip()]
    if not numbers:
        raise ValueError("the date has no year")
    widths = (4, 2, 2)
    return "-".join(f"{n:0{w}d}" for n, w in zip(numbers, widths, strict=False))


LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)


def language_values(text: str) -> list[str]:
    """ISO 639-1 codes from what citation managers write: "en", "en-GB",
    "English", "en; fr". Anything else is kept, to be refused by name."""
    values = []
    for part in split_list(text, ";,/"):
        tag = LANGUAGE_TAG.match(part)
        if tag and len(tag.group(1)) == 2:
            values.append(tag.group(1).lower())
        else:
            values.append(_language_codes().get(part.casefold(), part))
    return values


@cache
def _language_codes() -> dict[str, str]:
    """English language name → ISO 639-1 code, from the shipped vocabulary."""
    return {row["name"].casefold(): row["code"] for row in read("languages.json")}


DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/")


def bare_doi(doi: str) -> str:
    """ "10.1000/xyz" from a DOI written bare, as "doi:…" or as a resolver URL."""
    doi = doi.strip()
    for prefix in (*DOI_PREFIXES, "http://dx.doi.org/"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    if doi.lower().startswith("doi:"):
        doi = doi[4:]
    return doi.strip()


def foreign_id(value: str) -> str:
    """An item's identifier, when it can safely name one record for ever.

    A UUID (the library's own) or a URI (Zotero's item URIs) does; a short
    key such as "ITEM-1" or "smith2021" does not, since the next file may use
    it for another work, so it is not kept and matching falls to DOI, URL and
    title.
    """
    value = str(value or "").strip()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value if "://" in value else ""
