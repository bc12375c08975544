"""Writing through the API: drafts from JSON, changes, the workflow — with the
importer's checks and exactly the admin's permissions."""

import json

from django.contrib.auth.models import Group, User
from django.test import Client, TestCase

from clearinghouse.api.tokens import create_token
from clearinghouse.catalog.models import Organisation, Resource, Topic
from clearinghouse.catalog.roles import ADMINISTRATOR
from tests.world import make_organisation, make_personas, make_resource

RECORD = {
    "title": "Disrupting Harm in Kenya",
    "summary": "Evidence on online sexual exploitation of children.",
    "types": ["report"],
    "date": "2022-05",
    "publishers": ["UNICEF Office of Research", "Brand New Network"],
    "authors": ["Amina Otieno"],
    "topics": ["grooming"],
    "regions": ["KE"],
    "languages": ["en"],
    "keywords": ["online safety"],
    "doi": "10.1000/dh-kenya",
}


class WriteTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.member, cls.editor, cls.reviewer = (
            personas["member"],
            personas["editor"],
            personas["reviewer"],
        )
        cls.administrator = User.objects.create_user("ada", is_staff=True)
        cls.administrator.groups.add(Group.objects.get(name=ADMINISTRATOR))
        make_organisation("UNICEF Office of Research", acronym="UNICEF-Innocenti")
        cls.published = make_resource(
            "Forced labour in supply chains", slug="forced-labour", topics=("grooming",)
        )
        cls.draft = make_resource("Draft on grooming", slug="draft", status="draft")

    def send(self, method: str, url: str, body: object, user: object = None):
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user, 't')[1]}"
        call = getattr(self.client, method)
        return call(url, json.dumps(body), content_type="application/json", **headers)

    def problem(self, response) -> tuple:
        body = response.json()
        return response.status_code, body["detail"], body.get("errors")


class CreateTests(WriteTestCase):
    def test_it_creates_a_draft_from_native_fields(self) -> None:
        response = self.send("post", "/api/resources", RECORD, self.editor)
        self.assertEqual(201, response.status_code, response.content)
        body = response.json()
        resource = Resource.objects.get(title="Disrupting Harm in Kenya")
        self.assertEqual(
            f"http://testserver/api/resources/{resource.uid}", response["Location"]
        )
        self.assertEqual(
            {
                "id": str(resource.uid),
                "slug": "disrupting-harm-in-kenya",
                "types": ["report"],
                "date": "2022-05",
                "publishers": ["UNICEF Office of Research", "Brand New Network"],
                "authors": ["Amina Otieno"],
                "topics": ["grooming"],
                "regions": ["Kenya"],
                "doi": "10.1000/dh-kenya",
                "new_terms": {
                    "organisations": ["Brand New Network"],
                    "people": ["Amina Otieno"],
                },
                "status": "draft",
                "created_by": "editor",
                "actions": ["submit"],
            },
            {
                **{
                    key: body[key]
                    for key in (
                        "id",
                        "slug",
                        "types",
                        "date",
                        "publishers",
                        "authors",
                        "topics",
                        "regions",
                        "doi",
                        "new_terms",
                    )
                },
                **{
                    key: body["curation"][key]
                    for key in ("status", "created_by", "actions")
                },
            },
        )
        self.assertEqual(
            ("draft", self.editor, {"source": "api", "by": "editor"}),
            (resource.status, resource.created_by, resource.provenance),
        )
        self.assertEqual(
            404, self.client.get(f"/api/resources/{resource.uid}").status_code
        )

    def test_it_starts_every_new_record_as_a_draft(self) -> None:
        response = self.send(
            "post", "/api/resources", {**RECORD, "status": "published"}, self.reviewer
        )
        self.assertEqual(
            (
                422,
                [
                    {
                        "location": "body",
                        "field": "status",
                        "message": "Extra inputs are not permitted",
                    }
                ],
            ),
            (response.status_code, response.json()["errors"]),
        )
        self.assertFalse(Resource.objects.filter(title=RECORD["title"]).exists())

    def test_it_needs_credentials_and_the_add_permission(self) -> None:
        anonymous = self.send("post", "/api/resources", RECORD)
        member = self.send("post", "/api/resources", RECORD, self.member)
        self.assertEqual(
            [
                (
                    401,
                    "Sign in, or send an API token: Authorization: Bearer <token>.",
                    None,
                ),
                (
                    403,
                    "member may not create resources (the catalog.add_resource "
                    "permission is needed).",
                    None,
                ),
            ],
            [self.problem(anonymous), self.problem(member)],
        )
        self.assertFalse(Resource.objects.filter(title=RECORD["title"]).exists())

    def test_it_names_the_field_at_fault(self) -> None:
        cases = [
            ({"summary": "no title"}, "title", "Field required"),
            ({"title": " \t"}, "title", "must not be blank"),
            (
                {"title": "x", "date": "2021-13"},
                "date",
                "'date': date '2021-13' is not YYYY, YYYY-MM or YYYY-MM-DD",
            ),
            (
                {"title": "x", "date": "May 2021"},
                "date",
                "must be YYYY, YYYY-MM or YYYY-MM-DD",
            ),
            (
                {"title": "x", "url": "ftp://example.org/x"},
                "url",
                "must be a web address starting with http:// or https://",
            ),
            (
                {"title": "x", "languages": ["xx"]},
                "languages",
                "'languages': 'xx' is not an ISO 639-1 code",
            ),
            (
                {"title": "x", "url": "http://not a url"},
                "url",
                "must be a web address starting with http:// or https://",
            ),
            (
                {"title": "x", "url": "http://<"},
                "url",
                "'url': 'http://<' is not a web address",
            ),
            (
                {"title": "x", "access": "members", "document_access": "public"},
                "document_access",
                "'document_access' cannot be more open than 'access'",
            ),
            (
                {"title": "x", "access": "groups"},
                "access",
                "'access' is 'groups' but 'groups' lists no group",
            ),
            (
                {"title": "x", "types": "report"},
                "types",
                "Input should be a valid list",
            ),
            (
                {"title": "x", "featured": "maybe"},
                "featured",
                "Input should be a valid boolean",
            ),
            (
                {"title": "x\x00"},
                "title",
                "Value error, must not contain NUL characters",
            ),
        ]
        for body, field, message in cases:
            with self.subTest(field=field):
                response = self.send("post", "/api/resources", body, self.editor)
                [error] = response.json()["errors"]
                self.assertEqual(
                    (422, "application/problem+json", "body", field, message),
                    (
                        response.status_code,
                        response["Content-Type"],
                        error["location"],
                        error["field"],
                        # The importer may say more (e.g. "… or a language name").
                        error["message"][: len(message)],
                    ),
                )
        self.assertEqual(2, Resource.objects.count())

    def test_it_answers_400_for_a_body_that_is_not_json(self) -> None:
        response = self.client.post(
            "/api/resources",
            "{not json",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {create_token(self.editor, 't')[1]}",
        )
        self.assertEqual((400, "Cannot parse request body"), self.problem(response)[:2])

    def test_it_creates_vocabulary_only_with_the_admins_permission(self) -> None:
        record = {"title": "New topic report", "topics": ["sextortion-new"]}
        refused = self.send("post", "/api/resources", record, self.editor)
        self.assertEqual(
            (
                403,
                "'topics': there is no 'sextortion-new', "
                "and creating it needs the catalog.add_topic permission.",
            ),
            self.problem(refused)[:2],
        )
        self.assertFalse(Topic.objects.filter(slug="sextortion-new").exists())
        self.assertFalse(Resource.objects.filter(title="New topic report").exists())
        created = self.send("post", "/api/resources", record, self.administrator)
        self.assertEqual(
            (201, {"topics": ["sextortion-new"]}, ["sextortion-new"]),
            (
                created.status_code,
                created.json()["new_terms"],
                created.json()["topics"],
            ),
        )

    def test_it_never_lets_an_editor_invent_an_access_group(self) -> None:
        record = {"title": "Secret", "access": "groups", "groups": ["My friends"]}
        response = self.send("post", "/api/resources", record, self.editor)
        self.assertEqual(403, response.status_code)
        self.assertFalse(Group.objects.filter(name="My friends").exists())

    def test_it_points_at_the_record_already_in_the_library(self) -> None:
        self.send("post", "/api/resources", RECORD, self.editor)
        again = self.send(
            "post",
            "/api/resources",
            {"title": "Other title", "doi": RECORD["doi"]},
            self.editor,
        )
        existing = Resource.objects.get(doi=RECORD["doi"])
        body = again.json()
        self.assertEqual(
            (
                409,
                "urn:clearinghouse:problem:duplicate",
                {
                    "id": str(existing.uid),
                    "slug": existing.slug,
                    "title": "Disrupting Harm in Kenya",
                    "url": f"http://testserver/resources/{existing.slug}/",
                    "api_url": f"http://testserver/api/resources/{existing.uid}",
                },
            ),
            (again.status_code, body["type"], body["existing"]),
        )
        self.assertEqual(1, Resource.objects.filter(doi=RECORD["doi"]).count())


class SessionWriteTests(WriteTestCase):
    def test_it_keeps_the_csrf_check_for_signed_in_browsers(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.get("/accounts/login/")  # the sign-in form sets the CSRF cookie
        token = browser.cookies["csrftoken"].value
        browser.force_login(self.editor)
        refused = browser.post(
            "/api/resources", json.dumps(RECORD), content_type="application/json"
        )
        self.assertEqual(403, refused.status_code)
        self.assertIn("CSRF", refused.json()["detail"])
        accepted = browser.post(
            "/api/resources",
            json.dumps(RECORD),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )
        self.assertEqual(201, accepted.status_code)

    def test_it_needs_no_csrf_token_with_an_api_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        secret = create_token(self.editor, "script")[1]
        response = client.post(
            "/api/resources",
            json.dumps(RECORD),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        self.assertEqual(201, response.status_code)


class UpdateTests(WriteTestCase):
    def test_it_replaces_only_the_fields_sent(self) -> None:
        response = self.send(
            "patch",
            "/api/resources/forced-labour",
            {
                "title": "Forced labour in global supply chains",
                "summary": None,
                "topics": ["forced-labour"],
                "publishers": ["ILO"],
            },
            self.editor,
        )
        self.assertEqual(200, response.status_code, response.content)
        self.published.refresh_from_db()
        self.assertEqual(
            (
                "Forced labour in global supply chains",
                "",
                ["forced-labour"],
                ["ILO"],
                "published",
                "forced-labour",
                ["en"],
                ["report"],
            ),
            (
                self.published.title,
                self.published.summary,
                [t.slug for t in self.published.topics.all()],
                [o.name for o in self.published.ordered_publishers()],
                self.published.status,
                self.published.slug,
                [lang.code for lang in self.published.languages.all()],
                [t.slug for t in self.published.types.all()],
            ),
        )
        self.assertEqual({"organisations": ["ILO"]}, response.json()["new_terms"])

    def test_it_keeps_documents_following_the_records_access(self) -> None:
        self.send(
            "patch", "/api/resources/forced-labour", {"access": "members"}, self.editor
        )
        self.published.refresh_from_db()
        self.assertEqual(
            ("members", ""), (self.published.access, self.published.document_access)
        )

    def test_it_refuses_a_slug_another_record_has(self) -> None:
        response = self.send(
            "patch", "/api/resources/forced-labour", {"slug": "draft"}, self.editor
        )
        self.assertEqual(
            (
                422,
                "The record is not valid: 'slug': 'draft' is taken by another record.",
                [
                    {
                        "location": "body",
                        "field": "slug",
                        "message": "'slug': 'draft' is taken by another record",
                    }
                ],
            ),
            self.problem(response),
        )

    def test_it_needs_the_change_permission_and_sight_of_the_record(self) -> None:
        self.assertEqual(
            [403, 404, 404],
            [
                self.send(
                    "patch", "/api/resources/forced-labour", {"title": "x"}, self.member
                ).status_code,
                self.send(
                    "patch", "/api/resources/draft", {"title": "x"}, self.member
                ).status_code,
                self.send(
                    "patch", "/api/resources/nope", {"title": "x"}, self.editor
                ).status_code,
            ],
        )
        self.assertEqual(
            "Forced labour in supply chains",
            Resource.objects.get(slug="forced-labour").title,
        )


class WorkflowTests(WriteTestCase):
    def move(self, slug: str, action: str, user: object, comment: str = ""):
        return self.send(
            "post",
            f"/api/resources/{slug}/workflow",
            {"action": action, "comment": comment},
            user,
        )

    def test_it_moves_a_draft_to_review_and_to_publication(self) -> None:
        submitted = self.move("draft", "submit", self.editor)
        refused = self.move("draft", "publish", self.editor)
        published = self.move("draft", "publish", self.reviewer)
        self.assertEqual(
            [(200, "review"), 403, (200, "published")],
            [
                (submitted.status_code, submitted.json()["curation"]["status"]),
                refused.status_code,
                (published.status_code, published.json()["curation"]["status"]),
            ],
        )
        self.assertEqual(
            [
                ("submit", "draft", "review", "editor"),
                ("publish", "review", "published", "reviewer"),
            ],
            [
                (h["action"], h["from"], h["to"], h["by"])
                for h in published.json()["curation"]["history"]
            ],
        )
        self.assertEqual(200, self.client.get("/api/resources/draft").status_code)

    def test_it_asks_for_a_reason_and_refuses_the_wrong_state(self) -> None:
        no_reason = self.move("forced-labour", "withdraw", self.reviewer)
        wrong_state = self.move("forced-labour", "submit", self.reviewer)
        self.assertEqual(
            [
                (
                    422,
                    "A reason is required to withdraw a record; readers see it "
                    "on the record's page.",
                    None,
                ),
                (
                    409,
                    "“Forced labour in supply chains” is published: only a draft "
                    "can be submitted for review.",
                    None,
                ),
            ],
            [self.problem(no_reason), self.problem(wrong_state)],
        )

    def test_it_withdraws_and_restores_a_record(self) -> None:
        withdrawn = self.move("forced-labour", "withdraw", self.reviewer, "Duplicate.")
        self.assertEqual(
            410, self.client.get("/api/resources/forced-labour").status_code
        )
        restored = self.move("forced-labour", "restore_draft", self.reviewer)
        self.assertEqual(
            [(200, "withdrawn"), (200, "draft")],
            [
                (r.status_code, r.json()["curation"]["status"])
                for r in (withdrawn, restored)
            ],
        )

    def test_it_refuses_an_unknown_action(self) -> None:
        response = self.move("draft", "delete", self.reviewer)
        self.assertEqual(
            (422, "action"),
            (response.status_code, response.json()["errors"][0]["field"]),
        )


class OrganisationUntouchedTests(WriteTestCase):
    def test_it_finds_organisations_by_acronym_like_the_importer(self) -> None:
        response = self.send(
            "post",
            "/api/resources",
            {"title": "Acronym", "publishers": ["UNICEF-Innocenti"]},
            self.editor,
        )
        self.assertEqual(
            (201, ["UNICEF Office of Research"], {}),
            (
                response.status_code,
                response.json()["publishers"],
                response.json()["new_terms"],
            ),
        )
        self.assertEqual(
            1, Organisation.objects.filter(name__startswith="UNICEF").count()
        )
