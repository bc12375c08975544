"""Uploading documents through the API: the same ingest as the admin's upload,
with real generated files (a PDF made with reportlab, a PNG made with Pillow)."""

import io

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django_tasks_db.models import DBTaskResult
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clearinghouse.api.tokens import create_token
from clearinghouse.catalog.models import Document, Resource
from tests.world import make_personas, make_resource


def pdf_bytes(title: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(60, 760, title)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


KENYA = pdf_bytes("Disrupting Harm in Kenya")


class UploadTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor, cls.member = personas["editor"], personas["member"]
        cls.record = make_resource("Referral pathways", slug="referral-pathways")

    def upload(
        self, name: str, data: bytes, user: object = None, url: str = "/api/documents"
    ):
        user = user or self.editor
        return self.client.post(
            url,
            {"file": SimpleUploadedFile(name, data)},
            HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'uploads')[1]}",
        )

    def test_it_makes_a_draft_with_a_queued_document(self) -> None:
        response = self.upload("disrupting_harm-kenya.pdf", KENYA)
        self.assertEqual(201, response.status_code, response.content)
        resource = Resource.objects.get(title="disrupting harm kenya")
        document = resource.documents.get()
        self.assertEqual(
            {
                "status": "ok",
                "resource": {
                    "id": str(resource.uid),
                    "slug": resource.slug,
                    "title": "disrupting harm kenya",
                    "url": f"http://testserver/resources/{resource.slug}/",
                    "api_url": f"http://testserver/api/resources/{resource.uid}",
                },
                "document": {
                    "id": document.pk,
                    "name": "disrupting_harm-kenya.pdf",
                    "title": "",
                    "media_type": "application/pdf",
                    "format": "PDF",
                    "size": len(KENYA),
                    "pages": None,
                    "state": "queued",
                    "failure": "",
                },
            },
            response.json(),
        )
        self.assertEqual(
            (f"http://testserver/api/resources/{resource.uid}", "draft", self.editor),
            (response["Location"], resource.status, resource.created_by),
        )
        task = DBTaskResult.objects.get()
        self.assertEqual(
            ("clearinghouse.ingest.tasks.extract_document", [document.pk]),
            (task.task_path, task.args_kwargs["args"]),
        )

    def test_it_adds_a_document_to_a_named_record(self) -> None:
        response = self.upload(
            "annex.pdf",
            pdf_bytes("Annex"),
            url="/api/resources/referral-pathways/documents",
        )
        self.assertEqual(
            (201, "referral-pathways", ["annex.pdf"]),
            (
                response.status_code,
                response.json()["resource"]["slug"],
                [d.original_name for d in self.record.documents.all()],
            ),
        )

    def test_it_refuses_what_is_not_a_document_with_the_sniffed_reason(self) -> None:
        response = self.upload("photo.pdf", png_bytes())
        self.assertEqual(
            {
                "type": "urn:clearinghouse:problem:refused-file",
                "title": "Unsupported Media Type",
                "status": 415,
                "detail": "The file was refused: image files (PNG) are not accepted: "
                "this library stores documents only.",
                "instance": "/api/documents",
            },
            response.json(),
        )
        self.assertEqual((0, 1), (Document.objects.count(), Resource.objects.count()))

    def test_it_points_a_duplicate_at_the_record_that_holds_it(self) -> None:
        first = self.upload("kenya.pdf", KENYA).json()["resource"]
        again = self.upload("copy of kenya.pdf", KENYA)
        self.assertEqual(
            (
                409,
                "urn:clearinghouse:problem:duplicate",
                "The same file is already in the library: “kenya”.",
                first,
            ),
            (
                again.status_code,
                again.json()["type"],
                again.json()["detail"],
                again.json()["existing"],
            ),
        )
        self.assertEqual(1, Document.objects.count())

    def test_it_names_no_record_the_uploader_may_not_see(self) -> None:
        self.upload("kenya.pdf", KENYA)
        # A member given the add permission alone, without preview rights.
        self.member.user_permissions.add(
            Permission.objects.get(codename="add_resource")
        )
        again = self.upload("kenya.pdf", KENYA, user=self.member)
        self.assertEqual(
            (409, "The same file is already in the library.", None),
            (again.status_code, again.json()["detail"], again.json().get("existing")),
        )

    @override_settings(INGEST_MAX_BYTES=1000)
    def test_it_refuses_files_over_the_size_limit(self) -> None:
        response = self.upload("kenya.pdf", KENYA)
        self.assertEqual(
            (413, f"The file is {len(KENYA) / 1000:.1f} KB; the limit is 1 KB."),
            (response.status_code, response.json()["detail"]),
        )
        self.assertEqual(0, Document.objects.count())

    @override_settings(INGEST_MAX_BYTES=10)
    def test_it_refuses_an_oversize_request_before_reading_it(self) -> None:
        response = self.upload("big.txt", b"x" * 100_000)
        self.assertEqual(
            (
                413,
                "application/problem+json",
                "The request is 100.1 KB; files may be up to 10 bytes.",
            ),
            (response.status_code, response["Content-Type"], response.json()["detail"]),
        )

    def test_it_refuses_an_empty_file_or_none(self) -> None:
        empty = self.upload("empty.pdf", b"")
        missing = self.client.post(
            "/api/documents",
            {},
            HTTP_AUTHORIZATION=f"Bearer {create_token(self.editor, 'x')[1]}",
        )
        self.assertEqual(
            [(422, "The file is empty."), (422, "file")],
            [
                (empty.status_code, empty.json()["detail"]),
                (missing.status_code, missing.json()["errors"][0]["field"]),
            ],
        )

    def test_it_needs_the_admins_permissions(self) -> None:
        self.assertEqual(
            [403, 403, 401],
            [
                self.upload("a.pdf", KENYA, user=self.member).status_code,
                self.upload(
                    "a.pdf",
                    KENYA,
                    user=self.member,
                    url="/api/resources/referral-pathways/documents",
                ).status_code,
                self.client.post(
                    "/api/documents", {"file": SimpleUploadedFile("a.pdf", KENYA)}
                ).status_code,
            ],
        )
        self.assertEqual(0, Document.objects.count())
