"""Atom and RSS feeds as a feed reader gets them: parsed with feedparser (and
lxml where the exact XML matters), for the whole library, a topic, an
organisation and any search, only ever with what an anonymous reader may see."""

import datetime
import time

import feedparser
import lxml.etree
import lxml.html
import pytest
from django.utils import timezone

from clearinghouse.catalog.models import Document, Person, ResourceAuthor
from clearinghouse.web.feeds import FEED_SIZE
from tests.world import make_personas, make_resource

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
FORMATS = ["atom", "rss"]
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = timezone.now().replace(microsecond=0)
HOSTILE = '</script><script>alert(1)</script> &"<> \x0bbell'


def added(days_ago: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days_ago)


def read(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def when(struct: time.struct_time) -> datetime.datetime:
    return datetime.datetime(*struct[:6], tzinfo=datetime.UTC)


def add_pdf(resource, **overrides) -> Document:
    fields = {
        "resource": resource,
        "file": "files/report.pdf",
        "original_name": "report.pdf",
        "media_type": "application/pdf",
        "size": 123_456,
        **overrides,
    }
    return Document.objects.create(**fields)


def restricted_world() -> dict:
    """One record an anonymous reader sees and, around it, every kind of
    record they must not: all in topic "sextortion", from "ECPAT", with the
    word "kestrel", so that each feed would show a leak."""
    shared = {"topics": ("sextortion",), "publishers": ("ECPAT",)}
    today = timezone.localdate()
    make_resource("Public kestrel", created_at=added(9), **shared)
    hidden = {
        "Draft kestrel": {"status": "draft"},
        "In review kestrel": {"status": "review"},
        "Withdrawn kestrel": {"status": "withdrawn"},
        "Members kestrel": {"access": "members"},
        "Group kestrel": {"access": "groups", "groups": ("Law enforcement",)},
        "Embargoed kestrel": {"embargo_until": today + datetime.timedelta(days=9)},
    }
    for days, (title, fields) in enumerate(hidden.items()):
        make_resource(title, created_at=added(days), **shared, **fields)
    return hidden


@pytest.mark.parametrize("kind", FORMATS)
def test_it_lists_the_latest_additions_newest_first(client, kind):
    make_resource("Added last week", created_at=added(7))
    make_resource("Added today", created_at=added(0), date=datetime.date(2015, 1, 1))
    make_resource("Added yesterday", created_at=added(1))
    feed = read(client, f"/feeds/latest.{kind}")
    assert titles(feed) == ["Added today", "Added yesterday", "Added last week"]
    published = [when(entry.published_parsed) for entry in feed.entries]
    assert published == [added(0), added(1), added(7)]
    assert feed.feed.title == "Clearinghouse: latest additions"
    assert feed.feed.link == f"{BASE}/"


@pytest.mark.parametrize("kind", FORMATS)
def test_it_describes_each_entry(client, kind):
    report = make_resource(
        "Global threat assessment",
        topics=("sextortion", "encryption"),
        publishers=("WeProtect Global Alliance", "Economist Impact"),
        summary="How offenders reach children.\n\nAnd what stops them.",
        date=datetime.date(2022, 5, 1),
        date_precision="month",
        created_at=added(3),
    )
    briefing = make_resource("Briefing by people", types=("briefing",))
    for position, name in enumerate(("Jane Doe", "Amir Khan")):
        person = Person.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        ResourceAuthor.objects.create(
            resource=briefing, person=person, position=position
        )
    document = add_pdf(report)
    entries = {e.title: e for e in read(client, f"/feeds/latest.{kind}").entries}

    entry = entries["Global threat assessment"]
    assert entry.link == f"{BASE}/resources/{report.slug}/"
    assert entry.id == f"urn:uuid:{report.uid}"
    assert [a.name for a in entry.authors] == [
        "WeProtect Global Alliance",
        "Economist Impact",
    ]
    assert sorted(tag.term for tag in entry.tags) == sorted(
        topic.name for topic in report.topics.all()
    )
    assert entry.summary == (
        "<p>Report · May 2022 · WeProtect Global Alliance, Economist Impact</p>"
        "<p>How offenders reach children.</p>\n\n<p>And what stops them.</p>"
    )
    [enclosure] = entry.enclosures
    assert enclosure.href == f"{BASE}/resources/{report.slug}/documents/{document.pk}/"
    assert (enclosure.length, enclosure.type) == ("123456", "application/pdf")
    assert when(entry.published_parsed) == added(3)
    if kind == "atom":  # RSS has no date of change
        assert when(entry.updated_parsed) == report.updated_at.replace(microsecond=0)

    people = entries["Briefing by people"]
    assert [a.name for a in people.authors] == ["Jane Doe", "Amir Khan"]
    assert people.enclosures == []


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    "url",
    [
        "/feeds/latest.{kind}",
        "/feeds/topics/sextortion.{kind}",
        "/feeds/organisations/ecpat.{kind}",
        "/feeds/search.{kind}?q=kestrel",
        "/feeds/search.{kind}?topic=sextortion&publisher=ecpat",
    ],
)
def test_it_keeps_unseen_records_out_of_every_feed(client, kind, url):
    personas = make_personas()
    restricted_world()
    assert titles(read(client, url.format(kind=kind))) == ["Public kestrel"]
    # A curator's feed address is no way in: feeds are built for anyone.
    client.force_login(personas["editor"])
    assert titles(read(client, url.format(kind=kind))) == ["Public kestrel"]


@pytest.mark.parametrize("document_access", ["members", "groups"])
def test_it_encloses_only_documents_anyone_may_download(client, document_access):
    report = make_resource(
        "Public record, restricted file",
        document_access=document_access,
        groups=("Law enforcement",),
    )
    add_pdf(report)
    for kind in FORMATS:
        [entry] = read(client, f"/feeds/latest.{kind}").entries
        assert entry.enclosures == []
        assert "/documents/" not in entry.summary


@pytest.mark.parametrize("kind", FORMATS)
def test_it_follows_a_topic_and_the_topics_within_it(client, kind):
    make_resource("On prevention", topics=("prevention",), created_at=added(3))
    make_resource("On safeguarding", topics=("safeguarding",), created_at=added(1))
    make_resource("On encryption", topics=("encryption",), created_at=added(0))
    feed = read(client, f"/feeds/topics/prevention.{kind}")
    assert titles(feed) == ["On safeguarding", "On prevention"]
    assert feed.feed.title == "Clearinghouse: Prevention"
    assert feed.feed.link == f"{BASE}/topics/prevention/"


@pytest.mark.parametrize("kind", FORMATS)
def test_it_follows_an_organisation(client, kind):
    make_resource("By ECPAT", publishers=("ECPAT",), created_at=added(2))
    make_resource("By both", publishers=("UNICEF", "ECPAT"), created_at=added(1))
    make_resource("By UNICEF", publishers=("UNICEF",), created_at=added(0))
    feed = read(client, f"/feeds/organisations/ecpat.{kind}")
    assert titles(feed) == ["By both", "By ECPAT"]
    assert feed.feed.link == f"{BASE}/organisations/ecpat/"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/topics/no-such-topic.atom",
        "/feeds/topics/no-such-topic.rss",
        "/feeds/organisations/nobody.atom",
        "/feeds/organisations/nobody.rss",
        "/feeds/latest.json",
    ],
)
def test_it_answers_404_for_what_does_not_exist(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", FORMATS)
def test_it_follows_a_search_with_its_words_and_filters(client, kind):
    make_resource("Kestrel report", topics=("sextortion",), created_at=added(5))
    make_resource("Kestrel and falcon", topics=("sextortion",), created_at=added(1))
    make_resource("Kestrel elsewhere", topics=("encryption",), created_at=added(0))
    make_resource("Falcon only", topics=("sextortion",), created_at=added(0))
    feed = read(client, f"/feeds/search.{kind}?q=kestrel&topic=sextortion&page=9")
    assert titles(feed) == ["Kestrel and falcon", "Kestrel report"]
    assert feed.feed.link == f"{BASE}/library/?q=kestrel&topic=sextortion"
    assert feed.feed.title == "Clearinghouse: ‘kestrel’, topic: Sextortion"
    everything = read(client, f"/feeds/search.{kind}?q=kestrel")
    assert titles(everything) == [
        "Kestrel elsewhere",
        "Kestrel and falcon",
        "Kestrel report",
    ]


def test_it_gives_the_search_feed_what_the_listing_finds(client):
    for n in range(4):
        make_resource(f"Trafficking study {n}", created_at=added(n))
    make_resource("Unrelated", created_at=added(0))
    listing = lxml.html.fromstring(client.get("/library/?q=trafficking").content)
    cards = listing.xpath('//*[contains(@class, "card__title")]//a')
    listed = {a.text_content().strip() for a in cards}
    feed = read(client, "/feeds/search.atom?q=trafficking")
    assert set(titles(feed)) == listed
    assert titles(feed) == [f"Trafficking study {n}" for n in range(4)]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("topic=no-such-topic", "topic 'no-such-topic'"),
        ("q=abuse&publisher=nobody", "publisher 'nobody'"),
        ("year=20x1", "year '20x1'"),
    ],
)
def test_it_refuses_a_search_feed_with_unknown_filters(client, query, named):
    for kind in FORMATS:
        response = client.get(f"/feeds/search.{kind}?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert named in response.content.decode()


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "a" * 5000, "\x0b\x00control", "NOT", "*", "(((", "title:x OR"],
)
def test_it_answers_any_search_words_with_a_feed(client, q):
    make_resource("A record")
    for kind in FORMATS:
        read(client, f"/feeds/search.{kind}", data={"q": q})


@pytest.mark.parametrize("kind", FORMATS)
def test_it_keeps_hostile_titles_inert(client, kind):
    make_resource(HOSTILE, summary=HOSTILE, publishers=(HOSTILE,))
    response = client.get(f"/feeds/latest.{kind}")
    tree = lxml.etree.fromstring(response.content)
    clean = HOSTILE.replace("\x0b", "")
    if kind == "atom":
        entry = tree.find(f"{ATOM}entry")
        title = entry.findtext(f"{ATOM}title")
        summary = entry.findtext(f"{ATOM}summary")
        author = entry.find(f"{ATOM}author").findtext(f"{ATOM}name")
    else:
        entry = tree.find("channel/item")
        title, summary = entry.findtext("title"), entry.findtext("description")
        author = entry.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert (title, author) == (clean, clean)
    # The summary is HTML, in which the title is text, never markup.
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in summary
    assert "<script" not in summary
    assert read(client, f"/feeds/latest.{kind}").entries[0].title == clean


def test_it_caps_a_feed(client):
    for n in range(FEED_SIZE + 3):
        make_resource(f"Record {n}", created_at=added(n))
    feed = read(client, "/feeds/latest.atom")
    assert titles(feed) == [f"Record {n}" for n in range(FEED_SIZE)]


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/", ["/feeds/latest.atom", "/feeds/latest.rss"]),
        ("/library/", ["/feeds/latest.atom", "/feeds/latest.rss"]),
        (
            "/library/?q=child+abuse&type=report&sort=title&page=1",
            [
                "/feeds/search.atom?q=child+abuse&type=report",
                "/feeds/search.rss?q=child+abuse&type=report",
            ],
        ),
        (
            "/topics/sextortion/",
            ["/feeds/topics/sextortion.atom", "/feeds/topics/sextortion.rss"],
        ),
        (
            "/organisations/ecpat/",
            ["/feeds/organisations/ecpat.atom", "/feeds/organisations/ecpat.rss"],
        ),
    ],
)
def test_it_points_pages_to_their_feeds(client, page, feeds):
    make_resource("Child abuse report", topics=("sextortion",), publishers=("ECPAT",))
    head = lxml.html.fromstring(client.get(page).content).find("head")
    links = head.xpath('link[@rel="alternate"]')
    assert [link.get("href") for link in links] == feeds
    assert [link.get("type") for link in links] == [
        "application/atom+xml",
        "application/rss+xml",
    ]
    for href in feeds:
        assert titles(read(client, href)) == ["Child abuse report"]
