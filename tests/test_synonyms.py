"""The field's synonyms: shipped as data, edited by curators, applied to searches."""

import json

from django.contrib.auth.models import AnonymousUser, User
from django.http import QueryDict
from django.test import TestCase

from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from clearinghouse.search.models import SynonymGroup, SynonymTerm
from clearinghouse.search.query import parse
from clearinghouse.search.synonyms import DATA, Group, expand
from tests.world import make_resource

CSAM = "Hotline figures on CSAM"
GUIDE = "A guide to child sexual abuse material"
LEGACY = "Early legislation on child pornography"
SEXTORTION = "Financial sexual extortion of boys"
LABOR = "Labor trafficking in agriculture"
LEGACY_NOTICE = (
    "Searching also for ‘child sexual abuse material (CSAM)’, the term "
    "preferred by the Luxembourg Terminology Guidelines."
)

CSAM_GROUP = Group(
    "child sexual abuse material (CSAM)",
    "the Luxembourg Terminology Guidelines",
    (
        ("csam",),
        ("child", "sexual", "abuse", "material"),
        ("csem",),
        ("child", "pornography"),
    ),
    frozenset({("child", "pornography")}),
)
ALTERNATIVES = (
    '("csam" OR "child sexual abuse material" OR "csem" OR "child pornography")'
)


NOTE = LEGACY_NOTICE


def run(query: str, viewer=None):
    params = SearchParams.from_querydict(QueryDict(query))
    return search(params, viewer or AnonymousUser())


def titles(result) -> set[str]:
    return {hit.resource.title for hit in result.hits}


class ExpansionTests(TestCase):
    """The parsed query, before and after: a table, as for the parser."""

    CASES = [
        ("csem", ALTERNATIVES, []),
        ("CSEM sextortion", f'{ALTERNATIVES} AND "sextortion"', []),
        # Four words typed without quotes are one term.
        ("child sexual abuse materials", ALTERNATIVES, []),
        ("child pornography", ALTERNATIVES, [LEGACY_NOTICE]),
        ("child pornography csam", f"{ALTERNATIVES} AND {ALTERNATIVES}", [NOTE]),
        # Quotes ask for exactly these words; a prefix and exclusions stay too.
        ('"child pornography"', '"child pornography"', []),
        ('"csam"', '"csam"', []),
        ("csam*", '"csam" *', []),
        ("grooming -csam", '"grooming" NOT ("csam")', []),
        # An explicit OR widens each alternative.
        ("csem OR grooming", ALTERNATIVES[:-1] + ' OR "grooming")', []),
        # Words that only begin a term are left alone.
        ("child sexual", '"child" AND "sexual"', []),
    ]

    def test_it_widens_typed_terms_into_their_groups(self):
        for text, expression, notices in self.CASES:
            with self.subTest(text=text):
                expanded, said = expand(parse(text), [CSAM_GROUP])
                self.assertEqual(
                    (expression, notices), (expanded.match_expression(), said)
                )

    def test_it_changes_nothing_without_groups(self):
        parsed = parse("child pornography")
        self.assertEqual((parsed, []), expand(parsed, []))


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_resource(CSAM, summary="Reports of CSAM to hotlines.")
        make_resource(GUIDE, summary="For teachers.")
        make_resource(LEGACY, summary="Laws of the 1990s.")
        make_resource(SEXTORTION, summary="Scams on social media.")
        make_resource(LABOR, summary="Farms.")
        make_resource("Unrelated", summary="Nothing of the kind.")

    def test_it_loads_the_shipped_groups(self):
        shipped = json.loads(DATA.read_text(encoding="utf-8"))["groups"]
        self.assertEqual(
            sorted(g["preferred"] for g in shipped),
            list(SynonymGroup.objects.values_list("preferred", flat=True)),
        )
        self.assertEqual(
            ["child porn", "child pornography"],
            list(
                SynonymTerm.objects.filter(
                    group__preferred__startswith="child sexual abuse material",
                    legacy=True,
                ).values_list("text", flat=True)
            ),
        )

    def test_an_acronym_finds_records_that_spell_it_out(self):
        result = run("q=CSEM")
        self.assertEqual({CSAM, GUIDE, LEGACY}, titles(result))
        self.assertEqual([], result.notices)

    def test_a_legacy_term_finds_the_preferred_one_with_a_notice(self):
        result = run("q=child+pornography")
        self.assertEqual({CSAM, GUIDE, LEGACY}, titles(result))
        self.assertEqual([LEGACY_NOTICE], result.notices)

    def test_quotes_search_for_exactly_the_words_typed(self):
        result = run("q=%22child+pornography%22")
        self.assertEqual(({LEGACY}, []), (titles(result), result.notices))

    def test_a_phrase_finds_its_acronym_and_other_phrases(self):
        self.assertEqual({SEXTORTION}, titles(run("q=sextortion")))
        self.assertEqual({LABOR}, titles(run("q=labour+trafficking")))

    def test_a_curators_edit_takes_effect_at_once(self):
        group = SynonymGroup.objects.create(preferred="hotline")
        group.terms.create(text="hotline")
        group.terms.create(text="tip line")
        self.assertEqual({CSAM}, titles(run("q=tip+line")))
        group.active = False
        group.save()
        self.assertEqual(set(), titles(run("q=tip+line")))

    def test_the_listing_shows_the_notice(self):
        response = self.client.get("/library/", {"q": "child pornography"})
        self.assertContains(response, LEGACY_NOTICE)
        self.assertContains(response, GUIDE)


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("root", password="root-pass-1234")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_curators_list_and_edit_groups(self):
        response = self.client.get("/admin/search/synonymgroup/")
        self.assertContains(response, "child sexual abuse material (CSAM)")
        self.assertContains(response, "[child pornography]")
        group = SynonymGroup.objects.get(preferred__startswith="trafficking in human")
        page = self.client.get(f"/admin/search/synonymgroup/{group.pk}/change/")
        self.assertContains(page, "trafficking in persons")

    def test_a_term_needs_a_word(self):
        group = SynonymGroup.objects.get(preferred__startswith="trafficking in human")
        term = SynonymTerm(group=group, text=" -- ")
        with self.assertRaisesMessage(Exception, "at least one letter or digit"):
            term.full_clean()
