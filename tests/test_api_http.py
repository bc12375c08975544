"""HTTP behaviour shared by every endpoint: problem details, CORS, conditional
GET (ETag, Last-Modified, 304), HEAD and method checks."""

from django.test import TestCase
from django.utils.http import http_date

from clearinghouse.api.tokens import create_token
from tests.world import make_personas, make_resource

PROBLEM_KEYS = ["type", "title", "status", "detail", "instance"]


class HttpTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.report = make_resource("Online grooming threat assessment", slug="grooming")
        for n in range(3):
            make_resource(f"Briefing {n}", slug=f"briefing-{n}")


class ProblemDetailsTests(HttpTestCase):
    def test_every_error_is_a_problem_with_the_same_keys(self) -> None:
        requests = {
            "unknown id": ("get", "/api/resources/nope", 404),
            "unknown path": ("get", "/api/nothing/here", 404),
            "bad parameter": ("get", "/api/resources?page_size=1000", 400),
            "not a number": ("get", "/api/resources?page=two", 400),
            "past the end": ("get", "/api/resources?page=9", 404),
            "method": ("delete", "/api/resources", 405),
            "no credentials": ("post", "/api/resources", 401),
            "unknown topic": ("get", "/api/topics/nope", 404),
        }
        for name, (method, url, status) in requests.items():
            with self.subTest(name):
                response = getattr(self.client, method)(url)
                body = response.json()
                self.assertEqual(
                    (status, "application/problem+json", PROBLEM_KEYS, status, url),
                    (
                        response.status_code,
                        response["Content-Type"],
                        list(body)[:5],
                        body["status"],
                        body["instance"],
                    ),
                )

    def test_it_lists_the_parameters_at_fault(self) -> None:
        response = self.client.get("/api/resources?page=0&page_size=x")
        self.assertEqual(
            {
                "type": "urn:clearinghouse:problem:validation",
                "title": "Bad Request",
                "status": 400,
                "detail": "The request is not valid. page: Input should be greater "
                "than or equal to 1; page_size: Input should be a valid integer, "
                "unable to parse string as an integer.",
                "instance": "/api/resources?page=0&page_size=x",
                "errors": [
                    {
                        "location": "query",
                        "field": "page",
                        "message": "Input should be greater than or equal to 1",
                    },
                    {
                        "location": "query",
                        "field": "page_size",
                        "message": "Input should be a valid integer, unable to parse "
                        "string as an integer",
                    },
                ],
            },
            response.json(),
        )

    def test_it_refuses_a_body_over_djangos_limit_with_413(self) -> None:
        secret = create_token(self.personas["editor"], "t")[1]
        response = self.client.post(
            "/api/resources",
            '{"title": "' + "x" * 3_000_000 + '"}',
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        self.assertEqual(
            (413, "The request body is too large."),
            (response.status_code, response.json()["detail"]),
        )

    def test_it_says_which_methods_are_allowed(self) -> None:
        response = self.client.put("/api/search")
        self.assertEqual(
            (405, "GET, HEAD", "PUT is not allowed here."),
            (response.status_code, response["Allow"], response.json()["detail"]),
        )


class CorsTests(HttpTestCase):
    def test_it_lets_any_origin_read_without_credentials(self) -> None:
        response = self.client.get("/api/search", HTTP_ORIGIN="https://example.org")
        self.assertEqual(
            (
                "*",
                None,
                "ETag, Last-Modified, Link, Content-Disposition, "
                "X-Result-Count, X-Exported-Count",
            ),
            (
                response["Access-Control-Allow-Origin"],
                response.get("Access-Control-Allow-Credentials"),
                response["Access-Control-Expose-Headers"],
            ),
        )

    def test_it_answers_preflights_for_reads_only(self) -> None:
        def preflight(method: str) -> dict:
            response = self.client.options(
                "/api/resources",
                HTTP_ORIGIN="https://example.org",
                HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
                HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
            )
            return {
                "status": response.status_code,
                "origin": response.get("Access-Control-Allow-Origin"),
                "methods": response.get("Access-Control-Allow-Methods"),
                "headers": response.get("Access-Control-Allow-Headers"),
            }

        self.assertEqual(
            [
                {
                    "status": 204,
                    "origin": "*",
                    "methods": "GET, HEAD",
                    "headers": "Authorization, If-None-Match, If-Modified-Since",
                },
                {"status": 204, "origin": None, "methods": None, "headers": None},
            ],
            [preflight("GET"), preflight("POST")],
        )

    def test_it_gives_writes_no_cors_headers(self) -> None:
        response = self.client.post(
            "/api/resources", HTTP_ORIGIN="https://evil.example"
        )
        self.assertEqual(
            (401, None),
            (response.status_code, response.get("Access-Control-Allow-Origin")),
        )


class ConditionalGetTests(HttpTestCase):
    def test_it_answers_304_when_the_etag_matches(self) -> None:
        for url in [
            "/api/resources/grooming",
            "/api/resources",
            "/api/topics",
            "/api/search?q=grooming",
        ]:
            with self.subTest(url=url):
                first = self.client.get(url)
                again = self.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
                self.assertEqual(
                    (200, 304, first["ETag"], b""),
                    (
                        first.status_code,
                        again.status_code,
                        again["ETag"],
                        again.content,
                    ),
                )

    def test_it_changes_the_etag_when_the_record_changes(self) -> None:
        before = self.client.get("/api/resources/grooming")["ETag"]
        self.report.summary = "Revised."
        self.report.save()
        response = self.client.get("/api/resources/grooming", HTTP_IF_NONE_MATCH=before)
        self.assertEqual(
            (200, True), (response.status_code, response["ETag"] != before)
        )

    def test_it_gives_last_modified_but_trusts_only_the_etag(self) -> None:
        response = self.client.get("/api/resources/grooming")
        self.report.refresh_from_db()
        self.assertEqual(
            http_date(self.report.updated_at.timestamp()), response["Last-Modified"]
        )
        # A date cannot tell that, say, a document was read since: only the
        # ETag decides, and a 200 is always a safe answer.
        by_date = self.client.get(
            "/api/resources/grooming", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
        )
        self.assertEqual(200, by_date.status_code)

    def test_it_never_lets_caches_mix_viewers(self) -> None:
        anonymous = self.client.get("/api/resources")
        secret = create_token(self.personas["editor"], "t")[1]
        curator = self.client.get(
            "/api/resources", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        self.assertEqual(
            [
                ({"Authorization", "Cookie"}, "no-cache"),
                ({"Authorization", "Cookie"}, "no-cache, private"),
            ],
            [
                (set(r["Vary"].split(", ")), r["Cache-Control"])
                for r in (anonymous, curator)
            ],
        )

    def test_it_answers_head_like_get_without_a_body(self) -> None:
        get = self.client.get("/api/resources")
        head = self.client.head("/api/resources")
        self.assertEqual(
            (200, get["ETag"], str(len(get.content)), b""),
            (head.status_code, head["ETag"], head["Content-Length"], head.content),
        )


class PaginationTests(HttpTestCase):
    def test_it_links_the_pages_in_the_body_and_the_link_header(self) -> None:
        response = self.client.get("/api/resources?page_size=2&page=2&type=report")
        body = response.json()
        link = "http://testserver/api/resources?page_size=2&page={}&type=report"
        self.assertEqual(
            (4, 2, 2, 2, None, link.format(1), f'<{link.format(1)}>; rel="previous"'),
            (
                body["total"],
                body["page"],
                body["pages"],
                body["page_size"],
                body["next"],
                body["previous"],
                response["Link"],
            ),
        )
        first = self.client.get(body["previous"]).json()
        self.assertEqual((link.format(2), None), (first["next"], first["previous"]))
