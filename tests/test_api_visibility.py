"""Only what the viewer may see goes out through the API: drafts, members-only
and group-only records are absent from every read (lists, detail, search and
its facet counts, suggestions, related, vocabulary counts, exports) for an
anonymous caller, and present for the persona whose API token admits them."""

import json

from django.test import TestCase

from clearinghouse.api.tokens import create_token
from tests.world import make_personas, make_resource

PUBLIC = "Online grooming threat assessment"
DRAFT = "Grooming draft notes"
MEMBERS = "Grooming briefing for members"
GROUP = "Grooming guide for law enforcement"


def bearer(user: object) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'tests')[1]}"}


class VisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.member, cls.lena, cls.editor = (
            personas["member"],
            personas["lena"],
            personas["editor"],
        )
        shared = {"topics": ("grooming",), "regions": ("GB",)}
        cls.public = make_resource(
            PUBLIC, slug="public", publishers=("Internet Watch Foundation",), **shared
        )
        cls.draft = make_resource(
            DRAFT, slug="draft", status="draft", publishers=("Draft Desk",), **shared
        )
        cls.members = make_resource(
            MEMBERS,
            slug="members",
            access="members",
            publishers=("Members Desk",),
            **shared,
        )
        cls.group = make_resource(
            GROUP,
            slug="group",
            access="groups",
            groups=("Law enforcement",),
            publishers=("Police Desk",),
            **shared,
        )

    # Lists below are in title order: MEMBERS, DRAFT, GROUP, PUBLIC.

    def read_all(self, headers: dict) -> dict:
        """What each channel shows this caller: titles, or counts."""
        get = lambda url: self.client.get(url, **headers).json()  # noqa: E731
        search = get("/api/search?q=grooming")
        return {
            "list": [r["title"] for r in get("/api/resources")["results"]],
            "search": [r["title"] for r in search["results"]],
            "search total": search["total"],
            "topic facet": {f["value"]: f["count"] for f in search["facets"]["topic"]},
            "publisher facet": sorted(
                f["label"] for f in search["facets"]["publisher"]
            ),
            "suggest": sorted(
                r["title"] for r in get("/api/suggest?q=groo")["resources"]
            ),
            "suggested publishers": sorted(
                o["name"] for o in get("/api/suggest?q=desk")["organisations"]
            ),
            "related": sorted(
                r["title"]
                for r in get("/api/resources/public/related?limit=10")["results"]
            ),
            "organisations": {
                o["name"]: o["resources"] for o in get("/api/organisations")["results"]
            },
            "topic count": get("/api/topics/grooming")["count"],
            "region count": next(
                r["count"]
                for r in get("/api/regions?kind=country")
                if r["code"] == "GB"
            ),
            "export": sorted(
                json.loads(line)["title"]
                for line in self.client.get("/api/export?format=jsonl", **headers)
                .content.decode()
                .splitlines()
            ),
            "details": [
                slug
                for slug in ("public", "draft", "members", "group")
                if self.client.get(f"/api/resources/{slug}", **headers).status_code
                == 200
            ],
        }

    def test_it_shows_an_anonymous_caller_only_public_records(self) -> None:
        self.assertEqual(
            {
                "list": [PUBLIC],
                "search": [PUBLIC],
                "search total": 1,
                "topic facet": {"csea": 1, "forms-of-abuse": 1, "grooming": 1},
                "publisher facet": ["Internet Watch Foundation"],
                "suggest": [PUBLIC],
                "suggested publishers": [],
                "related": [],
                "organisations": {
                    "Draft Desk": 0,
                    "Internet Watch Foundation": 1,
                    "Members Desk": 0,
                    "Police Desk": 0,
                },
                "topic count": 1,
                "region count": 1,
                "export": [PUBLIC],
                "details": ["public"],
            },
            self.read_all({}),
        )

    def test_it_shows_a_member_members_records_through_a_token(self) -> None:
        seen = self.read_all(bearer(self.member))
        self.assertEqual(
            {
                "list": [MEMBERS, PUBLIC],
                "search total": 2,
                "suggested publishers": ["Members Desk"],
                "related": [MEMBERS],
                "export": [MEMBERS, PUBLIC],
                "details": ["public", "members"],
            },
            {
                key: seen[key]
                for key in (
                    "list",
                    "search total",
                    "suggested publishers",
                    "related",
                    "export",
                    "details",
                )
            }
            | {"list": sorted(seen["list"])},
        )

    def test_it_shows_a_group_member_the_group_records_through_a_token(self) -> None:
        seen = self.read_all(bearer(self.lena))
        self.assertEqual(
            {
                "list": [MEMBERS, GROUP, PUBLIC],
                "export": [MEMBERS, GROUP, PUBLIC],
                "topic count": 3,
                "police desk": 1,
                "details": ["public", "members", "group"],
            },
            {
                "list": sorted(seen["list"]),
                "export": seen["export"],
                "topic count": seen["topic count"],
                "police desk": seen["organisations"]["Police Desk"],
                "details": seen["details"],
            },
        )

    def test_it_shows_a_curator_drafts_through_a_token(self) -> None:
        seen = self.read_all(bearer(self.editor))
        everything = [MEMBERS, DRAFT, GROUP, PUBLIC]
        self.assertEqual(
            {
                "list": everything,
                "region count": 4,
                "suggest": everything,
                "export": everything,
                "organisations": {
                    "Draft Desk": 1,
                    "Internet Watch Foundation": 1,
                    "Members Desk": 1,
                    "Police Desk": 1,
                },
                "details": ["public", "draft", "members", "group"],
            },
            {
                key: seen[key]
                for key in (
                    "region count",
                    "suggest",
                    "export",
                    "organisations",
                    "details",
                )
            }
            | {"list": sorted(seen["list"])},
        )

    def test_it_shows_a_session_the_same_as_a_token(self) -> None:
        self.client.force_login(self.member)
        self.assertEqual([MEMBERS, PUBLIC], sorted(self.read_all({})["list"]))
