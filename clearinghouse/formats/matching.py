"""Finding the catalog's record for an imported one, so imports update instead
of duplicating.

In order: the same identifier; the same DOI; the same source URL (with the
same title, or the only record at that URL when the years do not differ);
the same title and year. Titles compare normalised (case, accents,
punctuation and spacing ignored), with or without their subtitle; URLs
without scheme, "www.", fragment or trailing slash; DOIs bare and
case-insensitive. A URL alone is not trusted where several records share it
(series often share one landing page), and two different DOIs never match.

The catalog is read once per import into an index; records the import
creates join it, so a file that names one work twice updates it the second
time.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.bibliographic import bare_doi


def normal_title(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def normal_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def normal_doi(doi: str) -> str:
    return bare_doi(doi).casefold()


@dataclass
class Known:
    pk: int
    year: int | None
    doi: str
    titles: tuple[str, ...]  # the title alone, and with its subtitle


class Matcher:
    def __init__(self) -> None:
        self.by_uid: dict[str, int] = {}
        self.by_doi: dict[str, int] = {}
        self.by_url: dict[str, list[Known]] = defaultdict(list)
        self.by_title: dict[tuple[str, int | None], int] = {}
        self.doi_of: dict[int, str] = {}
        rows = Resource.objects.values_list(
            "pk", "uid", "doi", "url", "title", "subtitle", "date"
        )
        for pk, uid, doi, url, title, subtitle, date in rows.order_by("pk"):
            self._add(
                pk, str(uid), doi, url, title, subtitle, date.year if date else None
            )

    def add(self, resource: Resource) -> None:
        """Index a record the import has just created or changed."""
        self._add(
            resource.pk,
            str(resource.uid),
            resource.doi,
            resource.url,
            resource.title,
            resource.subtitle,
            resource.year,
        )

    def _add(
        self,
        pk: int,
        uid: str,
        doi: str,
        url: str,
        title: str,
        subtitle: str,
        year: int | None,
    ) -> None:
        titles = tuple(
            dict.fromkeys(
                t
                for t in (normal_title(title), normal_title(f"{title} {subtitle}"))
                if t
            )
        )
        known = Known(pk, year, normal_doi(doi), titles)
        self.by_uid.setdefault(uid, pk)
        if known.doi:
            self.by_doi.setdefault(known.doi, pk)
            self.doi_of[pk] = known.doi
        if key := normal_url(url):
            self.by_url[key].append(known)
        for normal in titles:
            self.by_title.setdefault((normal, year), pk)

    def find(self, record: dict) -> Resource | None:
        """The catalog's record for a clean native record, if there is one."""
        pk = self._find_pk(record)
        return Resource.objects.filter(pk=pk).first() if pk else None

    def _find_pk(self, record: dict) -> int | None:
        if record["id"] and (pk := self.by_uid.get(str(record["id"]))):
            return pk
        doi = normal_doi(record["doi"])
        if doi and (pk := self.by_doi.get(doi)):
            return pk
        year = record["date"][0].year if record["date"] else None
        titles = {
            normal_title(record["title"]),
            normal_title(f"{record['title']} {record['subtitle']}"),
        }
        by_url = self._by_url(record["url"], doi, year, titles)
        if by_url:
            return by_url
        for title in titles:
            pk = self.by_title.get((title, year))
            if pk and not self._dois_differ(pk, doi):
                return pk
        return None

    def _by_url(self, url: str, doi: str, year: int | None, titles: set) -> int | None:
        candidates = [
            k
            for k in self.by_url.get(normal_url(url), [])
            if not (doi and k.doi and k.doi != doi)
        ]
        same_title = [k for k in candidates if titles & set(k.titles)]
        if same_title:
            return same_title[0].pk
        only = candidates[0] if len(candidates) == 1 else None
        if only and (year is None or only.year in (None, year)):
            return only.pk
        return None

    def _dois_differ(self, pk: int, doi: str) -> bool:
        theirs = self.doi_of.get(pk, "")
        return bool(doi and theirs and theirs != doi)
