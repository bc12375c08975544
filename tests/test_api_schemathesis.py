"""Property-based checks of the API against its own OpenAPI document.

Schemathesis reads /api/openapi.json, generates requests for every operation
(valid and invalid ones) and checks each answer: never a 5xx, and status
codes, content types, headers and bodies as the document says. Reads run as
an anonymous caller; writes with a curator's API token. The examples per
operation are few, to keep the whole run around a minute.
"""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings

from clearinghouse.api.tokens import create_token
from tests.world import make_organisation, make_personas, make_resource

# Writes skip the coverage phase (boundary values of each of a record's two
# dozen fields, which the writes tests cover) to keep the run short, and so
# does search, whose parameters /api/resources shares (and whose hostile
# inputs tests/test_hostile_queries.py covers). Writes also skip the "valid
# data is accepted" check: a record can match the schema and still not be
# importable (a 13th month, an unknown language code, a slug another record
# holds), and whether an upload is a document is decided by its bytes; those
# are 422 and 415 answers by design, tested in test_api_writes/_uploads.
CONFIG = """
[generation]
max-examples = 6

[[operations]]
include-method = ["POST", "PATCH"]
phases.coverage.enabled = false
checks.positive_data_acceptance.enabled = false

[[operations]]
include-path = "/api/search"
phases.coverage.enabled = false
"""

schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json",
    WSGIHandler(),
    config=schemathesis.config.SchemathesisConfig.from_str(CONFIG),
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_token(db) -> dict:
    personas = make_personas()
    make_organisation("Internet Watch Foundation", acronym="IWF")
    make_resource(
        "Online grooming threat assessment",
        slug="online-grooming",
        topics=("grooming",),
        publishers=("Internet Watch Foundation",),
        regions=("GB",),
        date=datetime.date(2023, 5, 1),
        text="Chat rooms and gaming platforms.",
    )
    make_resource("Draft on grooming", slug="draft", status="draft")
    return {"Authorization": f"Bearer {create_token(personas['reviewer'], 'st')[1]}"}


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_it_answers_every_request_as_its_schema_says(case, curator_token) -> None:
    headers = curator_token if case.method != "GET" else None
    case.call_and_validate(headers=headers)
