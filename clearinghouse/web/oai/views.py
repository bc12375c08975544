"""The HTTP side of /oai: GET or POST in, one OAI-PMH XML document out.

Errors are part of the protocol, not of HTTP: a bad request is answered with
status 200 and an <error> element (section 3.6).
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from clearinghouse.web.oai.arguments import OAIRequest, read_request
from clearinghouse.web.oai.elements import (
    OAI,
    OAI_SCHEMA,
    add,
    qualified,
    root_element,
    utc_datestamp,
    xml_safe,
)
from clearinghouse.web.oai.errors import UNECHOED, OAIError
from clearinghouse.web.oai.native_xml import SCHEMA_FILE
from clearinghouse.web.oai.repository import LibraryRepository
from clearinghouse.web.oai.verbs import RESPONDERS

CONTENT_TYPE = "text/xml; charset=utf-8"


# Harvesters post forms without a session: OAI-PMH only reads, so CSRF
# protection has nothing to protect here.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    query = request.POST if request.method == "POST" else request.GET
    repository = LibraryRepository(request)
    document = respond(repository, dict(query.lists()))
    body = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type=CONTENT_TYPE)


def respond(
    repository: LibraryRepository, query: dict[str, list[str]]
) -> etree._Element:
    """The response document for one request's arguments."""
    try:
        oai_request = read_request(query)
    except OAIError as error:
        return envelope(repository, None, error_element(error))
    try:
        reply = RESPONDERS[oai_request.verb](repository, oai_request)
    except OAIError as error:
        echoed = None if error.code in UNECHOED else oai_request
        return envelope(repository, echoed, error_element(error))
    return envelope(repository, oai_request, reply)


def envelope(
    repository: LibraryRepository, echoed: OAIRequest | None, reply: etree._Element
) -> etree._Element:
    """<OAI-PMH> with responseDate, the request echoed, and the reply."""
    document = root_element(OAI, "OAI-PMH", OAI_SCHEMA, {None: OAI})
    add(document, OAI, "responseDate", utc_datestamp(timezone.now()))
    attributes = {"verb": echoed.verb, **echoed.arguments} if echoed else {}
    add(document, OAI, "request", repository.base_url, **attributes)
    document.append(reply)
    return document


def error_element(error: OAIError) -> etree._Element:
    element = etree.Element(qualified(OAI, "error"), code=error.code)
    element.text = xml_safe(error.message)  # it may quote what was sent
    return element


def native_schema(request: HttpRequest) -> FileResponse:
    """The XML Schema of the native record format (metadataPrefix clearinghouse)."""
    return FileResponse(SCHEMA_FILE.open("rb"), content_type=CONTENT_TYPE)
