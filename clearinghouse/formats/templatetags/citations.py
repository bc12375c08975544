"""``{% citations_for resource as cited %}``: a record's citations for the
detail page's Cite panel (``web/partials/cite.html``); ``{% export_limit %}``:
how many records the library page's export links give at most."""

from django import template

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.citations import Rendered, citations
from clearinghouse.formats.exporting import SEARCH_EXPORT_LIMIT
from clearinghouse.formats.native import record_from_resource

register = template.Library()


@register.simple_tag
def citations_for(resource: Resource) -> list[Rendered]:
    """The resource cited in APA, Chicago, Harvard and MLA."""
    return citations(record_from_resource(resource))


@register.simple_tag
def export_limit() -> int:
    return SEARCH_EXPORT_LIMIT
