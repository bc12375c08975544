"""Citations in APA 7, Chicago author-date, Harvard (Cite Them Right) and MLA,
checked against references written by hand from the style guides; and the
Cite panel that shows them on every record's page."""

import datetime

import pytest
from django.core.cache import cache

from clearinghouse.catalog.models import Person, ResourceAuthor
from clearinghouse.formats import citations as citing
from clearinghouse.formats.citations import citations
from clearinghouse.formats.native import record_from_resource
from tests.world import make_resource

pytestmark = pytest.mark.django_db

FRAMING = "Framing child sexual abuse and exploitation online as trafficking"
URL = "https://example.org/framing"


def cited(resource) -> dict[str, str]:
    return {c.style.key: c.text for c in citations(record_from_resource(resource))}


def briefing(publishers: tuple = ("WeProtect Global Alliance",)):
    return make_resource(
        FRAMING,
        types=("briefing",),
        publishers=publishers,
        date=datetime.date(2021, 9, 1),
        url=URL,
    )


def with_authors(resource, *names: str):
    for position, name in enumerate(names):
        person = Person.objects.create(name=name, slug=f"p{position}-{resource.pk}")
        ResourceAuthor.objects.create(
            resource=resource, person=person, position=position
        )
    return resource


def test_it_cites_an_organisation_as_author_with_the_full_date():
    assert cited(briefing()) == {
        "apa": "WeProtect Global Alliance. (2021, September 1). "
        f"{FRAMING} [Briefing]. {URL}",
        "chicago": "WeProtect Global Alliance. 2021. Framing Child Sexual Abuse and "
        "Exploitation Online as Trafficking. Briefing. WeProtect Global Alliance. "
        f"{URL}.",
        "harvard": f"WeProtect Global Alliance (2021) {FRAMING}. Briefing. "
        f"WeProtect Global Alliance. Available at: {URL}.",
        "mla": "Framing Child Sexual Abuse and Exploitation Online as Trafficking. "
        f"Briefing. WeProtect Global Alliance, 1 Sept. 2021, {URL}.",
    }


@pytest.mark.parametrize(
    ("date", "precision", "apa", "mla"),
    [
        (datetime.date(2022, 5, 1), "month", "(2022, May).", "May 2022"),
        (datetime.date(2019, 1, 1), "year", "(2019).", "2019"),
        (None, "day", "(n.d.).", ""),
    ],
)
def test_it_cites_partial_and_missing_dates_at_their_precision(
    date, precision, apa, mla
):
    resource = make_resource(
        "Online grooming",
        types=("report",),
        publishers=("ECPAT International",),
        date=date,
        date_precision=precision,
        url=URL,
    )
    texts = cited(resource)
    assert texts["apa"] == f"ECPAT International. {apa} Online grooming. {URL}"
    assert texts["mla"] == (
        f"Online Grooming. ECPAT International, {mla + ', ' if mla else ''}{URL}."
    )
    year = f"{date.year}." if date else "n.d."
    assert texts["chicago"].startswith(f"ECPAT International. {year} Online Grooming.")
    harvard_year = str(date.year) if date else "no date"
    assert texts["harvard"].startswith(f"ECPAT International ({harvard_year}) ")


def test_it_cites_people_with_a_doi_rather_than_the_url():
    resource = with_authors(
        make_resource(
            "Sextortion of teenagers",
            subtitle="What changed?",
            types=("research-article",),
            publishers=("Thorn",),
            date=datetime.date(2023, 3, 14),
            doi="https://doi.org/10.1234/sx.2023",
            url=URL,
        ),
        "Ada Analyst",
        "Anna van der Berg",
    )
    doi = "https://doi.org/10.1234/sx.2023"
    assert cited(resource) == {
        "apa": "Analyst, A., & van der Berg, A. (2023, March 14). Sextortion of "
        f"teenagers: What changed? Thorn. {doi}",
        "chicago": "Analyst, Ada, and Anna van der Berg. 2023. Sextortion of "
        f"Teenagers: What Changed? Thorn. {doi}.",
        "harvard": "Analyst, A. and van der Berg, A. (2023) Sextortion of "
        f"teenagers: What changed? Thorn. Available at: {doi}.",
        "mla": "Analyst, Ada, and Anna van der Berg. Sextortion of Teenagers: What "
        f"Changed? Thorn, 14 Mar. 2023, {doi}.",
    }


def test_it_cites_a_work_with_neither_author_nor_publisher_by_its_title_once():
    resource = briefing(publishers=())
    assert cited(resource) == {
        "apa": f"{FRAMING} [Briefing]. (2021, September 1). {URL}",
        "chicago": "Framing Child Sexual Abuse and Exploitation Online as "
        f"Trafficking. 2021. Briefing. {URL}.",
        "harvard": f"{FRAMING} (2021) Briefing. Available at: {URL}.",
        "mla": "Framing Child Sexual Abuse and Exploitation Online as Trafficking. "
        f"Briefing. 1 Sept. 2021, {URL}.",
    }


def test_it_italicises_titles_and_escapes_everything_else():
    resource = briefing()
    resource.title = "Harms <script>alert(1)</script> & help"
    resource.save()
    apa = citations(record_from_resource(resource))[0]
    assert apa.html == (
        "WeProtect Global Alliance. (2021, September 1). <i>Harms "
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; help</i> [Briefing]. "
        f"{URL}"
    )


def test_it_renders_a_record_once_and_again_only_when_it_changes(monkeypatch):
    resource = briefing()
    cache.clear()
    first = cited(resource)

    def refuse(item, style):
        raise AssertionError("rendered again")

    monkeypatch.setattr(citing, "render", refuse)
    assert cited(resource) == first
    resource.title = "A new title"
    resource.save()
    assert cited(resource) == {}  # every style failed, and the page still works


def test_the_page_shows_a_cite_panel_that_works_without_javascript(client):
    resource = briefing()
    page = client.get(resource.get_absolute_url()).content.decode()
    panel = page[page.index('<section class="cite"') :]
    panel = panel[: panel.index("</section>")]
    assert panel.count("<details") == 4
    assert '<details class="cite__style" open>' in panel
    for label in (
        "APA (7th edition)",
        "Chicago (18th edition, author-date)",
        "Harvard (Cite Them Right, 12th edition)",
        "MLA (9th edition)",
    ):
        assert f'<summary class="cite__summary">{label}</summary>' in panel
    assert (
        "WeProtect Global Alliance. (2021, September 1). <i>Framing child sexual "
        "abuse and exploitation online as trafficking</i> [Briefing]." in panel
    )
    slug = resource.slug
    for extension in ("bib", "ris", "json"):
        assert f'href="/resources/{slug}/cite.{extension}"' in panel
    assert "<script" not in panel and "style=" not in panel
