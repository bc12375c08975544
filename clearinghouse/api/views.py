"""The REST API (django-ninja), mounted at /api/: its routers, its errors, its
OpenAPI document at /api/openapi.json and the docs page at /api/docs.

Every read goes through the catalog's visibility policy for whoever asks (an
API token's user, a signed-in session, or an anonymous reader); writes need a
token or a session and the admin's own permissions. See docs/api.md.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from clearinghouse.api.auth import READ_AUTH
from clearinghouse.api.problems import MEDIA_TYPE, install_handlers
from clearinghouse.api.routers import (
    documents,
    exports,
    imports,
    resources,
    search,
    suggest,
    vocabularies,
)


class ClearinghouseAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> dict:
        return refine_schema(super().get_openapi_schema(**kwargs))


def refine_schema(schema: dict) -> dict:
    """What ninja cannot say by itself: errors are ``application/problem+json``,
    reads work without credentials, and reads may answer 304."""
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    answer["content"] = {MEDIA_TYPE: content["application/json"]}
            if method == "get":
                operation.setdefault("security", []).append({})
                operation["responses"]["304"] = {
                    "description": "Not Modified (the ETag in If-None-Match matched)"
                }
    return schema


api = ClearinghouseAPI(
    title="Clearinghouse API",
    version="1",
    description=(
        "Search and read the library, and curate it. Answers hold only what the "
        "caller may see: send an API token (`Authorization: Bearer <token>`) to "
        "see what its user may. Errors are RFC 9457 problem details. See "
        "docs/api.md."
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=READ_AUTH,
)
install_handlers(api)
api.add_router("", search.router)
api.add_router("", suggest.router)
api.add_router("", resources.router)
api.add_router("", documents.router)
api.add_router("", vocabularies.router)
api.add_router("", exports.router)
api.add_router("", imports.router)
