"""The OAI-PMH provider at /oai, harvested as harvesters do.

Every response these tests read is validated against the published OAI-PMH,
oai_dc and oai-identifier schemas (local copies in tests/fixtures/oai/, no
network) and the native format's own schema. Harvests run through sickle, a
stock OAI-PMH client, over real HTTP to a live server.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xmlschema
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator

from clearinghouse.catalog.models import Person, Resource, ResourceAuthor
from clearinghouse.web.oai.native_xml import SCHEMA_FILE
from tests.world import make_resource

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "oai"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ch": "urn:clearinghouse:record:1",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
UTC = datetime.UTC


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema10:
    sources = ["OAI-PMH.xsd", "oai_dc.xsd", "oai-identifier.xsd"]
    # allow="local": building the schema must never reach for the network.
    return xmlschema.XMLSchema10(
        [str(FIXTURES / name) for name in sources] + [str(SCHEMA_FILE)],
        allow="local",
    )


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_library() -> dict[str, Resource]:
    """Five items a harvester may see (one a tombstone) and six it may not."""
    terminology = make_resource(
        "Terminology guidelines",
        subtitle="for the protection of children",
        types=("guidance",),
        topics=("terminology",),
        publishers=("ECPAT International",),
        regions=("001",),
        languages=("en", "fr"),
        keywords=["terminology"],
        abstract="Agreed terms for the sector.",
        content_warning="Describes abuse in general terms.",
        doi="doi:10.1234/lux",
        isbn="978-92-9120-123-4",
        licence="CC BY 4.0",
        url="https://example.org/guidelines",
        text="Guidelines text.",
    )
    for position, name in enumerate(["Susanna Greijer", "Jaap Doek"]):
        person = Person.objects.create(name=name, slug=f"person-{position}")
        ResourceAuthor.objects.create(
            resource=terminology, person=person, position=position
        )
    library = {
        "terminology": terminology,
        "estimates": make_resource(
            "Global estimates of modern slavery",
            types=("report",),
            topics=("modern-slavery-estimates",),
            publishers=("International Labour Organization", "Walk Free"),
            regions=("PH", "TH"),
        ),
        "toolkit": make_resource(
            "School prevention toolkit", types=("toolkit",), topics=("prevention",)
        ),
        "dataset": make_resource("Hotline statistics", types=("dataset",)),
        "withdrawn": make_resource(
            "Withdrawn briefing",
            types=("briefing",),
            topics=("prevention",),
            status="withdrawn",
        ),
    }
    stamps = ["2024-01-10T09:00:00", "2024-02-10T09:00:00", "2024-03-10T09:00:00.5"]
    stamps += ["2024-04-10T09:00:00", "2024-05-10T09:00:00"]
    for resource, stamp in zip(library.values(), stamps, strict=True):
        Resource.objects.filter(pk=resource.pk).update(updated_at=at(stamp))
    future = timezone.localdate() + datetime.timedelta(days=30)
    hidden = {
        "draft": {"status": "draft"},
        "review": {"status": "review"},
        "members": {"access": "members"},
        "group": {"access": "groups", "groups": ("Law enforcement",)},
        "embargoed": {"embargo_until": future},
        "withdrawn-members": {"status": "withdrawn", "access": "members"},
    }
    for name, overrides in hidden.items():
        library[name] = make_resource(
            f"Hidden {name}", topics=("prevention",), **overrides
        )
    return library


@pytest.fixture
def library(db) -> dict[str, Resource]:
    return make_library()


def oai_id(resource: Resource, host: str = "testserver") -> str:
    return f"oai:{host}:{resource.uid}"


def harvest(client, schema, method: str = "get", **arguments) -> etree._Element:
    """One request to /oai, its response checked against the schemas."""
    response = getattr(client, method)("/oai", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    schema.validate(response.content, use_location_hints=False)
    return etree.fromstring(response.content)


def error_codes(root: etree._Element) -> list[str]:
    return [error.get("code") for error in root.findall("oai:error", NS)]


def listed(root: etree._Element) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


def token_of(root: etree._Element) -> etree._Element:
    return root.find(".//oai:resumptionToken", NS)


# --- Identify, formats, sets -------------------------------------------------


def test_it_identifies_the_repository(client, schema, library):
    root = harvest(client, schema, verb="Identify")
    identify = root.find("oai:Identify", NS)
    fields = {etree.QName(e).localname: e.text for e in identify}
    assert fields == {
        "repositoryName": "Clearinghouse",
        "baseURL": "http://testserver/oai",
        "protocolVersion": "2.0",
        "adminEmail": "webmaster@example.org",
        "earliestDatestamp": "2024-01-10T09:00:00Z",
        "deletedRecord": "persistent",
        "granularity": "YYYY-MM-DDThh:mm:ssZ",
    }
    assert root.find("oai:request", NS).attrib == {"verb": "Identify"}


def test_it_describes_identifiers_under_a_configured_name(
    client, schema, library, settings
):
    settings.OAI_REPOSITORY_IDENTIFIER = "library.example.org"
    settings.OAI_ADMIN_EMAIL = "oai@library.example.org"
    root = harvest(client, schema, verb="Identify")
    assert (
        root.findtext(".//oai:adminEmail", namespaces=NS) == "oai@library.example.org"
    )
    described = root.find(".//id:oai-identifier", NS)
    assert described.findtext("id:repositoryIdentifier", namespaces=NS) == (
        "library.example.org"
    )
    identifier = oai_id(library["toolkit"], "library.example.org")
    root = harvest(
        client, schema, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc"
    )
    assert listed(root) == [identifier]


def test_it_lists_its_metadata_formats(client, schema, library):
    for arguments in ({}, {"identifier": oai_id(library["toolkit"])}):
        root = harvest(client, schema, verb="ListMetadataFormats", **arguments)
        formats = [
            [e.text for e in described]
            for described in root.iterfind(".//oai:metadataFormat", NS)
        ]
        assert formats == [
            [
                "oai_dc",
                "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                "http://www.openarchives.org/OAI/2.0/oai_dc/",
            ],
            [
                "clearinghouse",
                "http://testserver/oai/clearinghouse.xsd",
                "urn:clearinghouse:record:1",
            ],
        ]


def test_it_serves_the_native_formats_schema(client):
    response = client.get("/oai/clearinghouse.xsd")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCHEMA_FILE.read_bytes()


def test_it_lists_topic_sets_as_a_hierarchy_and_type_sets(client, schema, library):
    root = harvest(client, schema, verb="ListSets")
    specs = [e.text for e in root.iterfind(".//oai:setSpec", NS)]
    # Depth first, in the taxonomy's own order.
    assert specs[:7] == [
        "topic",
        "topic:defining-problems",
        "topic:defining-problems:terminology",
        "topic:defining-problems:prevalence-threat-assessment",
        "topic:defining-problems:prevalence-threat-assessment:modern-slavery-estimates",
        "topic:defining-problems:risk-vulnerability",
        "topic:prevention",
    ]
    assert specs[-14:-11] == ["type", "type:report", "type:briefing"]
    description = root.find(".//oai:set/oai:setDescription/oai_dc:dc", NS)
    assert description.findtext("dc:description", namespaces=NS)


def test_it_pages_the_list_of_sets(client, schema, library, settings):
    settings.OAI_PAGE_SIZE = 40
    root = harvest(client, schema, verb="ListSets")
    specs = [e.text for e in root.iterfind(".//oai:setSpec", NS)]
    while token_of(root).text:
        root = harvest(
            client, schema, verb="ListSets", resumptionToken=token_of(root).text
        )
        specs += [e.text for e in root.iterfind(".//oai:setSpec", NS)]
    assert token_of(root).attrib["completeListSize"] == str(len(specs))
    assert len(specs) == len(set(specs)) > 80


# --- Records and visibility ----------------------------------------------------


def test_it_lists_only_what_an_anonymous_reader_may_see(client, schema, library):
    root = harvest(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    expected = ["terminology", "estimates", "toolkit", "dataset", "withdrawn"]
    assert listed(root) == [oai_id(library[name]) for name in expected]
    deleted = [
        h.findtext("oai:identifier", namespaces=NS)
        for h in root.iterfind(".//oai:header[@status='deleted']", NS)
    ]
    assert deleted == [oai_id(library["withdrawn"])]


@pytest.mark.parametrize(
    "name", ["draft", "review", "members", "group", "embargoed", "withdrawn-members"]
)
def test_it_never_discloses_a_hidden_record(client, schema, library, settings, name):
    settings.OAI_PAGE_SIZE = 2
    identifier = oai_id(library[name])
    root = harvest(
        client, schema, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc"
    )
    assert error_codes(root) == ["idDoesNotExist"]
    root = harvest(client, schema, verb="ListMetadataFormats", identifier=identifier)
    assert error_codes(root) == ["idDoesNotExist"]
    root = harvest(
        client, schema, verb="ListRecords", metadataPrefix="oai_dc", set="topic"
    )
    # Not even counted: "topic" holds four visible items (three with topics,
    # one tombstone), whatever hidden records share their topics.
    assert token_of(root).get("completeListSize") == "4"
    assert identifier not in listed(root)


def test_it_gives_a_withdrawn_record_a_deleted_header_and_no_metadata(
    client, schema, library
):
    identifier = oai_id(library["withdrawn"])
    root = harvest(
        client, schema, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc"
    )
    header = root.find(".//oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == "2024-05-10T09:00:00Z"
    assert [e.text for e in header.iterfind("oai:setSpec", NS)] == [
        "topic:prevention",
        "type:briefing",
    ]
    assert root.find(".//oai:metadata", NS) is None


def dublin_core(root: etree._Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in root.find(".//oai_dc:dc", NS):
        found.setdefault(etree.QName(element).localname, []).append(element.text)
    return found


def test_it_describes_a_record_in_dublin_core(client, schema, library):
    resource = library["terminology"]
    root = harvest(
        client,
        schema,
        verb="GetRecord",
        identifier=oai_id(resource),
        metadataPrefix="oai_dc",
    )
    assert dublin_core(root) == {
        "title": ["Terminology guidelines: for the protection of children"],
        "creator": ["Susanna Greijer", "Jaap Doek"],
        "subject": ["Terminology and definitions", "terminology"],
        "description": [
            "A summary of Terminology guidelines.",
            "Agreed terms for the sector.",
            "Content warning: Describes abuse in general terms.",
        ],
        "publisher": ["ECPAT International"],
        "date": ["2021-09-01"],
        "type": ["Text", "Guidance"],
        "format": ["application/pdf"],
        "identifier": [
            f"http://testserver/resources/{resource.slug}/",
            "https://doi.org/10.1234/lux",
            "urn:isbn:978-92-9120-123-4",
        ],
        "language": ["en", "fr"],
        "relation": ["https://example.org/guidelines"],
        "coverage": ["World"],
        "rights": ["CC BY 4.0"],
    }
    header = root.find(".//oai:header", NS)
    assert [e.text for e in header.iterfind("oai:setSpec", NS)] == [
        "topic:defining-problems:terminology",
        "type:guidance",
    ]


def test_it_names_publishers_as_creators_when_no_author_is_named(
    client, schema, library
):
    root = harvest(
        client,
        schema,
        verb="GetRecord",
        identifier=oai_id(library["estimates"]),
        metadataPrefix="oai_dc",
    )
    fields = dublin_core(root)
    publishers = ["International Labour Organization", "Walk Free"]
    assert (fields["creator"], fields["publisher"]) == (publishers, publishers)
    assert fields["coverage"] == ["Philippines", "Thailand"]
    assert fields["type"] == ["Text", "Report"]


def test_it_describes_a_record_in_the_native_format(client, schema, library):
    resource = library["terminology"]
    root = harvest(
        client,
        schema,
        verb="GetRecord",
        identifier=oai_id(resource),
        metadataPrefix="clearinghouse",
    )
    record = root.find(".//ch:record", NS)
    assert record.get("id") == str(resource.uid)
    children = [etree.QName(e).localname for e in record]
    assert children == [
        "title", "subtitle", "landingPage", "summary", "abstract",
        "contentWarning", "type", "date", "publisher", "author", "author",
        "topic", "region", "language", "language", "keyword", "sourceUrl",
        "doi", "isbn", "licence", "document", "added",
    ]  # fmt: skip
    topic = record.find("ch:topic", NS)
    assert (topic.text, topic.attrib) == (
        "Terminology and definitions",
        {"code": "terminology", "setSpec": "topic:defining-problems:terminology"},
    )
    assert record.find("ch:document", NS).attrib == {
        "mediaType": "application/pdf",
        "pages": "1",
        "size": "16",
    }


def test_it_drops_characters_xml_cannot_carry(client, schema, library):
    resource = make_resource("Scanned\x0c report\x1b title")
    root = harvest(
        client,
        schema,
        verb="GetRecord",
        identifier=oai_id(resource),
        metadataPrefix="oai_dc",
    )
    assert dublin_core(root)["title"] == ["Scanned report title"]


# --- Selective harvesting --------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"from": "2024-02-10"}, ["estimates", "toolkit", "dataset", "withdrawn"]),
        ({"until": "2024-03-10"}, ["terminology", "estimates", "toolkit"]),
        ({"until": "2024-03-10T09:00:00Z"}, ["terminology", "estimates", "toolkit"]),
        ({"until": "2024-03-10T08:59:59Z"}, ["terminology", "estimates"]),
        ({"from": "2024-03-10T09:00:01Z"}, ["dataset", "withdrawn"]),
        ({"from": "2024-02-10", "until": "2024-02-10"}, ["estimates"]),
        ({"set": "topic:defining-problems"}, ["terminology", "estimates"]),
        ({"set": "topic:defining-problems:terminology"}, ["terminology"]),
        ({"set": "topic:prevention"}, ["toolkit", "withdrawn"]),
        ({"set": "type:dataset"}, ["dataset"]),
        ({"set": "type", "from": "2024-04-01"}, ["dataset", "withdrawn"]),
    ],
)
def test_it_harvests_selectively(client, schema, library, window, expected):
    root = harvest(
        client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc", **window
    )
    assert listed(root) == [oai_id(library[name]) for name in expected]


def test_it_dates_a_record_from_the_day_its_embargo_lifted(client, schema, db):
    lifted = timezone.localdate() - datetime.timedelta(days=2)
    resource = make_resource("Embargo lifted", embargo_until=lifted)
    Resource.objects.filter(pk=resource.pk).update(updated_at=at("2020-01-01T00:00"))
    root = harvest(
        client,
        schema,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": lifted.isoformat()},
    )
    assert listed(root) == [oai_id(resource)]
    assert root.findtext(".//oai:datestamp", namespaces=NS) == f"{lifted}T00:00:00Z"


# --- Resumption tokens -----------------------------------------------------------


def test_it_pages_with_tokens_that_count_and_expire(client, schema, library, settings):
    settings.OAI_PAGE_SIZE = 2
    root = harvest(client, schema, verb="ListRecords", metadataPrefix="clearinghouse")
    pages = [listed(root)]
    tokens = [token_of(root).attrib]
    while token_of(root).text:
        root = harvest(
            client, schema, verb="ListRecords", resumptionToken=token_of(root).text
        )
        pages.append(listed(root))
        tokens.append(token_of(root).attrib)
    expected = ["terminology", "estimates", "toolkit", "dataset", "withdrawn"]
    assert sum(pages, []) == [oai_id(library[name]) for name in expected]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [(t["cursor"], t["completeListSize"]) for t in tokens] == [
        ("0", "5"),
        ("2", "5"),
        ("4", "5"),
    ]
    expires = datetime.datetime.fromisoformat(tokens[0]["expirationDate"])
    assert expires - timezone.now() > datetime.timedelta(hours=23)
    assert "expirationDate" not in tokens[-1]


def test_it_keeps_pages_stable_while_records_change(client, schema, library, settings):
    settings.OAI_PAGE_SIZE = 2
    root = harvest(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = listed(root)
    added = make_resource("Added during the harvest")
    library["terminology"].save()  # already harvested; now changed again
    while token_of(root).text:
        root = harvest(
            client, schema, verb="ListIdentifiers", resumptionToken=token_of(root).text
        )
        seen += listed(root)
    expected = ["terminology", "estimates", "toolkit", "dataset", "withdrawn"]
    after = [oai_id(library["terminology"]), oai_id(added)]
    assert seen[:5] == [oai_id(library[name]) for name in expected]
    assert sorted(seen[5:]) == sorted(after)


def test_it_pages_through_records_changed_in_the_same_second(
    client, schema, db, settings
):
    settings.OAI_PAGE_SIZE = 2
    batch = [make_resource(f"Imported together {n}") for n in range(5)]
    Resource.objects.update(updated_at=at("2024-06-01T12:00:00.25"))
    root = harvest(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = listed(root)
    while token_of(root).text:
        token = token_of(root).text
        root = harvest(client, schema, verb="ListIdentifiers", resumptionToken=token)
        seen += listed(root)
    assert seen == [oai_id(resource) for resource in batch]


def test_it_reads_its_tokens_in_a_fresh_process(client, schema, library, settings):
    # A restarted server, or another worker: same configured key, no memory.
    key = "a-site-key-" + "k3y!" * 12
    settings.SECRET_KEY = key
    settings.OAI_PAGE_SIZE = 2
    root = harvest(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = token_of(root).text
    program = (
        "import django, json, sys; django.setup();"
        "from clearinghouse.web.oai.tokens import read_token;"
        "print(json.dumps(read_token(sys.argv[1], 'ListIdentifiers')))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clearinghouse.settings",
        "CLEARINGHOUSE_SECRET_KEY": key,
    }
    done = subprocess.run(
        [sys.executable, "-c", program, token],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    assert (state["cursor"], state["arguments"]) == (2, {"metadataPrefix": "oai_dc"})
    for cache in caches.all():
        cache.clear()
    root = harvest(client, schema, verb="ListIdentifiers", resumptionToken=token)
    names = ["toolkit", "dataset"]
    assert listed(root) == [oai_id(library[name]) for name in names]


def test_it_refuses_a_tampered_or_expired_token(
    client, schema, library, settings, monkeypatch
):
    settings.OAI_PAGE_SIZE = 2
    root = harvest(client, schema, verb="ListRecords", metadataPrefix="oai_dc")
    token = token_of(root).text
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    day_and_more_ago = time.time() - 25 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: day_and_more_ago)
    old = token_of(harvest(client, schema, verb="ListRecords", metadataPrefix="oai_dc"))
    monkeypatch.undo()
    for bad in (tampered, old.text, "not-a-token"):
        root = harvest(client, schema, verb="ListRecords", resumptionToken=bad)
        assert error_codes(root) == ["badResumptionToken"]
        assert root.find("oai:request", NS).get("resumptionToken") == bad
    root = harvest(client, schema, verb="ListIdentifiers", resumptionToken=token)
    assert error_codes(root) == ["badResumptionToken"]


def test_it_reads_a_page_in_a_fixed_number_of_queries(
    client, schema, library, settings
):
    counts = []
    for size in (2, 10):
        settings.OAI_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as queries:
            harvest(client, schema, verb="ListRecords", metadataPrefix="clearinghouse")
        counts.append(len(queries))
    # Sets (2), count, page, and one query per relation the writers read.
    assert counts == [11, 11]


# --- Errors ----------------------------------------------------------------------

LISTING = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
NOBODY = "oai:testserver:00000000-0000-0000-0000-000000000000"
GET = {"verb": "GetRecord", "identifier": NOBODY}
FORMATS_OF = {"verb": "ListMetadataFormats"}


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "List\x00Records"}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({**LISTING, "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({**LISTING, "from": "2024-13-01"}, "badArgument"),
        ({**LISTING, "from": "2024-01-01T00:00Z"}, "badArgument"),
        ({**LISTING, "from": "2024-01-01T00:00:00.5Z"}, "badArgument"),
        ({**LISTING, "from": "2024-01-01T00:00:00+01:00"}, "badArgument"),
        ({**LISTING, "from": "2024-02-01", "until": "2024-01-01"}, "badArgument"),
        ({**LISTING, "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
         "badArgument"),
        ({**LISTING, "resumptionToken": "anything"}, "badArgument"),
        ({**LISTING, "set": "topic::prevention"}, "badArgument"),
        ({**LISTING, "metadataPrefix": "oai dc"}, "badArgument"),
        (GET, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({**FORMATS_OF, "identifier": ""}, "badArgument"),
        ({**LISTING, "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({**GET, "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        ({**GET, "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({**GET, "identifier": "no such thing", "metadataPrefix": "oai_dc"},
         "idDoesNotExist"),
        ({**FORMATS_OF, "identifier": "oai:elsewhere.org:1"}, "idDoesNotExist"),
        ({**LISTING, "from": "2030-01-01"}, "noRecordsMatch"),
        ({**LISTING, "until": "2000-01-01T00:00:00Z"}, "noRecordsMatch"),
        ({**LISTING, "set": "topic:no-such-topic"}, "noRecordsMatch"),
        ({**LISTING, "set": "topic:terminology"}, "noRecordsMatch"),
        ({**LISTING, "set": "type:map"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "junk"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "junk"}, "badResumptionToken"),
    ],
)  # fmt: skip
def test_it_names_each_error_as_the_protocol_does(
    client, schema, library, arguments, code
):
    root = harvest(client, schema, **arguments)
    assert error_codes(root) == [code]
    echoed = root.find("oai:request", NS).attrib
    if code in ("badVerb", "badArgument"):
        assert echoed == {}  # section 3.2: no attributes after these errors
    else:
        assert echoed == arguments


def test_it_takes_an_until_at_the_end_of_time(client, schema, library):
    root = harvest(client, schema, **LISTING, until="9999-12-31")
    assert len(listed(root)) == 5


def test_it_answers_a_post_as_it_answers_a_get(client, schema, library):
    arguments = {**LISTING, "set": "topic:defining-problems"}
    posted = harvest(client, schema, method="post", **arguments)
    got = harvest(client, schema, **arguments)
    assert (
        listed(posted)
        == listed(got)
        == [
            oai_id(library["terminology"]),
            oai_id(library["estimates"]),
        ]
    )
    assert dublin_core(posted) == dublin_core(got)
    assert client.put("/oai", {"verb": "Identify"}).status_code == 405


# --- A stock harvester over HTTP -------------------------------------------------

# A live server reads the database from another thread, so these tests commit;
# serialized_rollback puts back the vocabularies the flush afterwards removes.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@LIVE
def test_a_stock_harvester_collects_every_page(live_server, schema, settings):
    library = make_library()
    settings.OAI_PAGE_SIZE = 2
    endpoint = f"{live_server.url}/oai"
    pages = list(
        Sickle(endpoint, iterator=OAIResponseIterator).ListRecords(
            metadataPrefix="oai_dc"
        )
    )
    for page in pages:
        schema.validate(page.raw.encode(), use_location_hints=False)
    assert len(pages) == 3
    records = list(Sickle(endpoint).ListRecords(metadataPrefix="oai_dc"))
    assert [r.metadata["title"][0] for r in records if not r.deleted] == [
        "Terminology guidelines: for the protection of children",
        "Global estimates of modern slavery",
        "School prevention toolkit",
        "Hotline statistics",
    ]
    withdrawn = oai_id(library["withdrawn"], "localhost")
    assert [r.header.identifier for r in records if r.deleted] == [withdrawn]
    kept = Sickle(endpoint).ListIdentifiers(
        metadataPrefix="oai_dc", ignore_deleted=True
    )
    assert withdrawn not in [header.identifier for header in kept]


@LIVE
def test_a_stock_harvester_uses_every_verb(live_server, settings):
    library = make_library()
    settings.OAI_PAGE_SIZE = 3
    harvester = Sickle(f"{live_server.url}/oai", http_method="POST")
    identify = harvester.Identify()
    assert (identify.protocolVersion, identify.deletedRecord) == ("2.0", "persistent")
    prefixes = [f.metadataPrefix for f in harvester.ListMetadataFormats()]
    assert prefixes == ["oai_dc", "clearinghouse"]
    specs = [s.setSpec for s in harvester.ListSets()]
    assert {"topic:prevention", "type:dataset"} <= set(specs)
    record = harvester.GetRecord(
        identifier=oai_id(library["toolkit"], "localhost"), metadataPrefix="oai_dc"
    )
    assert record.metadata["subject"] == ["Prevention"]
    in_set = harvester.ListIdentifiers(
        metadataPrefix="oai_dc", set="topic:defining-problems", until="2024-01-31"
    )
    assert [h.identifier for h in in_set] == [
        oai_id(library["terminology"], "localhost")
    ]


@LIVE
def test_a_stock_harvester_is_told_each_error(live_server):
    make_library()
    harvester = Sickle(f"{live_server.url}/oai")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        next(harvester.ListRecords(metadataPrefix="marc21"))
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        next(harvester.ListRecords(metadataPrefix="oai_dc", set="type:video"))
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        harvester.GetRecord(identifier=NOBODY, metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.BadResumptionToken):
        next(harvester.ListIdentifiers(resumptionToken="forged"))
    with pytest.raises(oaiexceptions.BadArgument):
        next(harvester.ListIdentifiers(metadataPrefix="oai_dc", until="yesterday"))
