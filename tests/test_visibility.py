"""Who sees what: the visibility policy, and every channel that goes through it.

Personas (tests/world.py): anonymous, member (an approved member), editor,
reviewer, lena, who is in the "Law enforcement" group, and newcomer: signed in
but not approved, who must see no more than an anonymous reader. Each record
has its own topic, publisher, year and title word, so a leak shows up in hits,
totals and facet counts alike.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import TestCase, override_settings
from django.utils import timezone

from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.roles import MEMBERS as MEMBERS_GROUP
from clearinghouse.catalog.visibility import is_curator, may_download
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from tests.world import make_personas, make_resource

TODAY = timezone.localdate()

PUBLISHED = "Published alpha"
DRAFT = "Draft bravo"
REVIEW = "In review charlie"
EMBARGOED = "Embargoed delta"
EMBARGO_PASSED = "Embargo passed echo"
EMBARGO_TODAY = "Embargo ends today foxtrot"
WITHDRAWN = "Withdrawn golf"
WITHDRAWN_MEMBERS = "Withdrawn for members hotel"
MEMBERS = "Members only india"
LAW = "Law enforcement only juliet"
MEMBERS_DOCS = "Members documents kilo"
LAW_DOCS = "Law enforcement documents mike"

# title → (unique topic, record fields)
RECORDS = {
    PUBLISHED: ("dark-web", {}),
    DRAFT: ("encryption", {"status": "draft", "text": "xylophone"}),
    REVIEW: ("sextortion", {"status": "review"}),
    EMBARGOED: (
        "gender",
        {"embargo_until": TODAY + datetime.timedelta(days=30)},
    ),
    EMBARGO_PASSED: (
        "forced-labour",
        {"embargo_until": TODAY - datetime.timedelta(days=1)},
    ),
    EMBARGO_TODAY: ("child-labour", {"embargo_until": TODAY}),
    WITHDRAWN: ("covid-19", {"status": "withdrawn", "withdrawn_reason": "Dup."}),
    WITHDRAWN_MEMBERS: ("homelessness", {"status": "withdrawn", "access": "members"}),
    MEMBERS: ("victim-identification", {"access": "members"}),
    LAW: (
        "investigation-methods",
        {"access": "groups", "groups": ("Law enforcement",)},
    ),
    MEMBERS_DOCS: (
        "safety-by-design",
        {"document_access": "members", "text": "secret lima"},
    ),
    LAW_DOCS: (
        "transparency",
        {
            "document_access": "groups",
            "groups": ("Law enforcement",),
            "text": "secret november",
        },
    ),
}

FOR_ANYONE = {PUBLISHED, EMBARGO_PASSED, EMBARGO_TODAY, MEMBERS_DOCS, LAW_DOCS}
FOR_MEMBERS = FOR_ANYONE | {MEMBERS}
FOR_LAW = FOR_MEMBERS | {LAW}
FOR_CURATORS = set(RECORDS) - {WITHDRAWN, WITHDRAWN_MEMBERS}
VISIBLE = {
    "anonymous": FOR_ANYONE,
    "newcomer": FOR_ANYONE,
    "member": FOR_MEMBERS,
    "lena": FOR_LAW,
    "editor": FOR_CURATORS,
    "reviewer": FOR_CURATORS,
}
TOMBSTONES = {
    "anonymous": {WITHDRAWN},
    "newcomer": {WITHDRAWN},
    "member": {WITHDRAWN, WITHDRAWN_MEMBERS},
    "lena": {WITHDRAWN, WITHDRAWN_MEMBERS},
    "editor": {WITHDRAWN, WITHDRAWN_MEMBERS},
    "reviewer": {WITHDRAWN, WITHDRAWN_MEMBERS},
}
DOWNLOADS = {
    "anonymous": {PUBLISHED, EMBARGO_PASSED, EMBARGO_TODAY},
    "newcomer": {PUBLISHED, EMBARGO_PASSED, EMBARGO_TODAY},
    "member": {PUBLISHED, EMBARGO_PASSED, EMBARGO_TODAY, MEMBERS, MEMBERS_DOCS},
    "lena": FOR_LAW,
    "editor": FOR_CURATORS,
    "reviewer": FOR_CURATORS,
}
PERSONAS = list(VISIBLE)

# Personas have passwords; the default hasher takes half a second per account.
fast_passwords = override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)


def year_of(title: str) -> int:
    return 2001 + list(RECORDS).index(title)


def publisher_of(title: str) -> str:
    return "publisher-" + title.rsplit(" ", 1)[-1]


def build_world() -> dict[str, Resource]:
    resources = {}
    for n, (title, (topic, fields)) in enumerate(RECORDS.items()):
        word = title.rsplit(" ", 1)[-1]
        resources[title] = make_resource(
            title,
            slug=f"record-{word}",
            topics=(topic,),
            publishers=(f"Publisher {word}",),
            date=datetime.date(2001 + n, 6, 1),
            **fields,
        )
    return resources


def templates_missing(*names: str) -> bool:
    try:
        for name in names:
            get_template(name)
    except TemplateDoesNotExist:
        return True
    return False


templates_pending = pytest.mark.xfail(
    templates_missing("web/resource.html", "web/tombstone.html", "web/404.html"),
    raises=TemplateDoesNotExist,
    reason="templates pending",
)


@fast_passwords
class PolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.resources = build_world()
        cls.personas = make_personas()

    def titles(self, queryset) -> set[str]:
        return set(queryset.values_list("title", flat=True))

    def test_it_shows_each_persona_exactly_its_records(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                visible = Resource.objects.visible_to(self.personas[name])
                self.assertEqual(VISIBLE[name], self.titles(visible))

    def test_it_shows_each_persona_exactly_its_tombstones(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                tombstones = Resource.objects.tombstones_visible_to(self.personas[name])
                self.assertEqual(TOMBSTONES[name], self.titles(tombstones))

    def test_it_lets_each_persona_download_exactly_its_documents(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                allowed = {
                    title
                    for title, resource in self.resources.items()
                    if may_download(self.personas[name], resource)
                }
                self.assertEqual(DOWNLOADS[name], allowed)

    def test_it_treats_no_viewer_as_anonymous(self):
        self.assertEqual(FOR_ANYONE, self.titles(Resource.objects.visible_to(None)))
        self.assertEqual(FOR_ANYONE, self.titles(Resource.objects.public()))
        self.assertFalse(may_download(None, self.resources[MEMBERS_DOCS]))

    def test_it_treats_a_deactivated_account_as_anonymous(self):
        member = self.personas["member"]
        member.is_active = False
        member.save()
        self.assertEqual(FOR_ANYONE, self.titles(Resource.objects.visible_to(member)))
        self.assertFalse(may_download(member, self.resources[MEMBERS_DOCS]))

    def test_it_admits_an_account_to_members_records_only_while_approved(self):
        newcomer = self.personas["newcomer"]
        members = Group.objects.get(name=MEMBERS_GROUP)
        newcomer.groups.add(members)
        self.assertEqual(
            FOR_MEMBERS, self.titles(Resource.objects.visible_to(newcomer))
        )
        self.assertTrue(may_download(newcomer, self.resources[MEMBERS_DOCS]))
        newcomer.groups.remove(members)
        self.assertEqual(FOR_ANYONE, self.titles(Resource.objects.visible_to(newcomer)))
        self.assertFalse(may_download(newcomer, self.resources[MEMBERS_DOCS]))

    def test_it_treats_a_superuser_as_a_curator(self):
        root = User.objects.create_superuser("root", password="root-pass-1234")
        self.assertTrue(is_curator(root))
        self.assertEqual(FOR_CURATORS, self.titles(Resource.objects.visible_to(root)))

    def test_it_never_loosens_documents_below_the_record(self):
        loose = make_resource(
            "Loose documents",
            access="members",
            document_access="public",
            text="words",
        )
        self.assertEqual("members", loose.effective_document_access)
        self.assertFalse(may_download(AnonymousUser(), loose))
        self.assertTrue(may_download(self.personas["member"], loose))

    def test_it_hides_a_group_record_from_other_groups(self):
        other = make_resource(
            "Hotline staff only", access="groups", groups=("Hotline analysts",)
        )
        lena = self.personas["lena"]
        self.assertFalse(Resource.objects.visible_to(lena).filter(pk=other.pk).exists())
        self.assertFalse(may_download(lena, other))

    def test_it_hides_a_record_once_it_returns_to_draft(self):
        resource = self.resources[PUBLISHED]
        resource.status = "draft"
        resource.save()
        self.assertEqual(
            FOR_ANYONE - {PUBLISHED},
            self.titles(Resource.objects.visible_to(AnonymousUser())),
        )


@fast_passwords
class SearchVisibilityTests(TestCase):
    """Hits, totals and facet counts never count what a persona may not see."""

    @classmethod
    def setUpTestData(cls):
        cls.resources = build_world()
        cls.personas = make_personas()

    def search(self, name: str, **params):
        return search(SearchParams(**params), self.personas[name], page_size=50)

    def test_it_finds_exactly_what_each_persona_may_see(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                result = self.search(name)
                self.assertEqual(
                    (VISIBLE[name], len(VISIBLE[name])),
                    ({hit.resource.title for hit in result.hits}, result.total),
                )

    @override_settings(SEARCH_FACET_SIZE=100)
    def test_it_counts_facets_over_what_each_persona_may_see(self):
        unique_topics = {topic for topic, _ in RECORDS.values()}
        for name in PERSONAS:
            with self.subTest(persona=name):
                facets = self.search(name).facets
                shown = {
                    facet: {v.value: v.count for v in facets[facet].values}
                    for facet in facets
                }
                self.assertEqual(
                    {RECORDS[title][0] for title in VISIBLE[name]},
                    set(shown["topic"]) & unique_topics,
                )
                self.assertEqual(
                    {publisher_of(title): 1 for title in VISIBLE[name]},
                    shown["publisher"],
                )
                self.assertEqual(
                    {str(year_of(title)): 1 for title in VISIBLE[name]},
                    shown["year"],
                )
                self.assertEqual({"report": len(VISIBLE[name])}, shown["type"])
                self.assertEqual({"en": len(VISIBLE[name])}, shown["language"])

    def test_a_drafts_topic_never_appears_to_readers(self):
        for name in ("anonymous", "newcomer", "member", "lena"):
            with self.subTest(persona=name):
                result = self.search(name)
                values = [v.value for v in result.facets["topic"].values]
                self.assertNotIn("encryption", values)
                # Its parent counts only its visible children: dark-web,
                # safety-by-design and transparency.
                parent = [
                    v.count
                    for v in result.facets["topic"].values
                    if v.value == "technology-industry"
                ]
                self.assertEqual([3], parent)

    def test_a_drafts_words_find_nothing_for_readers(self):
        for name in PERSONAS:
            for word in ("bravo", "xylophone"):
                with self.subTest(persona=name, word=word):
                    result = self.search(name, q=word)
                    expected = [DRAFT] if name in ("editor", "reviewer") else []
                    self.assertEqual(
                        (expected, len(expected)),
                        ([hit.resource.title for hit in result.hits], result.total),
                    )

    def test_a_drafts_topic_filter_finds_nothing_for_readers(self):
        result = self.search("anonymous", filters={"topic": ["encryption"]})
        self.assertEqual((0, []), (result.total, result.hits))
        self.assertEqual(
            [("encryption", 0)],
            [(v.value, v.count) for v in result.facets["topic"].values],
        )

    def test_restricted_document_text_is_never_searchable_from_the_record(self):
        # The record is public, its documents are not: their words must not
        # find it, nor show in a snippet, for anyone — the index is shared.
        for name in PERSONAS:
            for word in ("lima", "november", "secret"):
                with self.subTest(persona=name, word=word):
                    self.assertEqual(0, self.search(name, q=word).total)

    def test_snippets_never_quote_restricted_documents(self):
        result = self.search("anonymous", q="kilo")
        self.assertEqual(
            [(MEMBERS_DOCS, "A summary of Members documents <mark>kilo</mark>.")],
            [(hit.resource.title, hit.snippet) for hit in result.hits],
        )

    def test_an_embargo_lifts_on_its_day(self):
        result = self.search("anonymous", q="foxtrot")
        self.assertEqual([EMBARGO_TODAY], [h.resource.title for h in result.hits])
        self.assertEqual(0, self.search("anonymous", q="delta").total)


@fast_passwords
class HTTPVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.resources = build_world()
        cls.personas = make_personas()

    def login(self, name: str) -> None:
        self.client.logout()
        if name != "anonymous":
            self.client.force_login(self.personas[name])

    def test_api_search_returns_exactly_what_each_persona_may_see(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                self.login(name)
                body = self.client.get("/api/search").json()
                self.assertEqual(
                    (VISIBLE[name], len(VISIBLE[name])),
                    ({r["title"] for r in body["results"]}, body["total"]),
                )
                topics = {v["value"] for v in body["facets"]["topic"]}
                self.assertEqual(name in ("editor", "reviewer"), "encryption" in topics)

    def test_api_search_finds_no_draft_by_word(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                self.login(name)
                body = self.client.get("/api/search", {"q": "bravo"}).json()
                expected = 1 if name in ("editor", "reviewer") else 0
                self.assertEqual(
                    (expected, expected), (body["total"], len(body["results"]))
                )

    def test_api_resource_answers_only_for_visible_records(self):
        for name in PERSONAS:
            self.login(name)
            for title, resource in self.resources.items():
                with self.subTest(persona=name, title=title):
                    by_id = self.client.get(f"/api/resources/{resource.uid}")
                    by_slug = self.client.get(f"/api/resources/{resource.slug}")
                    if title in VISIBLE[name]:
                        expected = 200
                    elif title in TOMBSTONES[name]:
                        expected = 410  # a tombstone, as on the record's page
                    else:
                        expected = 404
                    self.assertEqual(
                        (expected, expected), (by_id.status_code, by_slug.status_code)
                    )
                    if expected == 200:
                        self.assertEqual(str(resource.uid), by_id.json()["id"])

    @templates_pending
    def test_detail_pages_answer_200_410_or_404(self):
        for name in PERSONAS:
            self.login(name)
            for title, resource in self.resources.items():
                with self.subTest(persona=name, title=title):
                    response = self.client.get(f"/resources/{resource.slug}/")
                    if title in VISIBLE[name]:
                        expected = 200
                    elif title in TOMBSTONES[name]:
                        expected = 410
                    else:
                        expected = 404
                    self.assertEqual(expected, response.status_code)

    def test_listing_pages_show_exactly_what_each_persona_may_see(self):
        for name in PERSONAS:
            with self.subTest(persona=name):
                self.login(name)
                page = self.client.get("/library/").content.decode()
                shown = {title for title in RECORDS if title in page}
                self.assertEqual(VISIBLE[name], shown)

    def test_an_unapproved_account_reaches_no_members_record_or_document(self):
        self.login("newcomer")
        members = self.resources[MEMBERS]
        self.assertEqual(404, self.client.get(members.get_absolute_url()).status_code)
        results = self.client.get("/library/", {"q": "india"}).content.decode()
        self.assertNotIn(MEMBERS, results)
        for title in (MEMBERS_DOCS, LAW_DOCS):
            with self.subTest(title=title):
                document = self.resources[title].documents.get()
                response = self.client.get(document.get_absolute_url())
                self.assertEqual(403, response.status_code)
                self.assertContains(response, "request access", status_code=403)

    def test_an_approved_member_downloads_what_the_newcomer_may_not(self):
        self.login("member")
        document = self.resources[MEMBERS_DOCS].documents.get()
        response = self.client.get(document.get_absolute_url())
        # Allowed through; the test world holds no file behind the document.
        self.assertEqual(404, response.status_code)
        self.assertNotContains(response, "request access", status_code=404)
