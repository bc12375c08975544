"""The sitemap and robots.txt as crawlers read them: XML parsed with lxml,
robots.txt with Protego (as Google reads it); only what an anonymous reader
may see is listed."""

import datetime

import lxml.etree
import pytest
from django.utils import timezone
from protego import Protego

from clearinghouse.catalog.models import Resource
from tests.world import make_personas, make_resource

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def read_xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return lxml.etree.fromstring(response.content)


def locations(tree) -> list[str]:
    return tree.xpath("//sm:loc/text()", namespaces=NS)


def restricted_world() -> None:
    """A public record, and every kind a crawler must not be told of, each in
    a topic and from a publisher of its own."""
    today = timezone.localdate()
    make_resource("Seen", slug="seen", topics=("sextortion",), publishers=("Seen org",))
    hidden = [
        {"status": "draft"},
        {"status": "review"},
        {"status": "withdrawn"},
        {"access": "members"},
        {"access": "groups", "groups": ("Law enforcement",)},
        {"embargo_until": today + datetime.timedelta(days=5)},
    ]
    topics = [
        "encryption",
        "gender",
        "covid-19",
        "homelessness",
        "dark-web",
        "terminology",
    ]
    for n, (fields, topic) in enumerate(zip(hidden, topics, strict=True)):
        make_resource(
            f"Hidden {n}",
            slug=f"hidden-{n}",
            topics=(topic,),
            publishers=(f"Hidden org {n}",),
            **fields,
        )


def test_it_lists_every_page_an_anonymous_reader_may_see(client):
    restricted_world()
    tree = read_xml(client, "/sitemap.xml")
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    # The topic and its parents: each topic page lists what is beneath it.
    sextortion_tree = [
        "/topics/csea/",
        "/topics/forms-of-abuse/",
        "/topics/sextortion/",
    ]
    assert locations(tree) == [
        f"{BASE}/",
        f"{BASE}/library/",
        f"{BASE}/topics/",
        f"{BASE}/privacy/",
        *[BASE + path for path in sextortion_tree],
        f"{BASE}/organisations/seen-org/",
        f"{BASE}/resources/seen/",
    ]


def test_it_dates_each_record_by_its_last_change(client):
    record = make_resource("Dated", slug="dated")
    Resource.objects.filter(pk=record.pk).update(
        updated_at=datetime.datetime(2024, 3, 5, 10, 0, tzinfo=datetime.UTC)
    )
    tree = read_xml(client, "/sitemap.xml")
    [url] = tree.xpath(
        "//sm:url[sm:loc = $loc]", namespaces=NS, loc=f"{BASE}/resources/dated/"
    )
    assert url.findtext("sm:lastmod", namespaces=NS) == "2024-03-05"


def test_it_lists_the_same_for_a_curator(client):
    personas = make_personas()
    restricted_world()
    anonymous = locations(read_xml(client, "/sitemap.xml"))
    client.force_login(personas["editor"])
    assert locations(read_xml(client, "/sitemap.xml")) == anonymous


def test_it_becomes_an_index_past_the_limit_per_file(client, settings):
    settings.SITEMAP_URLS_PER_FILE = 4
    for n in range(5):
        make_resource(f"Record {n}", slug=f"record-{n}")
    index = read_xml(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    files = locations(index)
    assert files == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-topics.xml",
        f"{BASE}/sitemap-organisations.xml",
        f"{BASE}/sitemap-resources.xml",
        f"{BASE}/sitemap-resources.xml?p=2",
    ]
    records = []
    for url in files:
        records += locations(read_xml(client, url.removeprefix(BASE)))
    assert [u for u in records if "/resources/" in u] == [
        f"{BASE}/resources/record-{n}/" for n in range(5)
    ]


@pytest.mark.parametrize(
    "url", ["/sitemap-nothing.xml", "/sitemap-resources.xml?p=9", "/sitemap.xml?p=x"]
)
def test_it_answers_404_for_a_sitemap_that_does_not_exist(client, url):
    make_resource("One")
    assert client.get(url).status_code == 404


def robots(client) -> Protego:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return Protego.parse(response.content.decode())


def test_it_points_crawlers_at_the_sitemap(client):
    assert list(robots(client).sitemaps) == [f"{BASE}/sitemap.xml"]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", True),
        ("/library/", True),
        ("/topics/", True),
        ("/topics/sextortion/", True),
        ("/organisations/ecpat/", True),
        ("/resources/global-threat-assessment/", True),
        ("/resources/global-threat-assessment/documents/3/", True),
        ("/resources/global-threat-assessment/documents/3/thumbnail?v=1", True),
        ("/feeds/latest.atom", True),
        ("/sitemap.xml", True),
        ("/admin/", False),
        ("/admin/catalog/resource/", False),
        ("/accounts/login/", False),
        ("/api/search?q=abuse", False),
        ("/library/?q=abuse", False),
        ("/library/?type=report&page=2", False),
        ("/library/export.bib?q=abuse", False),
        ("/topics/sextortion/?type=report", False),
        ("/organisations/ecpat/?page=2", False),
        ("/resources/global-threat-assessment/cite.ris", False),
        ("/feeds/search.atom?q=abuse", False),
    ],
)
def test_it_keeps_crawlers_off_what_wastes_their_time(client, path, allowed):
    # Protego reads robots.txt as Google does (RFC 9309, with wildcards).
    assert robots(client).can_fetch(f"{BASE}{path}", "AnyBot") is allowed
