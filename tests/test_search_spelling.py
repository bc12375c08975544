"""“Did you mean …?”: corrections from the index's words, never a hidden record's."""

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import TestCase

from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from tests.world import make_personas, make_resource


def suggestion(query: str, viewer=None) -> str:
    params = SearchParams.from_querydict(QueryDict(query))
    return search(params, viewer or AnonymousUser()).did_you_mean


class DidYouMeanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        make_resource("Online grooming of children", summary="Chat rooms.")
        make_resource("Grooming on gaming platforms", summary="Voice chat.")
        make_resource("Groping in public transport", summary="Harassment.")
        make_resource("Sextortion of teenagers", topics=("sextortion",))
        # Words only hidden records hold: a draft and a members-only record.
        make_resource("Zeugmatic draft findings", status="draft")
        make_resource("Quillwort members briefing", access="members")

    def test_it_corrects_a_misspelt_word(self):
        self.assertEqual("grooming", suggestion("q=groomnig"))

    def test_it_prefers_the_word_more_records_hold(self):
        # "grooming" (2 records) and "groping" (1) are both one edit away.
        self.assertEqual("grooming", suggestion("q=grooping"))

    def test_it_keeps_the_rest_of_the_query_as_typed(self):
        self.assertEqual(
            '"online" Grooming -adult', suggestion('q="online"+Groomimg+-adult')
        )

    def test_it_suggests_nothing_for_words_that_are_found(self):
        self.assertEqual("", suggestion("q=grooming"))
        self.assertEqual("", suggestion("q=sextortion+grooming"))

    def test_it_suggests_nothing_far_from_every_word(self):
        self.assertEqual("", suggestion("q=xylophone"))

    def test_it_never_suggests_a_word_only_a_draft_holds(self):
        self.assertEqual("", suggestion("q=zeugmatik"))
        # Curators see drafts, so for them the word is there to suggest.
        self.assertEqual("zeugmatic", suggestion("q=zeugmatik", self.people["editor"]))

    def test_it_suggests_a_members_word_to_members_only(self):
        self.assertEqual("", suggestion("q=quilwort"))
        self.assertEqual("quillwort", suggestion("q=quilwort", self.people["member"]))

    def test_the_listing_links_to_the_suggestion_with_the_filters_kept(self):
        response = self.client.get(
            "/library/", {"q": "groomnig", "type": "report", "page": "1"}
        )
        self.assertContains(
            response,
            '<p class="notice did-you-mean" role="note">Did you mean <a href="'
            '?q=grooming&amp;type=report" class="did-you-mean__link">'
            "<strong>grooming</strong></a>?</p>",
            html=True,
        )

    def test_the_listing_says_nothing_when_no_correction_exists(self):
        response = self.client.get("/library/", {"q": "zeugmatik"})
        self.assertNotContains(response, "Did you mean")
        self.assertNotContains(response, "zeugmatic")

    def test_it_leaves_alone_a_word_found_in_a_document(self):
        # "grooving" is one edit from "grooming", but a document holds it.
        make_resource("Music and youth work", text="Grooving to music.")
        self.assertEqual("", suggestion("q=grooving"))
        self.assertEqual("grooming", suggestion("q=groovng"))

    def test_it_corrects_a_word_that_found_nothing_among_words_that_did(self):
        self.assertEqual("grooming sextortion", suggestion("q=groomnig+sextortion"))

    def test_it_never_corrects_a_term_of_the_synonym_table(self):
        # No record says "CSEM", yet it is right: it finds "CSAM" records.
        make_resource("Hotline data", summary="Reports of CSAM.")
        self.assertEqual("", suggestion("q=csem"))
