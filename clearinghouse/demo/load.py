"""Load the bundled demo library: 147 real publications (facts) with sample summaries.

Titles, publishers, dates and links describe real publications; summaries and
the attached "sample data sheets" were written for this demo and say so.
"""

import datetime
import hashlib
import json
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from clearinghouse.catalog.models import (
    Document,
    Organisation,
    Page,
    Region,
    Resource,
)
from clearinghouse.catalog.roles import ADMINISTRATOR
from clearinghouse.formats.importing import import_records
from clearinghouse.formats.jsonl import read_jsonl
from clearinghouse.ingest.extraction import extract
from clearinghouse.ingest.storage import store_thumbnail

DEMO = Path(__file__).resolve().parent
CURATOR = "curator"


@transaction.atomic
def load_demo() -> int:
    """Load organisations, records and sheets; returns the number of records."""
    load_organisations()
    with (DEMO / "library.jsonl").open(encoding="utf-8") as stream:
        report = import_records(read_jsonl(stream), publish=True)
    records = [json.loads(line) for line in (DEMO / "library.jsonl").open()]
    _stagger_dates_added(records)
    for record in records:
        _attach_sheet(Resource.objects.get(uid=record["id"]), record)
    return len(report.created) + len(report.updated)


def load_organisations() -> None:
    for row in json.loads((DEMO / "organisations.json").read_text(encoding="utf-8")):
        Organisation.objects.update_or_create(
            name=row["name"],
            defaults={
                "slug": slugify(row["acronym"] or row["name"])[:120],
                "acronym": row["acronym"] or "",
                "aliases": row["aliases"],
                "kind": row["kind"],
                "country": Region.objects.filter(code=row["country"]).first(),
                "website": row["website"] or "",
            },
        )


def _stagger_dates_added(records: list[dict]) -> None:
    """Spread "date added" over recent weeks, newest publications added last."""
    now = timezone.now()
    by_date = sorted(records, key=lambda r: r["date"] or "", reverse=True)
    for position, record in enumerate(by_date):
        added = now - datetime.timedelta(hours=9 * position + 1)
        Resource.objects.filter(uid=record["id"]).update(created_at=added)


def _attach_sheet(resource: Resource, record: dict) -> None:
    path = DEMO / "sheets" / f"{uuid.UUID(record['id']).hex[:12]}.pdf"
    if not path.exists() or resource.documents.exists():
        return
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    document = Document(
        resource=resource,
        original_name=f"{resource.slug[:80]}-sample-sheet.pdf",
        title="Sample data sheet",
        sha256=digest,
        size=len(data),
        media_type="application/pdf",
        pages=1,
        language="en",
        text=" ".join([record["summary"], *record["keywords"]]),
    )
    document.file.save(f"{digest[:2]}/{digest}.pdf", ContentFile(data), save=False)
    # The bundled sheets are trusted and small: read in this process, for the
    # cover shown on cards and the page text behind "found on page 1".
    extraction = extract(path, "application/pdf")
    if extraction.thumbnail:
        document.thumbnail = store_thumbnail(extraction.thumbnail)
    document.save()
    Page.objects.bulk_create(
        Page(document=document, number=number, text=text)
        for number, text in enumerate(extraction.page_texts, start=1)
    )


def ensure_curator() -> tuple[str, str]:
    """A curator account for the demo; its password is kept in the data folder."""
    secret_file = Path(settings.DATA_DIR) / "demo-curator-password.txt"
    user = User.objects.filter(username=CURATOR).first()
    if user is None or not secret_file.exists():
        password = secrets.token_urlsafe(12)
        user = user or User(username=CURATOR)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=ADMINISTRATOR))
        secret_file.write_text(password + "\n", encoding="utf-8")
        secret_file.chmod(0o600)
    return CURATOR, secret_file.read_text(encoding="utf-8").strip()
