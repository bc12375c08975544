"""The library's resource types in citation managers' terms (CSL, BibTeX, RIS).

Grey literature (briefings, guidance, toolkits …) is a report to a citation
manager, as Zotero files it. Where a format's own type would not bring the
library's type back, the type's label travels as the report's genre (CSL
``genre``, BibTeX ``type``, RIS ``M3``), which is where Zotero keeps "Report
Type" and "Website Type"; on import a genre names the type again, and one the
library does not know becomes a new type (reported, never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from clearinghouse.catalog.vocabularies import RESOURCE_TYPES

LABELS = dict(RESOURCE_TYPES)
SLUGS_BY_NAME = {
    **{label.casefold(): slug for slug, label in RESOURCE_TYPES},
    **{slug: slug for slug, _ in RESOURCE_TYPES},
}
DEFAULT = "report"

# type slug → (CSL type, BibTeX entry type, RIS type)
OUTGOING = {
    "report": ("report", "techreport", "RPRT"),
    "briefing": ("report", "techreport", "RPRT"),
    "research-article": ("article-journal", "article", "JOUR"),
    "guidance": ("report", "techreport", "RPRT"),
    "toolkit": ("report", "techreport", "RPRT"),
    "online-tool": ("webpage", "misc", "ELEC"),
    "good-practice": ("report", "techreport", "RPRT"),
    "blog-post": ("post-weblog", "misc", "BLOG"),
    "policy-legislation": ("report", "techreport", "RPRT"),
    "dataset": ("dataset", "misc", "DATA"),
    "video": ("motion_picture", "misc", "VIDEO"),
    "training-material": ("report", "techreport", "RPRT"),
    "news": ("article-newspaper", "misc", "NEWS"),
}

# A format's type → the library's type, for items that name no genre.
CSL_INCOMING = {
    "article": "research-article",
    "article-journal": "research-article",
    "paper-conference": "research-article",
    "thesis": "research-article",
    "dataset": "dataset",
    "motion_picture": "video",
    "broadcast": "video",
    "post": "blog-post",
    "post-weblog": "blog-post",
    "article-newspaper": "news",
    "article-magazine": "news",
    "legislation": "policy-legislation",
    "bill": "policy-legislation",
    "regulation": "policy-legislation",
    "treaty": "policy-legislation",
    "standard": "policy-legislation",
    "software": "online-tool",
}
BIBTEX_INCOMING = {
    "article": "research-article",
    "inproceedings": "research-article",
    "conference": "research-article",
    "phdthesis": "research-article",
    "mastersthesis": "research-article",
    "thesis": "research-article",
    "dataset": "dataset",
    "video": "video",
    "movie": "video",
    "software": "online-tool",
}
RIS_INCOMING = {
    "JOUR": "research-article",
    "EJOUR": "research-article",
    "JFULL": "research-article",
    "CONF": "research-article",
    "CPAPER": "research-article",
    "THES": "research-article",
    "INPR": "research-article",
    "DATA": "dataset",
    "DBASE": "dataset",
    "AGGR": "dataset",
    "VIDEO": "video",
    "MPCT": "video",
    "ADVS": "video",
    "MULTI": "video",
    "BLOG": "blog-post",
    "NEWS": "news",
    "MGZN": "news",
    "STAT": "policy-legislation",
    "BILL": "policy-legislation",
    "LEGAL": "policy-legislation",
    "STAND": "policy-legislation",
    "COMP": "online-tool",
}
INCOMING = {"csl": CSL_INCOMING, "bibtex": BIBTEX_INCOMING, "ris": RIS_INCOMING}
POSITION = {"csl": 0, "bibtex": 1, "ris": 2}


@dataclass(frozen=True)
class Outgoing:
    kind: str  # the format's type
    genre: str  # "" when the format's type brings the library's type back


def outgoing(types: list[str], fmt: str) -> Outgoing:
    """The format's type for a record's first type, and the genre it needs."""
    slug = types[0] if types else DEFAULT
    kind = OUTGOING.get(slug, OUTGOING[DEFAULT])[POSITION[fmt]]
    if INCOMING[fmt].get(kind, DEFAULT) == slug:
        return Outgoing(kind, "")
    return Outgoing(kind, LABELS.get(slug) or slug.replace("-", " ").capitalize())


def incoming(kind: str, genre: str, fmt: str) -> list[str]:
    """The library's type for a format's type and genre (a label or a slug)."""
    genre = genre.strip()
    if genre:
        return [SLUGS_BY_NAME.get(genre.casefold(), genre)]
    key = kind.strip().upper() if fmt == "ris" else kind.strip().lower()
    return [INCOMING[fmt].get(key, DEFAULT)]
