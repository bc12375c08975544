"""Public pages as readers get them: rendered HTML, status codes, basics."""

import datetime
import re

import pytest
from django.template.loader import get_template

from clearinghouse.catalog.models import Document, Person, ResourceAuthor
from clearinghouse.web.templatetags.library import download_label, filesize
from tests.world import make_personas, make_resource

pytestmark = pytest.mark.django_db

# JSON-LD is a data block: never executed, and allowed by a strict CSP.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", re.IGNORECASE
)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def html(response) -> str:
    return response.content.decode()


def test_it_prints_cards_like_the_seed_libraries(client):
    make_resource(
        "Global threat assessment",
        publishers=("WeProtect Global Alliance", "Economist Impact"),
        date=datetime.date(2022, 5, 1),
        date_precision="month",
    )
    page = html(client.get("/library/"))
    assert '<span class="card__type">Report</span>' in page
    assert '<time class="card__date" datetime="2022-05">May 2022</time>' in page
    assert "Publisher: WeProtect Global Alliance, Economist Impact (Report)" in page
    assert "A summary of Global threat assessment." in page
    assert (
        'Read more<span class="visually-hidden"> about Global threat assessment</span>'
        in page
    )


def test_it_shows_dates_at_their_precision(client):
    make_resource("Day", date=datetime.date(2021, 9, 1), date_precision="day")
    make_resource("Year", date=datetime.date(2019, 1, 1), date_precision="year")
    page = html(client.get("/library/"))
    assert '<time class="card__date" datetime="2021-09-01">1 September 2021</time>' in (
        page
    )
    assert '<time class="card__date" datetime="2019">2019</time>' in page


def test_it_counts_results_and_toggles_facets(client):
    make_resource("Trafficking report", types=("report",))
    make_resource("Trafficking briefing", types=("briefing",))
    page = html(client.get("/library/?type=report"))
    assert (
        '<h2 id="results-heading" class="results-bar__count" tabindex="-1">'
        "1 resource</h2>" in page
    )
    # The selected value is marked and its link turns it off; the others add to it.
    assert (
        '<a href="?" class="facet__option is-selected" rel="nofollow">'
        '<span class="facet__box" aria-hidden="true"></span>'
        '<span class="facet__label"><span class="visually-hidden">Remove filter: '
        "</span>Report</span>" in page
    )
    assert re.search(r'href="\?type=report&amp;language=en"', page)


def test_it_shows_active_filter_chips_with_remove_links(client):
    make_resource("Report one", types=("report",))
    page = html(client.get("/library/?q=report&type=report"))
    assert (
        '<a href="?q=report" class="chip" rel="nofollow">'
        '<span class="visually-hidden">Remove filter </span>'
        '<span class="chip__name">Type:</span> Report' in page
    )
    assert '<a href="?q=report" class="chips__clear">Clear all filters</a>' in page
    assert 'value="report" class="search__input"' in page
    assert '<input type="hidden" name="type" value="report">' in page


def test_it_keeps_the_words_and_how_they_match_when_clearing_filters(client):
    make_resource("Report one", types=("report",))
    page = html(client.get("/library/?q=report&type=report&mode=keyword"))
    assert 'href="?q=report&amp;mode=keyword" class="chips__clear"' in page


def test_it_marks_search_matches_in_snippets(client):
    make_resource("Sextortion trends", summary="Financial sextortion of teenagers.")
    make_resource("Sextortion guidance")
    page = html(client.get("/library/?q=sextortion"))
    assert "<mark>" in page
    assert "&lt;mark&gt;" not in page
    assert 'aria-current="true">Relevance</a>' in page


def test_it_pages_results_with_numbers_and_labels(client, settings):
    settings.SEARCH_PAGE_SIZE = 2
    for n in range(5):
        make_resource(f"Report {n}")
    page = html(client.get("/library/?page=2"))
    assert (
        '<a href="?page=2" class="pagination__link is-current" aria-current="page">'
        '<span class="visually-hidden">Page </span>2</a>' in page
    )
    assert 'href="?page=1" class="pagination__prev" rel="prev"' in page
    assert 'href="?page=3" class="pagination__next" rel="next"' in page
    assert "Page 2 of 3" in page


def test_it_suggests_what_to_do_when_nothing_matches(client):
    make_resource("Something else")
    page = html(client.get("/library/?q=zzzqqqxx"))
    assert "No resources match ‘zzzqqqxx’" in page
    assert "check the spelling" in page


def test_it_explains_a_page_past_the_end(client):
    make_resource("Only one")
    response = client.get("/library/?page=999&type=report")
    assert response.status_code == 404
    page = html(response)
    assert "Page 999 is past the end: there is 1 page." in page
    assert '<a href="?type=report" class="button">Go to the first page</a>' in page


def test_it_shows_a_resource_with_download_button_and_citation(client):
    resource = make_resource(
        "Trends in financial sextortion",
        publishers=("Thorn",),
        date=datetime.date(2024, 6, 1),
        date_precision="month",
        topics=("sextortion",),
        regions=("US",),
        url="https://example.org/report",
        doi="https://doi.org/10.1000/xyz",
        content_warning="Describes abuse of children.",
    )
    author = Person.objects.create(name="Ada Analyst", slug="ada-analyst")
    ResourceAuthor.objects.create(resource=resource, person=author)
    Document.objects.create(
        resource=resource,
        file="files/report.pdf",
        media_type="application/pdf",
        size=2_400_000,
        pages=48,
    )
    page = html(client.get(resource.get_absolute_url()))
    assert "<span>Download PDF (2.4 MB, 48 pages)</span>" in page
    assert f'href="/resources/{resource.slug}/documents/' in page
    assert "Trends in financial sextortion – Thorn, June 2024" in page
    main = page[page.index("<main") :]
    assert main.index("Describes abuse of children.") < main.index(
        "A summary of Trends in financial sextortion."
    )
    assert '<a href="/organisations/thorn/">Thorn</a>' in page
    assert '<a href="/library/?author=ada-analyst">Ada Analyst</a>' in page
    assert '<a href="/topics/sextortion/" class="tag-link">Sextortion</a>' in page
    assert 'href="https://example.org/report" rel="noopener noreferrer"' in page
    assert 'href="https://doi.org/10.1000/xyz"' in page
    assert "DOI: 10.1000/xyz" in page
    assert '<a href="/library/?region=united-states">United States</a>' in page


def test_it_offers_sign_in_instead_of_a_restricted_document(client):
    resource = make_resource(
        "Practitioner toolkit", document_access="members", text="x"
    )
    page = html(client.get(resource.get_absolute_url()))
    assert "Download PDF" not in page
    assert "Available to members" in page
    response = client.get(resource.documents.get().get_absolute_url())
    assert response.status_code == 403
    assert "Available to members — sign in or request access" in html(response)


def test_it_shows_curators_a_draft_banner(client):
    personas = make_personas()
    draft = make_resource("Work in progress", status="draft")
    client.force_login(personas["editor"])
    page = html(client.get(draft.get_absolute_url()))
    assert '<strong class="tag tag--draft">Draft</strong>' in page
    assert "This is a preview for curators." in page


def test_it_shows_a_tombstone_for_a_withdrawn_resource(client):
    withdrawn = make_resource(
        "Old guidance",
        status="withdrawn",
        withdrawn_reason="Superseded by the 2024 edition.",
        publishers=("ECPAT International",),
    )
    response = client.get(withdrawn.get_absolute_url())
    assert response.status_code == 410
    page = html(response)
    assert "This resource was withdrawn" in page
    assert "Superseded by the 2024 edition." in page
    assert "Old guidance – ECPAT International, 1 September 2021" in page


def test_it_titles_topic_pages_and_shows_their_place_in_the_tree(client):
    make_resource("Defining terms", topics=("terminology",))
    page = html(client.get("/topics/terminology/"))
    assert "Resources on: Terminology and definitions</h1>" in page
    assert '<a href="/topics/defining-problems/">Defining problems</a>' in page
    assert "Defining terms" in page
    parent = html(client.get("/topics/defining-problems/"))
    assert 'class="subtopics__link">Terminology and definitions</a>' in parent


def test_it_lists_an_organisations_resources(client):
    make_resource("Annual review", publishers=("WeProtect Global Alliance",))
    page = html(client.get("/organisations/weprotect-global-alliance/"))
    assert '<h1 class="heading-xl">WeProtect Global Alliance</h1>' in page
    assert "Annual review" in page
    # The page's own publisher is shown as chosen, not as a link that undoes it.
    assert 'class="facet__option is-selected is-pinned"' in page


def test_it_helps_readers_who_reach_a_missing_page(client):
    response = client.get("/resources/no-such-thing/")
    assert response.status_code == 404
    page = html(response)
    assert "Page not found" in page
    assert '<code class="path">/resources/no-such-thing/</code>' in page
    assert 'action="/library/"' in page
    assert '<a href="/library/">' in page


def test_the_error_page_renders_without_context():
    page = get_template("web/500.html").render()
    assert "Sorry, there is a problem with the service" in page
    assert "/static/web/site.css" in page


def test_home_shows_featured_latest_and_ways_to_browse(client):
    make_resource("Featured report", featured=True, regions=("GB",))
    page = html(client.get("/"))
    assert "An open research library of 1 resource" in page
    assert 'id="featured-heading"' in page
    assert "Featured report" in page
    assert "Latest additions" in page
    assert 'href="/topics/defining-problems/"' in page
    assert '<a href="/library/?type=report">Report</a>' in page


def test_every_page_is_free_of_inline_code_and_has_one_heading(client):
    personas = make_personas()
    resource = make_resource(
        "Members toolkit",
        topics=("terminology",),
        publishers=("ECPAT International",),
        document_access="members",
        text="grooming",
    )
    withdrawn = make_resource("Gone", status="withdrawn")
    urls = [
        "/",
        "/library/",
        "/library/?q=grooming&type=report",
        "/library/?q=nothing-matches-this",
        "/library/?page=999",
        resource.get_absolute_url(),
        resource.documents.get().get_absolute_url(),
        withdrawn.get_absolute_url(),
        "/topics/defining-problems/",
        "/organisations/ecpat-international/",
        "/resources/missing/",
    ]
    client.force_login(personas["member"])
    pages = {url: html(client.get(url)) for url in urls}
    client.logout()
    pages.update({f"anonymous {url}": html(client.get(url)) for url in urls})
    for url, page in pages.items():
        assert not INLINE_SCRIPT.search(page), url
        assert not STYLE_ATTRIBUTE.search(page), url
        assert page.count("<h1") == 1, url
        assert '<html lang="en">' in page, url
        assert '<main id="main"' in page, url


def test_home_counts_a_topic_with_everything_beneath_it(client):
    make_resource("Defining terms", topics=("terminology",))
    make_resource("Unrelated")
    page = html(client.get("/"))
    assert (
        '<a href="/topics/defining-problems/" class="topic-grid__link">'
        "Defining problems</a>\n      "
        '<span class="topic-grid__count">1 resource</span>' in page
    )


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (1, "1 byte"),
        (640, "640 bytes"),
        (12_300, "12 KB"),
        (2_400_000, "2.4 MB"),
        (2_000_000, "2 MB"),
        (48_600_000, "49 MB"),
        (1_260_000_000, "1.3 GB"),
    ],
)
def test_it_shows_file_sizes_for_readers(size, shown):
    assert filesize(size) == shown


def test_it_labels_downloads_with_what_is_known():
    assert download_label(Document(media_type="application/pdf")) == "Download PDF"
    assert (
        download_label(Document(media_type="application/epub+zip", pages=1))
        == "Download EPUB (1 page)"
    )


@pytest.mark.parametrize("path", ["/", "/library/", "/topics/"])
def test_it_marks_the_demo_as_sample_data_on_every_page(client, settings, path):
    resource = make_resource("Sample record")
    settings.DEMO = True
    for url in (path, resource.get_absolute_url()):
        assert "This library holds sample data" in client.get(url).content.decode()
    settings.DEMO = False
    assert "This library holds sample data" not in client.get(path).content.decode()


def test_it_lists_the_topic_tree_with_counts(client):
    make_resource("Grooming study", topics=("grooming",))
    page = client.get("/topics/").content.decode()
    assert (
        'Forms of exploitation and abuse</a> <span class="topic-tree__count">1 resource'
        in page
    )
    assert 'Grooming</a> <span class="topic-tree__count">1</span>' in page


def test_members_sign_in_on_the_public_sign_in_page(client):
    make_personas()
    response = client.post(
        "/accounts/login/",
        {"username": "member", "password": "member-pass-1234", "next": "/library/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/library/")
    client.logout()
    wrong = client.post("/accounts/login/", {"username": "member", "password": "x"})
    assert "did not match an active account" in wrong.content.decode()
