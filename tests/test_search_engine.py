"""search(params, viewer): hits, ranking, filters, facets, sorting and paging."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import TestCase, override_settings

from clearinghouse.catalog.models import Topic
from clearinghouse.search.engine import (
    PROXIMITY_BONUS,
    PageOutOfRange,
    SearchResult,
    search,
)
from clearinghouse.search.facets import FACETS
from clearinghouse.search.fields import FIELD_WEIGHTS
from clearinghouse.search.filters import MAX_PAGE, SearchParams
from tests.world import make_organisation, make_resource

GROOMING = "Online grooming: a threat assessment"
SEXTORTION = "Sextortion trends in Europe"
TRAFFICKING = "Child trafficking routes"
LABOUR = "Forced labour in supply chains"
TOOLKIT = "Prevention toolkit for parents"
HOTLINE = "annual review of hotline data"
ALL_NEWEST = [GROOMING, TOOLKIT, HOTLINE, SEXTORTION, TRAFFICKING, LABOUR]


def run(query: str = "", viewer=None, **options) -> SearchResult:
    """Search as the listing does, from a query string."""
    params = SearchParams.from_querydict(QueryDict(query))
    return search(params, viewer or AnonymousUser(), **options)


def titles(result: SearchResult) -> list[str]:
    return [hit.resource.title for hit in result.hits]


def facet(result: SearchResult, name: str) -> list[tuple[str, int]]:
    return [(v.value, v.count) for v in result.facets[name].values]


def at(day: int) -> datetime.datetime:
    """A creation time; later days were added later."""
    return datetime.datetime(2024, 1, day, tzinfo=datetime.UTC)


def build_world() -> None:
    """Six public records with known types, topics, publishers, years, places."""
    make_organisation("Internet Watch Foundation", acronym="IWF")
    make_organisation("International Labour Organization", acronym="ILO")
    make_organisation("UN Office on Drugs and Crime", slug="unodc", acronym="UNODC")
    make_resource(
        GROOMING,
        types=("report",),
        topics=("grooming",),
        publishers=("Internet Watch Foundation",),
        regions=("GB",),
        date=datetime.date(2023, 5, 1),
        date_precision="month",
        created_at=at(1),
    )
    make_resource(
        SEXTORTION,
        types=("briefing",),
        topics=("sextortion",),
        publishers=("Europol",),
        regions=("FR",),
        languages=("en", "fr"),
        date=datetime.date(2021, 9, 1),
        created_at=at(2),
        text="Offenders move from grooming to coercion within hours.",
    )
    make_resource(
        TRAFFICKING,
        types=("research-article",),
        topics=("child-trafficking",),
        publishers=("UN Office on Drugs and Crime", "Europol"),
        regions=("DE",),
        languages=("fr",),
        date=datetime.date(2019, 1, 1),
        date_precision="year",
        created_at=at(3),
    )
    make_resource(
        LABOUR,
        types=("report", "guidance"),
        topics=("forced-labour", "supply-chains-business"),
        publishers=(
            "International Labour Organization",
            "UN Office on Drugs and Crime",
        ),
        regions=("KE",),
        date=None,
        created_at=at(4),
    )
    make_resource(
        TOOLKIT,
        types=("toolkit",),
        topics=("parents-caregivers", "grooming"),
        publishers=("Internet Watch Foundation",),
        regions=("PH", "GB"),
        date=datetime.date(2022, 3, 15),
        created_at=at(5),
    )
    make_resource(
        HOTLINE,
        types=("report",),
        topics=("csam",),
        publishers=("Internet Watch Foundation",),
        regions=("GB",),
        date=datetime.date(2021, 9, 1),
        created_at=at(6),
    )


class MatchingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def test_it_lists_everything_newest_first_without_a_query(self):
        result = run()
        self.assertEqual(ALL_NEWEST, titles(result))
        self.assertEqual((6, "newest", 1, 1, []), self._head(result))

    def test_it_requires_every_word_by_default(self):
        result = run("q=grooming+europe")
        self.assertEqual([SEXTORTION], titles(result))
        self.assertEqual([], result.notices)

    def test_it_falls_back_to_any_word_with_a_notice(self):
        result = run("q=grooming+labour")
        self.assertEqual({GROOMING, TOOLKIT, SEXTORTION, LABOUR}, set(titles(result)))
        self.assertEqual(
            ["No resource contains all of your words; showing those with any of them."],
            result.notices,
        )

    def test_it_gives_no_fallback_notice_for_an_explicit_or(self):
        result = run("q=grooming+OR+labour")
        self.assertEqual({GROOMING, TOOLKIT, SEXTORTION, LABOUR}, set(titles(result)))
        self.assertEqual([], result.notices)

    def test_it_matches_phrases_in_order_only(self):
        self.assertEqual([LABOUR], titles(run('q="supply chains"')))
        result = run('q="chains supply"')
        self.assertEqual(([], 0, []), (titles(result), result.total, result.notices))

    def test_it_matches_word_forms(self):
        # The porter stemmer: "trafficked" and "trafficking" share a stem.
        self.assertEqual([TRAFFICKING], titles(run("q=trafficked")))

    def test_it_matches_prefixes(self):
        self.assertEqual([SEXTORTION], titles(run("q=sextort*")))

    def test_it_excludes_words(self):
        self.assertEqual([GROOMING, TOOLKIT], titles(run("q=grooming+-coercion")))

    def test_it_lists_the_rest_for_an_exclusion_only_query(self):
        result = run("q=-grooming&sort=relevance")
        # The sextortion brief mentions grooming in its document text.
        self.assertEqual([HOTLINE, TRAFFICKING, LABOUR], titles(result))
        self.assertEqual(("newest", []), (result.sort, result.notices))
        self.assertEqual(["", "", ""], [hit.snippet for hit in result.hits])

    def test_it_shows_everything_with_a_notice_when_no_words_remain(self):
        result = run("q=%F0%9F%98%80+%21%21")
        self.assertEqual(ALL_NEWEST, titles(result))
        self.assertEqual(
            ["Your search had no words to look for, so all resources are shown."],
            result.notices,
        )

    def test_it_finds_nothing_without_a_notice(self):
        result = run("q=zebrafish")
        self.assertEqual(
            (0, [], 1, 1, []),
            (result.total, result.hits, *self._pages(result), result.notices),
        )

    def test_it_finds_by_topic_name_and_publisher_acronym(self):
        self.assertEqual([TRAFFICKING, LABOUR], titles(run("q=unodc&sort=newest")))
        self.assertEqual([HOTLINE], titles(run('q="sexual abuse material"')))

    def _head(self, result):
        return (result.total, result.sort, result.page, result.pages, result.notices)

    def _pages(self, result):
        return (result.page, result.pages)


class RankingTests(TestCase):
    """A word in a heavier field ranks higher (search/fields.py FIELD_WEIGHTS)."""

    @classmethod
    def setUpTestData(cls):
        make_organisation("Zebrafish Institute")
        common = {"summary": "", "languages": ()}
        make_resource("Zebrafish", types=("briefing",), **common)
        make_resource("Keyword record", keywords=["zebrafish"], **common)
        make_resource("Publisher record", publishers=("Zebrafish Institute",), **common)
        make_resource("Summary record", summary="zebrafish")
        make_resource("Body record", types=("briefing",), text="zebrafish", **common)
        # Enough records without the word that it is rare, as in a real library.
        for n in range(10):
            make_resource(f"Unrelated record {n}", text="nothing to see", **common)

    def test_it_weights_fields(self):
        self.assertEqual(
            ["title", "keywords", "topics", "publishers", "summary", "body"],
            list(FIELD_WEIGHTS),
        )
        result = run("q=zebrafish")
        self.assertEqual(
            [
                "Zebrafish",
                "Keyword record",
                "Publisher record",
                "Summary record",
                "Body record",
            ],
            titles(result),
        )
        scores = [hit.score for hit in result.hits]
        self.assertEqual(sorted(scores, reverse=True), scores)
        self.assertEqual(len(set(scores)), len(scores))

    def test_it_ranks_a_title_match_above_a_body_only_match(self):
        result = run("q=zebrafish&type=briefing")
        self.assertEqual(["Zebrafish", "Body record"], titles(result))

    def test_it_gives_scores_only_when_ranking(self):
        self.assertEqual(
            [None] * 5, [hit.score for hit in run("q=zebrafish&sort=title").hits]
        )


class FilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def assertFinds(self, expected: list[str], query: str) -> None:
        result = run(query)
        self.assertEqual(expected, titles(result))
        self.assertEqual([], result.notices)

    def test_it_filters_by_type(self):
        self.assertFinds([GROOMING, HOTLINE, LABOUR], "type=report")

    def test_it_filters_by_topic(self):
        self.assertFinds([GROOMING, TOOLKIT], "topic=grooming")

    def test_it_includes_a_topics_descendants(self):
        # grooming and csam sit under csea, which sits under forms-of-abuse.
        self.assertEqual(
            ["forms-of-abuse", "csea"],
            [t.slug for t in Topic.objects.get(slug="grooming").ancestors()],
        )
        self.assertFinds([GROOMING, TOOLKIT, HOTLINE, SEXTORTION], "topic=csea")
        self.assertFinds(ALL_NEWEST, "topic=forms-of-abuse")
        self.assertFinds([TOOLKIT], "topic=prevention")

    def test_it_filters_by_publisher(self):
        self.assertFinds([SEXTORTION, TRAFFICKING], "publisher=europol")

    def test_it_filters_by_year(self):
        self.assertFinds([HOTLINE, SEXTORTION], "year=2021")

    def test_it_filters_by_language(self):
        self.assertFinds([SEXTORTION, TRAFFICKING], "language=fr")

    def test_it_includes_a_regions_children(self):
        self.assertFinds([GROOMING, TOOLKIT, HOTLINE], "region=united-kingdom")
        self.assertFinds([GROOMING, TOOLKIT, HOTLINE], "region=northern-europe")
        self.assertFinds(
            [GROOMING, TOOLKIT, HOTLINE, SEXTORTION, TRAFFICKING], "region=europe"
        )
        self.assertFinds([LABOUR], "region=africa")

    def test_it_requires_every_value_of_a_filter(self):
        self.assertFinds([TOOLKIT], "topic=grooming&topic=prevention")
        self.assertFinds([LABOUR], "type=report&type=guidance")
        self.assertFinds([TRAFFICKING], "publisher=europol&publisher=unodc")
        self.assertFinds([], "year=2021&year=2022")

    def test_it_combines_filters_and_words(self):
        self.assertFinds([SEXTORTION], "q=grooming&region=europe&language=fr")

    def test_it_reports_and_ignores_unknown_values(self):
        result = run("topic=nope&year=abcd&type=report&region=atlantis")
        self.assertEqual([GROOMING, HOTLINE, LABOUR], titles(result))
        self.assertEqual(
            [
                "There is no topic 'nope', so that filter was ignored.",
                "There is no year 'abcd', so that filter was ignored.",
                "There is no region 'atlantis', so that filter was ignored.",
            ],
            result.notices,
        )
        self.assertEqual(
            [("type", "report", "Report")],
            [(f.name, f.value, f.label) for f in result.active_filters],
        )

    def test_it_ignores_repeated_values(self):
        self.assertFinds([GROOMING, TOOLKIT], "topic=grooming&topic=grooming")

    def test_it_labels_active_filters(self):
        result = run("topic=csea&region=europe&year=2021&publisher=europol")
        self.assertEqual(
            [
                ("topic", "csea", "Child sexual exploitation and abuse"),
                ("publisher", "europol", "Europol"),
                ("year", "2021", "2021"),
                ("region", "europe", "Europe"),
            ],
            [(f.name, f.value, f.label) for f in result.active_filters],
        )


class FacetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def test_it_counts_types_publishers_years_and_languages(self):
        result = run()
        self.assertEqual(
            [
                ("report", 3),
                ("briefing", 1),
                ("guidance", 1),
                ("research-article", 1),
                ("toolkit", 1),
            ],
            facet(result, "type"),
        )
        self.assertEqual(
            [
                ("internet-watch-foundation", 3),
                ("europol", 2),
                ("unodc", 2),
                ("international-labour-organization", 1),
            ],
            facet(result, "publisher"),
        )
        self.assertEqual(
            [("2023", 1), ("2022", 1), ("2021", 2), ("2019", 1)],
            facet(result, "year"),
        )
        self.assertEqual([("en", 5), ("fr", 2)], facet(result, "language"))

    def test_it_counts_topics_with_their_ancestors(self):
        result = run("q=grooming")
        self.assertEqual(
            [
                ("csea", 3),
                ("forms-of-abuse", 3),
                ("grooming", 2),
                ("parents-caregivers", 1),
                ("prevention", 1),
                ("sextortion", 1),
            ],
            facet(result, "topic"),
        )

    def test_it_labels_facet_values(self):
        result = run("q=grooming")
        self.assertEqual(
            {
                "value": "csea",
                "label": "Child sexual exploitation and abuse",
                "count": 3,
            },
            result.facets["topic"].values[0].to_dict(),
        )

    def test_every_count_is_the_total_its_filter_would_give(self):
        for query in ["", "q=grooming", "topic=csea", "q=-grooming&language=en"]:
            base = run(query)
            for name in FACETS:
                for value in base.facets[name].values:
                    narrowed = run(f"{query}&{name}={value.value}", with_facets=False)
                    self.assertEqual(
                        (name, value.value, value.count),
                        (name, value.value, narrowed.total),
                        query,
                    )

    @override_settings(SEARCH_FACET_SIZE=100)
    def test_every_value_with_hits_is_a_facet_value(self):
        base = run()
        shown = {(name, v.value) for name in FACETS for v in base.facets[name].values}
        candidates = {
            ("topic", slug) for slug in Topic.objects.values_list("slug", flat=True)
        } | {("year", str(year)) for year in range(2015, 2026)}
        with_hits = {
            (name, value)
            for name, value in candidates
            if run(f"{name}={value}", with_facets=False).total > 0
        }
        self.assertEqual(
            with_hits, {(n, v) for n, v in shown if n in ("topic", "year")}
        )

    @override_settings(SEARCH_FACET_SIZE=1)
    def test_it_keeps_selected_values_past_the_facet_size(self):
        result = run("topic=prevention")
        self.assertEqual([("csea", 1), ("prevention", 1)], facet(result, "topic"))
        self.assertEqual(
            [False, True], [v.selected for v in result.facets["topic"].values]
        )
        self.assertTrue(result.facets["topic"].truncated)
        self.assertFalse(result.facets["language"].truncated)

    def test_it_keeps_selected_values_when_nothing_matches(self):
        result = run("q=zebrafish&topic=grooming&year=2021&publisher=europol")
        self.assertEqual(0, result.total)
        self.assertEqual(
            {
                "type": [],
                "topic": [("grooming", 0)],
                "publisher": [("europol", 0)],
                "year": [("2021", 0)],
                "language": [],
                "region": [],
            },
            {name: facet(result, name) for name in FACETS},
        )

    def test_it_omits_unknown_selected_values(self):
        result = run("topic=nope&year=abcd")
        self.assertNotIn("nope", [v.value for v in result.facets["topic"].values])
        self.assertNotIn("abcd", [v.value for v in result.facets["year"].values])

    def test_it_can_skip_facets(self):
        self.assertEqual({}, search(SearchParams(), None, with_facets=False).facets)


class SortTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def test_it_sorts_newest_first_with_undated_last(self):
        self.assertEqual(ALL_NEWEST, titles(run("sort=newest")))

    def test_it_sorts_oldest_first_with_undated_last(self):
        self.assertEqual(
            [TRAFFICKING, SEXTORTION, HOTLINE, TOOLKIT, GROOMING, LABOUR],
            titles(run("sort=oldest")),
        )

    def test_it_sorts_by_title_ignoring_case(self):
        self.assertEqual(
            [HOTLINE, TRAFFICKING, LABOUR, GROOMING, TOOLKIT, SEXTORTION],
            titles(run("sort=title")),
        )

    def test_it_sorts_by_relevance_when_there_are_words(self):
        result = run("q=grooming")
        self.assertEqual(
            ("relevance", [GROOMING, TOOLKIT, SEXTORTION]),
            (result.sort, titles(result)),
        )
        self.assertEqual(
            [SEXTORTION, TOOLKIT, GROOMING], titles(run("q=grooming&sort=oldest"))
        )

    def test_it_sorts_by_newest_when_relevance_has_no_words(self):
        result = run("sort=relevance")
        self.assertEqual(("newest", ALL_NEWEST), (result.sort, titles(result)))

    def test_it_reports_an_unknown_sort_and_uses_the_default(self):
        result = run("q=grooming&sort=bogus")
        self.assertEqual("relevance", result.sort)
        self.assertEqual(
            ["Unknown sort order 'bogus'; showing the default."], result.notices
        )


class PagingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world()

    def test_it_pages_through_a_listing(self):
        pages = [titles(run(f"page={n}", page_size=2)) for n in (1, 2, 3)]
        self.assertEqual([ALL_NEWEST[0:2], ALL_NEWEST[2:4], ALL_NEWEST[4:6]], pages)
        result = run("page=3", page_size=2)
        self.assertEqual((6, 3, 3), (result.total, result.page, result.pages))

    def test_it_pages_through_ranked_hits(self):
        pages = [titles(run(f"q=grooming&page={n}", page_size=2)) for n in (1, 2)]
        self.assertEqual([[GROOMING, TOOLKIT], [SEXTORTION]], pages)

    def test_it_refuses_a_page_past_the_end(self):
        with self.assertRaises(PageOutOfRange) as raised:
            run("page=4", page_size=2)
        self.assertEqual(
            ("Page 4 is past the end: there are 3 pages.", 4, 3),
            (str(raised.exception), raised.exception.page, raised.exception.pages),
        )

    def test_it_treats_a_huge_page_number_as_past_the_end(self):
        for page, read_as in [
            ("99999", 99999),
            ("9" * 5000, MAX_PAGE),
            ("0" * 5000 + "4", 4),
        ]:
            with self.subTest(page=page[:10]), self.assertRaises(PageOutOfRange) as e:
                run(f"page={page}", page_size=2)
            self.assertEqual((read_as, 3), (e.exception.page, e.exception.pages))

    def test_it_reads_leading_zeros(self):
        self.assertEqual(ALL_NEWEST[2:4], titles(run("page=002", page_size=2)))

    def test_it_has_one_empty_page_when_nothing_matches(self):
        result = run("q=zebrafish")
        self.assertEqual((1, 1, []), (result.page, result.pages, result.hits))
        with self.assertRaises(PageOutOfRange):
            run("q=zebrafish&page=2")

    def test_it_shows_page_one_for_a_page_that_is_not_a_number(self):
        for page in ["0", "000", "-1", "abc", "", "1.5", " 2", "²", "٣", "0x10"]:
            with self.subTest(page=page):
                result = run(f"page={page}", page_size=2)
                self.assertEqual((1, ALL_NEWEST[:2]), (result.page, titles(result)))
                self.assertEqual(
                    [f"Page {page!r} is not a page number; showing page 1."],
                    result.notices,
                )


class SnippetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_resource(
            "Grooming online",
            summary="Offenders approach children on gaming platforms.",
            text="Chat logs show <script>alert(1)</script> grooming & coercion.",
        )

    def test_it_escapes_text_and_marks_the_hit(self):
        result = run("q=coercion")
        self.assertEqual(
            "Chat logs show &lt;script&gt;alert(1)&lt;/script&gt; grooming &amp; "
            "<mark>coercion</mark>.",
            result.hits[0].snippet,
        )

    def test_it_marks_words_that_look_like_markup(self):
        result = run("q=script")
        self.assertEqual(
            "Chat logs show &lt;<mark>script</mark>&gt;alert(1)&lt;/"
            "<mark>script</mark>&gt; grooming &amp; coercion.",
            result.hits[0].snippet,
        )

    def test_it_prefers_the_summary_when_it_matches(self):
        result = run("q=gaming")
        self.assertEqual(
            "Offenders approach children on <mark>gaming</mark> platforms.",
            result.hits[0].snippet,
        )

    def test_it_falls_back_to_the_title(self):
        result = run('q="grooming online"')
        self.assertEqual("<mark>Grooming online</mark>", result.hits[0].snippet)

    def test_it_gives_no_snippet_without_words(self):
        self.assertEqual([""], [hit.snippet for hit in run().hits])


class LongQueryTests(TestCase):
    """Questions and pasted claims find records with any of their words,
    those with more of them (and with the words side by side) first."""

    @classmethod
    def setUpTestData(cls):
        common = {"languages": ()}
        make_resource("Offenders on the dark web", summary="Forums.", **common)
        make_resource(
            "Why offenders justify abuse",
            summary="Neutralisation on dark web forums.",
            **common,
        )
        make_resource("Labour inspections", summary="Farms.", **common)
        # The same words, in a different order: only one holds the phrase.
        make_resource("Scattered", summary="grooming of a child online", **common)
        make_resource("Adjacent", summary="online grooming of a child", **common)

    def test_it_finds_any_word_of_a_question_best_first(self):
        result = run("q=how+do+offenders+justify+abuse+on+the+dark+web")
        self.assertEqual(
            ["Why offenders justify abuse", "Offenders on the dark web"],
            titles(result),
        )
        self.assertEqual([], result.notices)

    def test_it_still_requires_every_word_of_a_short_query(self):
        self.assertEqual(
            ["Why offenders justify abuse"], titles(run("q=justify+forums"))
        )

    def test_it_ranks_words_typed_side_by_side_higher(self):
        result = run("q=online+grooming+child+safety+measures")
        self.assertEqual(["Adjacent", "Scattered"], titles(result))
        adjacent, scattered = (hit.score for hit in result.hits)
        # The same words, counts and lengths: the bonus alone tells them apart.
        self.assertAlmostEqual(1 + PROXIMITY_BONUS / 4, adjacent / scattered)


class RelaxedRankingTests(TestCase):
    """When no record holds all three words, those with two come first."""

    @classmethod
    def setUpTestData(cls):
        common = {"languages": ()}
        # One word said many times outscores two words said once, by BM25.
        make_resource("Hotline", summary="hotline hotline hotline hotline", **common)
        make_resource("Two of three", summary="hotline and referral", **common)
        make_resource("Other", summary="referral pathways", **common)

    def test_it_ranks_records_with_more_of_the_words_first(self):
        result = run("q=hotline+referral+zebrafish")
        self.assertEqual(["Two of three", "Hotline", "Other"], titles(result))
        self.assertEqual(
            ["No resource contains all of your words; showing those with any of them."],
            result.notices,
        )
        self.assertEqual("", result.did_you_mean)

    def test_it_ranks_by_score_when_every_word_is_required(self):
        result = run("q=hotline")
        self.assertEqual(["Hotline", "Two of three"], titles(result))
