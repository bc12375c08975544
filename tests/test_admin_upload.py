"""Uploading many documents at once in the admin, with real generated files."""

import io

from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from docx import Document as WordDocument
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.ingest.sniff import format_size
from tests.world import make_personas, make_resource

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPLOAD = reverse("admin:catalog_resource_upload")


def pdf_bytes(title: str, lines: list[str] = (), title_size: int = 24) -> bytes:
    """A real one-page PDF: a large title, then ordinary lines of text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", title_size)
    pdf.drawString(60, 760, title)
    pdf.setFont("Helvetica", 11)
    for n, line in enumerate(lines):
        pdf.drawString(60, 720 - 16 * n, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def files(**named: bytes) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, data) for name, data in named.items()]


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def result_rows(response: object) -> list[tuple]:
    """The results table as (file, status, reason, record title)."""
    return [
        (
            row["name"],
            row["status"],
            row["reason"],
            row["resource"].title if row["resource"] else None,
        )
        for row in response.context["results"]
    ]


KENYA = pdf_bytes("Disrupting Harm in Kenya", ["Evidence on online exploitation."])
GHANA = pdf_bytes("Child Protection in Ghana", ["A review of referral pathways."])
GUIDANCE = docx_bytes("Guidance for hotline analysts", "Handling reports of CSAM.")


class UploadTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor = personas["editor"]
        cls.member = personas["member"]


class UploadManyTests(UploadTestCase):
    def test_it_makes_a_draft_per_file_and_says_what_became_of_each(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            UPLOAD,
            {
                "files": files(
                    **{
                        "kenya_report.pdf": KENYA,
                        "photo.png": png_bytes(),
                        "ghana-2021.pdf": GHANA,
                        "copy of kenya.pdf": KENYA,
                        "guidance.docx": GUIDANCE,
                        "empty.pdf": b"",
                    }
                )
            },
        )
        self.assertEqual(200, response.status_code)
        kenya = Resource.objects.get(title="kenya report")
        self.assertEqual(
            [
                ("kenya_report.pdf", "ok", "", "kenya report"),
                (
                    "photo.png",
                    "refused",
                    "image files (PNG) are not accepted: this library stores "
                    "documents only",
                    None,
                ),
                ("ghana-2021.pdf", "ok", "", "ghana 2021"),
                (
                    "copy of kenya.pdf",
                    "duplicate",
                    "the same file is already in the library: “kenya report” "
                    f"(record {kenya.pk}, document {kenya.documents.get().pk})",
                    "kenya report",
                ),
                ("guidance.docx", "ok", "", "guidance"),
                ("empty.pdf", "refused", "the file is empty", None),
            ],
            result_rows(response),
        )
        self.assertEqual(
            ["6 files: 3 added, 1 already in the library, 2 refused."],
            messages_of(response),
        )
        self.assertEqual(
            [
                (
                    "ghana 2021",
                    "draft",
                    self.editor,
                    "ghana-2021.pdf",
                    "application/pdf",
                ),
                ("guidance", "draft", self.editor, "guidance.docx", DOCX),
                (
                    "kenya report",
                    "draft",
                    self.editor,
                    "kenya_report.pdf",
                    "application/pdf",
                ),
            ],
            [
                (
                    r.title,
                    r.status,
                    r.created_by,
                    r.documents.get().original_name,
                    r.documents.get().media_type,
                )
                for r in Resource.objects.order_by("title")
            ],
        )
        change = reverse("admin:catalog_resource_change", args=[kenya.pk])
        self.assertContains(response, f'<a href="{change}">kenya report</a>', html=True)

    @override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_it_ingests_uploads_spooled_to_disk(self) -> None:
        # Past FILE_UPLOAD_MAX_MEMORY_SIZE Django writes each upload to a
        # temporary file as it arrives; ingest reads it from there.
        self.client.force_login(self.editor)
        response = self.client.post(
            UPLOAD, {"files": files(**{"kenya.pdf": KENYA, "ghana.pdf": GHANA})}
        )
        self.assertEqual(
            [("kenya.pdf", "ok", "", "kenya"), ("ghana.pdf", "ok", "", "ghana")],
            result_rows(response),
        )
        stored = Document.objects.get(original_name="ghana.pdf")
        with stored.file.open("rb") as f:
            self.assertEqual(GHANA, f.read())

    @override_settings(INGEST_MAX_BYTES=1000)
    def test_it_refuses_files_over_the_size_limit_and_keeps_the_rest(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            UPLOAD,
            {"files": files(**{"big.pdf": KENYA, "note.txt": b"Referral pathways.\n"})},
        )
        self.assertEqual(
            [
                (
                    "big.pdf",
                    "refused",
                    f"the file is {format_size(len(KENYA))}; the limit is 1 KB",
                    None,
                ),
                ("note.txt", "ok", "", "note"),
            ],
            result_rows(response),
        )

    def test_it_asks_for_at_least_one_file(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(UPLOAD, {})
        self.assertEqual(
            {"files": ["This field is required."]}, response.context["form"].errors
        )
        self.assertEqual(0, Resource.objects.count())

    def test_it_offers_a_multiple_file_input_from_the_changelist(self) -> None:
        self.client.force_login(self.editor)
        changelist = self.client.get(reverse("admin:catalog_resource_changelist"))
        self.assertContains(
            changelist, f'<a href="{UPLOAD}">Upload documents</a>', html=True
        )
        page = self.client.get(UPLOAD)
        self.assertContains(
            page,
            '<input type="file" name="files" multiple required id="id_files" '
            'aria-describedby="id_files_helptext">',
            html=True,
        )

    def test_it_keeps_out_curators_who_may_not_add_records(self) -> None:
        viewer = User.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_resource"))
        self.client.force_login(viewer)
        self.assertEqual(403, self.client.get(UPLOAD).status_code)
        self.assertEqual(
            403, self.client.post(UPLOAD, {"files": files(a=KENYA)}).status_code
        )
        self.client.force_login(self.member)
        self.assertEqual(302, self.client.get(UPLOAD).status_code)
        self.assertEqual(0, Resource.objects.count())


class UploadToRecordTests(UploadTestCase):
    def test_it_adds_every_file_to_the_record_after_its_own(self) -> None:
        resource = make_resource("Global Threat Assessment", status="draft")
        Document.objects.create(
            resource=resource, file="files/x.pdf", original_name="main.pdf"
        )
        url = reverse("admin:catalog_resource_upload_to", args=[resource.pk])
        self.client.force_login(self.editor)
        response = self.client.post(
            url,
            {"files": files(**{"annex.pdf": GHANA, "summary.docx": GUIDANCE})},
        )
        self.assertEqual(
            [
                ("annex.pdf", "ok", "", "Global Threat Assessment"),
                ("summary.docx", "ok", "", "Global Threat Assessment"),
            ],
            result_rows(response),
        )
        self.assertEqual(
            [("main.pdf", 0), ("annex.pdf", 1), ("summary.docx", 2)],
            [(d.original_name, d.position) for d in resource.documents.all()],
        )
        self.assertEqual(1, Resource.objects.count())

    def test_it_links_the_upload_page_from_the_record(self) -> None:
        resource = make_resource(status="draft")
        url = reverse("admin:catalog_resource_upload_to", args=[resource.pk])
        self.client.force_login(self.editor)
        change = self.client.get(
            reverse("admin:catalog_resource_change", args=[resource.pk])
        )
        self.assertContains(change, f'<a href="{url}">Upload documents</a>', html=True)
        self.assertContains(
            self.client.get(url), f"Each file becomes a document of “{resource}”."
        )

    def test_it_answers_404_for_a_missing_record(self) -> None:
        url = reverse("admin:catalog_resource_upload_to", args=[999999])
        self.client.force_login(self.editor)
        self.assertEqual(404, self.client.get(url).status_code)


def test_fixture_files_are_what_they_claim() -> None:
    # Guards the generators above: a broken generator would make the
    # refusals and duplicates tested here meaningless.
    assert KENYA.startswith(b"%PDF-") and GHANA.startswith(b"%PDF-")
    assert KENYA != GHANA
    assert GUIDANCE.startswith(b"PK\x03\x04")
    assert png_bytes().startswith(b"\x89PNG")
