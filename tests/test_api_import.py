"""POST /api/import: a file of records through the importer, with the
admin's permissions."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from clearinghouse.api.tokens import create_token
from clearinghouse.catalog.models import Resource
from tests.world import make_organisation, make_personas, make_resource

BIBTEX = """@techreport{kenya2022,
  title = {Disrupting Harm in Kenya},
  institution = {{UNICEF Office of Research}},
  year = {2022},
  doi = {10.1000/dh-kenya},
}
@techreport{second,
  title = {Forced labour in supply chains},
  institution = {{UNICEF Office of Research}},
  year = {2021},
}
"""


class ApiImportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor, cls.member = personas["editor"], personas["member"]
        make_organisation("UNICEF Office of Research")
        make_resource("Forced labour in supply chains")

    def post(self, user, text: str, name: str = "refs.bib", **fields):
        upload = SimpleUploadedFile(name, text.encode(), "text/plain")
        return self.client.post(
            "/api/import",
            {"file": upload, **fields},
            HTTP_AUTHORIZATION=f"Bearer {create_token(user, 't')[1]}",
        )

    def test_it_reports_a_dry_run_and_writes_nothing(self) -> None:
        response = self.post(self.editor, BIBTEX, dry_run="true")
        body = response.json()
        self.assertEqual(
            (200, True, ["Disrupting Harm in Kenya"], 1),
            (
                response.status_code,
                body["dry_run"],
                body["created"],
                Resource.objects.count(),
            ),
        )

    def test_it_imports_a_file_in_the_format_its_name_says(self) -> None:
        response = self.post(self.editor, BIBTEX)
        made = Resource.objects.get(doi="10.1000/dh-kenya")
        self.assertEqual(
            (200, ["Disrupting Harm in Kenya"], "draft", 2),
            (
                response.status_code,
                response.json()["created"],
                made.status,
                Resource.objects.count(),
            ),
        )

    def test_it_needs_the_editors_permissions(self) -> None:
        response = self.post(self.member, BIBTEX)
        self.assertEqual(
            (403, "application/problem+json", 1),
            (
                response.status_code,
                response["Content-Type"],
                Resource.objects.count(),
            ),
        )

    def test_it_names_every_bad_record_and_imports_none(self) -> None:
        jsonl = '{"title": "Good record", "types": ["report"]}\n{"title": ""}\n'
        response = self.post(self.editor, jsonl, name="records.jsonl")
        self.assertEqual(
            (422, [2], 1),
            (
                response.status_code,
                [error["line"] for error in response.json()["errors"]],
                Resource.objects.count(),
            ),
        )

    def test_it_refuses_a_file_whose_format_it_cannot_tell(self) -> None:
        response = self.post(self.editor, BIBTEX, name="refs.txt")
        self.assertEqual(422, response.status_code)
        self.assertIn("format", response.json()["detail"])

    def test_it_creates_no_term_the_caller_may_not_add_in_the_admin(self) -> None:
        jsonl = '{"title": "New guide", "types": ["report"], "topics": ["made-up"]}\n'
        response = self.post(self.editor, jsonl, name="records.jsonl")
        self.assertEqual(
            (403, 1),
            (response.status_code, Resource.objects.count()),
        )
        self.assertIn("catalog.add_topic", response.json()["detail"])
