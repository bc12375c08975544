"""Document downloads: safe types and names, who may have them, byte ranges.

Files are real (a reportlab PDF, HTML, text) in a throwaway MEDIA_ROOT; the
views are reached through the test client, as a browser reaches them.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.catalog.visibility import may_download
from clearinghouse.search.pages import downloadable_documents
from clearinghouse.web.downloads import content_disposition
from clearinghouse.web.ranges import Unsatisfiable, byte_range
from tests.world import make_personas, make_resource

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_bytes(pages: list[str]) -> bytes:
    """A real PDF with one line of text on each page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for text in pages:
        pdf.drawString(72, 760, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def attach_file(
    resource: Resource,
    data: bytes,
    *,
    media_type: str = "application/pdf",
    original_name: str = "report.pdf",
    stored_as: str = "report.pdf",
    **fields,
) -> Document:
    """A finished document whose file really is in storage."""
    document = Document(
        resource=resource,
        original_name=original_name,
        media_type=media_type,
        size=len(data),
        **fields,
    )
    document.file.save(stored_as, ContentFile(data), save=False)
    document.save()
    return document


class DownloadTestCase(TestCase):
    # Per test, not setUpTestData: each test has its own MEDIA_ROOT (conftest).
    def setUp(self):
        self.personas = make_personas()
        self.report = make_resource("Global threat assessment 2023")
        self.pdf = pdf_bytes(["Online grooming", "Sextortion"] * 40)
        self.document = attach_file(
            self.report, self.pdf, original_name="GTA 2023 (final).pdf"
        )

    def get(self, document: Document, **headers):
        return self.client.get(document.get_absolute_url(), headers=headers)


class HeaderTests(DownloadTestCase):
    headers_of_interest = (
        "Content-Type",
        "Content-Disposition",
        "X-Content-Type-Options",
        "Cache-Control",
        "Accept-Ranges",
        "Content-Length",
    )

    def test_it_opens_a_pdf_in_the_browser_under_its_own_name(self):
        response = self.get(self.document)
        self.assertEqual(200, response.status_code)
        self.assertEqual(
            {
                "Content-Type": "application/pdf",
                "Content-Disposition": 'inline; filename="GTA 2023 (final).pdf"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "public, max-age=3600",
                "Accept-Ranges": "bytes",
                "Content-Length": str(len(self.pdf)),
            },
            {name: response[name] for name in self.headers_of_interest},
        )
        self.assertEqual(self.pdf, b"".join(response.streaming_content))

    def test_it_leaves_pdfs_out_of_the_sandbox_that_blanks_pdf_viewers(self):
        self.assertNotIn("Content-Security-Policy", self.get(self.document))

    def test_it_names_the_file_after_the_record_when_no_name_was_kept(self):
        document = attach_file(self.report, b"%PDF-1.4 x", original_name="")
        self.assertEqual(
            'inline; filename="Global threat assessment 2023.pdf"',
            self.get(document)["Content-Disposition"],
        )

    def test_it_gives_a_non_ascii_name_in_filename_star(self):
        document = attach_file(
            self.report, b"%PDF-1.4 x", original_name="Évaluation d’impact.pdf"
        )
        self.assertEqual(
            "inline; filename=\"Evaluation dimpact.pdf\"; filename*=UTF-8''"
            "%C3%89valuation%20d%E2%80%99impact.pdf",
            self.get(document)["Content-Disposition"],
        )

    def test_it_cleans_paths_and_controls_out_of_a_kept_name(self):
        document = attach_file(
            self.report,
            b"%PDF-1.4 x",
            original_name='C:\\Users\\x\\"Annual"\r\nreport.PDF',
        )
        self.assertEqual(
            'inline; filename="Annual report.pdf"',
            self.get(document)["Content-Disposition"],
        )

    def test_it_saves_html_as_bytes_in_a_sandbox(self):
        document = attach_file(
            self.report,
            b"<!doctype html><script>alert(document.cookie)</script>",
            media_type="text/html",
            original_name="briefing.html",
            stored_as="briefing.html",
        )
        response = self.get(document)
        self.assertEqual(
            (
                "application/octet-stream",
                'attachment; filename="briefing.html"',
                "nosniff",
                "default-src 'none'; sandbox",
            ),
            (
                response["Content-Type"],
                response["Content-Disposition"],
                response["X-Content-Type-Options"],
                response["Content-Security-Policy"],
            ),
        )

    def test_it_saves_unknown_and_image_types_as_bytes(self):
        for media_type in ("image/svg+xml", "application/xhtml+xml", ""):
            with self.subTest(media_type=media_type):
                document = attach_file(
                    self.report,
                    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                    media_type=media_type,
                    original_name="figure.svg",
                    stored_as="figure.svg",
                )
                response = self.get(document)
                self.assertEqual(
                    ("application/octet-stream", 'attachment; filename="figure.svg"'),
                    (response["Content-Type"], response["Content-Disposition"]),
                )

    def test_it_saves_office_files_under_their_own_type(self):
        document = attach_file(
            self.report,
            b"PK\x03\x04 not really a docx",
            media_type=DOCX,
            original_name="toolkit",
            stored_as="toolkit.docx",
        )
        response = self.get(document)
        self.assertEqual(
            (DOCX, 'attachment; filename="toolkit.docx"'),
            (response["Content-Type"], response["Content-Disposition"]),
        )

    def test_it_shows_plain_text_inline_in_a_sandbox(self):
        document = attach_file(
            self.report,
            b"Guidance for hotlines.",
            media_type="text/plain",
            original_name="guidance.txt",
            stored_as="guidance.txt",
        )
        response = self.get(document)
        self.assertEqual(
            (
                "text/plain; charset=utf-8",
                'inline; filename="guidance.txt"',
                "default-src 'none'; sandbox",
            ),
            (
                response["Content-Type"],
                response["Content-Disposition"],
                response["Content-Security-Policy"],
            ),
        )

    def test_it_answers_a_missing_file_with_404(self):
        document = Document.objects.create(
            resource=self.report, file="files/gone.pdf", media_type="application/pdf"
        )
        self.assertEqual(404, self.get(document).status_code)

    def test_it_answers_head_without_a_body(self):
        response = self.client.head(self.document.get_absolute_url())
        self.assertEqual(
            (200, str(len(self.pdf))),
            (response.status_code, response["Content-Length"]),
        )


class AccessTests(DownloadTestCase):
    def setUp(self):
        super().setUp()
        self.members = make_resource("Members toolkit", document_access="members")
        self.members_file = attach_file(self.members, b"%PDF-1.4 members")
        self.group = make_resource(
            "Law enforcement guide", access="groups", groups=("Law enforcement",)
        )
        self.group_file = attach_file(self.group, b"%PDF-1.4 group")
        self.draft = make_resource("Draft report", status="draft")
        self.draft_file = attach_file(self.draft, b"%PDF-1.4 draft")
        self.withdrawn = make_resource("Old guidance", status="withdrawn")
        self.withdrawn_file = attach_file(self.withdrawn, b"%PDF-1.4 gone")

    def status_for(self, persona: str, document: Document) -> tuple[int, str]:
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(self.personas[persona])
        response = self.get(document)
        return response.status_code, response.get("Cache-Control", "")

    def test_each_persona_gets_exactly_the_documents_it_may_download(self):
        private = "private, no-cache"
        expected = {
            "anonymous": {
                "members": (403, ""),
                "group": (404, ""),
                "draft": (404, ""),
                "withdrawn": (410, ""),
            },
            "member": {
                "members": (200, private),
                "group": (404, ""),
                "draft": (404, ""),
                "withdrawn": (410, ""),
            },
            "lena": {
                "members": (200, private),
                "group": (200, private),
                "draft": (404, ""),
                "withdrawn": (410, ""),
            },
            "editor": {
                "members": (200, private),
                "group": (200, private),
                "draft": (200, private),
                "withdrawn": (410, ""),
            },
        }
        documents = {
            "members": self.members_file,
            "group": self.group_file,
            "draft": self.draft_file,
            "withdrawn": self.withdrawn_file,
        }
        for persona, rows in expected.items():
            got = {
                name: self.status_for(persona, document)
                for name, document in documents.items()
            }
            # The 403 and 410 pages are HTML pages of their own, never cached.
            got = {
                name: (status, cache if status == 200 else "")
                for name, (status, cache) in got.items()
            }
            self.assertEqual(rows, got, persona)

    def test_it_explains_a_restricted_document_instead_of_sending_it(self):
        response = self.get(self.members_file)
        self.assertEqual(403, response.status_code)
        self.assertIn(
            "Available to members — sign in or request access",
            response.content.decode(),
        )

    def test_it_refuses_a_document_through_another_records_address(self):
        url = f"/resources/{self.report.slug}/documents/{self.members_file.pk}/"
        self.assertEqual(404, self.client.get(url).status_code)


class RangeTests(DownloadTestCase):
    def test_it_sends_the_range_a_pdf_viewer_asks_for(self):
        response = self.get(self.document, Range="bytes=100-199")
        self.assertEqual(
            (206, f"bytes 100-199/{len(self.pdf)}", "100", "application/pdf"),
            (
                response.status_code,
                response["Content-Range"],
                response["Content-Length"],
                response["Content-Type"],
            ),
        )
        self.assertEqual(self.pdf[100:200], b"".join(response.streaming_content))

    def test_it_sends_the_tail_of_the_file(self):
        response = self.get(self.document, Range="bytes=-50")
        self.assertEqual(self.pdf[-50:], b"".join(response.streaming_content))
        response = self.get(self.document, Range=f"bytes={len(self.pdf) - 10}-")
        self.assertEqual(self.pdf[-10:], b"".join(response.streaming_content))

    def test_it_refuses_a_range_past_the_end(self):
        response = self.get(self.document, Range=f"bytes={len(self.pdf)}-")
        self.assertEqual(
            (416, f"bytes */{len(self.pdf)}"),
            (response.status_code, response["Content-Range"]),
        )

    def test_it_sends_the_whole_file_for_several_ranges_or_nonsense(self):
        for header in ("bytes=0-1,5-6", "bytes=9-3", "lines=1-2", "bytes=-"):
            with self.subTest(header=header):
                response = self.get(self.document, Range=header)
                self.assertEqual(200, response.status_code)
                self.assertEqual(self.pdf, b"".join(response.streaming_content))

    def test_it_sends_the_whole_file_when_it_changed_since_the_first_part(self):
        response = self.get(self.document, Range="bytes=0-9", **{"If-Range": '"old"'})
        self.assertEqual(200, response.status_code)
        etag = response["ETag"]
        response = self.get(self.document, Range="bytes=0-9", **{"If-Range": etag})
        self.assertEqual(206, response.status_code)

    def test_it_answers_a_revalidation_with_304(self):
        etag = self.get(self.document)["ETag"]
        response = self.get(self.document, **{"If-None-Match": f"W/{etag}"})
        self.assertEqual((304, etag), (response.status_code, response["ETag"]))


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-499", 1000, (0, 499)),
        ("bytes=500-", 1000, (500, 999)),
        ("bytes=-200", 1000, (800, 999)),
        ("bytes=-5000", 1000, (0, 999)),
        ("bytes=900-5000", 1000, (900, 999)),
        ("bytes = 1 - 2", 1000, (1, 2)),
        ("bytes=5-1", 1000, None),
        ("bytes=0-1,4-5", 1000, None),
        ("bytes=", 1000, None),
        ("items=0-1", 1000, None),
    ],
)
def test_it_reads_range_headers(header, size, expected):
    assert byte_range(header, size) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=1000-", 1000), ("bytes=-0", 1000), ("bytes=-1", 0)]
)
def test_it_finds_ranges_that_miss_the_file(header, size):
    with pytest.raises(Unsatisfiable):
        byte_range(header, size)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("report.pdf", 'inline; filename="report.pdf"'),
        (
            "Отчёт.pdf",
            "inline; filename=\"document.pdf\"; filename*=UTF-8''"
            "%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf",
        ),
        (
            "Informe niñez.pdf",
            "inline; filename=\"Informe ninez.pdf\"; filename*=UTF-8''"
            "Informe%20ni%C3%B1ez.pdf",
        ),
    ],
)
def test_it_writes_content_disposition_per_rfc_6266(filename, expected):
    assert content_disposition("inline", filename) == expected


@pytest.mark.django_db
def test_the_batch_download_rule_agrees_with_may_download():
    """search.pages.downloadable_documents is may_download for many records."""
    personas = make_personas()
    grid = [
        make_resource(
            f"{status} {access} {document_access}",
            status=status,
            access=access,
            document_access=document_access,
            groups=("Law enforcement",)
            if "groups" in (access, document_access)
            else (),
            text="x",
        )
        for status in ("published", "draft", "withdrawn")
        for access in ("public", "members", "groups")
        for document_access in ("", "public", "members", "groups")
    ]
    make_resource("Embargoed", embargo_until="2999-01-01", text="x")
    elsewhere = make_resource(
        "Other group", access="groups", groups=("Hotline analysts",), text="x"
    )
    grid += [Resource.objects.get(title="Embargoed"), elsewhere]
    for name, viewer in personas.items():
        batch = set(
            downloadable_documents(viewer, [r.pk for r in grid]).values_list(
                "resource__title", flat=True
            )
        )
        one_by_one = {r.title for r in grid if may_download(viewer, r)}
        assert batch == one_by_one, name
