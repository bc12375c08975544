"""Covers: first-page thumbnails on cards and resource pages, served safely.

Thumbnails are real WebP and PNG files (Pillow) in a throwaway MEDIA_ROOT, or
rendered by ingest from a real PDF; pages are fetched through the test client.
"""

import io
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from PIL import Image

from clearinghouse.catalog.models import Document, Page, Resource
from tests.test_downloads import pdf_bytes
from tests.world import make_personas, make_resource

COVER = re.compile(r'<img src="([^"]+)" alt="([^"]*)"[^>]*class="card__cover">')


def image_bytes(kind: str = "WEBP", colour: str = "#12436d") -> bytes:
    """A small page-shaped image in one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (30, 42), colour).save(buffer, format=kind)
    return buffer.getvalue()


def attach_with_cover(
    resource: Resource, thumbnail: bytes | None = None, name: str = "cover.webp"
) -> Document:
    """A finished document whose file and thumbnail are really stored."""
    document = Document(
        resource=resource, original_name="report.pdf", media_type="application/pdf"
    )
    document.file.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
    thumbnail = image_bytes() if thumbnail is None else thumbnail
    document.thumbnail.save(name, ContentFile(thumbnail), save=False)
    document.save()
    return document


def covers(page: str) -> dict[str, str]:
    """Alt text → src of each card cover on a page."""
    return {alt: src for src, alt in COVER.findall(page)}


class ThumbnailViewTests(TestCase):
    # Per test, not setUpTestData: each test has its own MEDIA_ROOT (conftest).
    def setUp(self):
        self.personas = make_personas()
        self.public = attach_with_cover(make_resource("Global threat assessment"))
        self.members = attach_with_cover(
            make_resource("Hotline toolkit", document_access="members")
        )
        self.draft = attach_with_cover(make_resource("Draft", status="draft"))
        self.withdrawn = attach_with_cover(make_resource("Gone", status="withdrawn"))

    def fetch(self, document: Document, persona: str = "anonymous", **headers):
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(self.personas[persona])
        slug = document.resource.slug
        url = f"/resources/{slug}/documents/{document.pk}/thumbnail"
        return self.client.get(url, headers=headers)

    def test_it_serves_a_public_cover_as_webp_with_safe_headers(self):
        response = self.fetch(self.public)
        self.assertEqual(
            (200, "image/webp", "nosniff", "public, max-age=3600"),
            (
                response.status_code,
                response["Content-Type"],
                response["X-Content-Type-Options"],
                response["Cache-Control"],
            ),
        )
        self.assertEqual(image_bytes(), b"".join(response.streaming_content))

    def test_it_answers_a_revalidation_with_304(self):
        etag = self.fetch(self.public)["ETag"]
        response = self.fetch(self.public, **{"If-None-Match": etag})
        self.assertEqual(304, response.status_code)

    def test_it_sends_png_as_png(self):
        document = attach_with_cover(
            make_resource("Briefing"), image_bytes("PNG"), "cover.png"
        )
        self.assertEqual("image/png", self.fetch(document)["Content-Type"])

    def test_it_never_sends_a_file_that_is_not_an_image_it_knows(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        document = attach_with_cover(make_resource("Odd"), svg, "cover.webp")
        self.assertEqual(404, self.fetch(document).status_code)

    def test_it_answers_404_without_a_thumbnail_or_its_file(self):
        bare = Document.objects.create(
            resource=self.public.resource, file="files/x.pdf", media_type="text/plain"
        )
        self.assertEqual(404, self.fetch(bare).status_code)
        Document.objects.filter(pk=bare.pk).update(thumbnail="thumbnails/gone.webp")
        bare.refresh_from_db()
        self.assertEqual(404, self.fetch(bare).status_code)

    def test_each_persona_sees_exactly_the_covers_it_may_download(self):
        expected = {
            "anonymous": {"public": 200, "members": 403, "draft": 404, "gone": 410},
            "member": {"public": 200, "members": 200, "draft": 404, "gone": 410},
            "editor": {"public": 200, "members": 200, "draft": 200, "gone": 410},
        }
        documents = {
            "public": self.public,
            "members": self.members,
            "draft": self.draft,
            "gone": self.withdrawn,
        }
        for persona, statuses in expected.items():
            got = {
                name: self.fetch(document, persona).status_code
                for name, document in documents.items()
            }
            self.assertEqual(statuses, got, persona)

    def test_it_keeps_covers_that_not_everyone_may_see_out_of_shared_caches(self):
        self.assertEqual(
            "private, no-cache", self.fetch(self.members, "member")["Cache-Control"]
        )
        self.assertEqual(
            "private, no-cache", self.fetch(self.draft, "editor")["Cache-Control"]
        )

    def test_it_refuses_a_cover_through_another_records_address(self):
        url = f"/resources/{self.public.resource.slug}/documents/{self.members.pk}/"
        self.assertEqual(404, self.client.get(url + "thumbnail").status_code)


class CoverOnPagesTests(TestCase):
    def setUp(self):
        self.personas = make_personas()
        self.public = make_resource(
            "Global threat assessment",
            topics=("grooming",),
            publishers=("WeProtect Global Alliance",),
            featured=True,
        )
        self.public_document = attach_with_cover(self.public)
        self.members = make_resource(
            "Hotline toolkit",
            topics=("grooming",),
            publishers=("WeProtect Global Alliance",),
            document_access="members",
        )
        attach_with_cover(self.members)
        make_resource("Without documents", topics=("grooming",))

    def page(self, url: str, persona: str = "anonymous") -> str:
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(self.personas[persona])
        response = self.client.get(url)
        self.assertEqual(200, response.status_code, url)
        return response.content.decode()

    def test_cards_show_the_covers_the_reader_may_see(self):
        url = self.public_document.resource.slug
        src = f"/resources/{url}/documents/{self.public_document.pk}/thumbnail?v="
        for listing in (
            "/",
            "/library/",
            "/topics/grooming/",
            "/organisations/weprotect-global-alliance/",
        ):
            found = covers(self.page(listing))
            self.assertEqual(["First page of Global threat assessment"], list(found))
            self.assertTrue(
                found["First page of Global threat assessment"].startswith(src)
            )
            self.assertEqual(
                [
                    "First page of Global threat assessment",
                    "First page of Hotline toolkit",
                ],
                sorted(covers(self.page(listing, "member"))),
                listing,
            )

    def test_a_card_cover_keeps_its_place_and_loads_lazily(self):
        page = self.page("/library/")
        tag = re.search(r"<img [^>]*card__cover[^>]*>", page).group()
        for attribute in ('width="300"', 'height="424"', 'loading="lazy"'):
            self.assertIn(attribute, tag)
        self.assertIn('<article class="card card--with-cover">', page)
        self.assertIn('<article class="card">', page)  # the record without one

    def test_the_resource_page_shows_the_cover_beside_the_download(self):
        page = self.page(self.public.get_absolute_url())
        download = page[page.index('<section class="download"') :]
        download = download[: download.index("</section>")]
        self.assertRegex(
            download,
            r'<div class="download__body download__body--with-cover">\s*'
            r'<img src="/resources/[\w-]+/documents/\d+/thumbnail\?v=\w+" '
            r'alt="First page of Global threat assessment" width="300" height="424"',
        )
        self.assertIn("Download PDF", download)

    def test_the_resource_page_hides_a_restricted_cover(self):
        page = self.page(self.members.get_absolute_url())
        self.assertIn("Available to members", page)
        self.assertNotIn("download__cover", page)
        self.assertIn(
            "download__cover", self.page(self.members.get_absolute_url(), "member")
        )

    def test_related_resources_show_covers_too(self):
        page = self.page(self.members.get_absolute_url())
        self.assertEqual(["First page of Global threat assessment"], list(covers(page)))


class QueryCountTests(TestCase):
    """A listing costs the same number of queries for 2 cards as for 12."""

    def add_records(self, count: int) -> None:
        for _ in range(count):
            resource = make_resource(
                "Online grooming report",
                topics=("grooming",),
                publishers=("ECPAT International", "Interpol"),
                featured=True,
            )
            document = Document.objects.create(
                resource=resource,
                file="files/r.pdf",
                thumbnail="thumbnails/r.webp",
                media_type="application/pdf",
                text="Grooming on gaming platforms.",
            )
            Page.objects.create(
                document=document, number=1, text="Grooming on gaming platforms."
            )

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(200, self.client.get(url).status_code)
        return len(captured)

    def test_listings_do_not_query_once_per_card(self):
        urls = [
            "/",
            "/library/",
            "/library/?q=grooming",
            "/topics/grooming/",
            "/organisations/ecpat-international/",
        ]
        # Three at least: fewer results would add the "did you mean" lookup.
        self.add_records(3)
        few = {url: self.queries(url) for url in urls}
        self.add_records(10)
        many = {url: self.queries(url) for url in urls}
        self.assertEqual(few, many)
        page = self.client.get("/library/?q=grooming").content.decode()
        self.assertEqual(13, len(COVER.findall(page)))
        self.assertEqual(13, page.count('class="card__pages"'))


@pytest.mark.django_db
def test_an_ingested_pdf_gets_a_cover_on_its_card(tmp_path, client):
    """End to end: ingest renders page 1 as WebP; the card and view show it."""
    path = tmp_path / "guidance.pdf"
    path.write_bytes(pdf_bytes(["Guidance for frontline workers."] * 2))
    out = StringIO()
    call_command("ingest", str(path), "--publish", "--json", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1])["ok"] == 1

    (src,) = covers(client.get("/library/").content.decode()).values()
    response = client.get(src)

    assert (response.status_code, response["Content-Type"]) == (200, "image/webp")
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "WEBP"


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAYOUT_SCRIPT = """() => {
  const box = (el) => el.getBoundingClientRect().toJSON();
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    covers: [...document.querySelectorAll(".card__cover")].map(box),
    cards: [...document.querySelectorAll(".card--with-cover .card__body")].map(box),
    loaded: [...document.querySelectorAll(".card__cover")].slice(0, 1)
      .map((img) => img.complete && img.naturalWidth > 0),
  };
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_covers_fit_a_phone_and_a_wide_screen(live_server):
    """Headless Chromium at 320 px and 1280 px: no sideways scrolling, covers
    beside the text at the width the CSS gives them, A4-shaped."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    ARTIFACTS.mkdir(exist_ok=True)
    for title in ("Global threat assessment", "A" * 60 + " very long title", "Toolkit"):
        attach_with_cover(make_resource(title, publishers=("ECPAT International",)))
    detail = Resource.objects.get(title="Toolkit").get_absolute_url()
    toolkit = Document.objects.get(resource__title="Toolkit")
    Page.objects.bulk_create(
        Page(document=toolkit, number=n, text="Debt bondage.") for n in range(1, 30)
    )
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"]
        )
        try:
            for width, cover_width in ((320, 64), (1280, 96)):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto(f"{live_server.url}/library/?q=toolkit+bondage")
                page.wait_for_load_state("networkidle")
                assert page.locator(".card__pages").inner_text() == (
                    "Found on 29 pages, including 1, 2, 3, 4 and 5"
                )
                assert page.evaluate(LAYOUT_SCRIPT)["overflow"] <= 0, width
                page.screenshot(
                    path=ARTIFACTS / f"found-on-{width}.png", full_page=True
                )
                page.goto(f"{live_server.url}/library/")
                page.wait_for_load_state("networkidle")
                layout = page.evaluate(LAYOUT_SCRIPT)
                page.screenshot(path=ARTIFACTS / f"covers-{width}.png", full_page=True)
                assert layout["overflow"] <= 0, width
                assert layout["loaded"] == [True], width
                for cover, body in zip(layout["covers"], layout["cards"], strict=True):
                    assert round(cover["width"]) == cover_width, width
                    assert round(cover["height"]) == round(cover_width * 424 / 300)
                    assert body["right"] <= cover["left"], width
                page.goto(f"{live_server.url}{detail}")
                page.wait_for_load_state("networkidle")
                cover = page.locator(".download__cover").bounding_box()
                button = page.locator(".button--download").bounding_box()
                assert cover["x"] + cover["width"] <= button["x"], width
                assert page.evaluate(LAYOUT_SCRIPT)["overflow"] <= 0, width
                page.screenshot(path=ARTIFACTS / f"cover-detail-{width}.png")
                page.close()
        finally:
            browser.close()
