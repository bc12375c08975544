"""Writing records through the API: the importer's checks, the admin's permissions.

A record sent as JSON is the native record (docs/formats.md) and goes through
``formats.native.clean_record`` and ``formats.importing.save_record``, so it is
checked and stored exactly as an import would store it. Unlike an import, the
caller is a person with permissions: missing organisations, topics, types,
regions or groups are created only when that person may create them in the
admin, and status changes only through the workflow (``apply_workflow``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from clearinghouse.api.problems import ApiProblem
from clearinghouse.catalog import workflow
from clearinghouse.catalog.models import Access, Resource, Status
from clearinghouse.catalog.models.resource import stricter_access
from clearinghouse.formats.importing import (
    ImportReport,
    Vocabulary,
    find_existing,
    save_record,
)
from clearinghouse.formats.native import RecordError, clean_record, record_from_resource

# kind of new term (ImportReport.new_terms) → (record field, permission to create it)
CREATING = {
    "organisations": ("publishers", "catalog.add_organisation"),
    "people": ("authors", "catalog.add_person"),
    "topics": ("topics", "catalog.add_topic"),
    "types": ("types", "catalog.add_resourcetype"),
    "regions": ("regions", "catalog.add_region"),
    "groups": ("groups", "auth.add_group"),
}


class MayNotCreate(Exception):
    """The record names a term that does not exist, which the actor may not add."""

    def __init__(self, field: str, value: str, permission: str) -> None:
        self.field = field
        super().__init__(
            f"'{field}': there is no {value!r}, and creating it needs the "
            f"{permission} permission"
        )


class PermittedVocabulary(Vocabulary):
    """The importer's vocabulary, creating a missing term only where the actor
    may add one in the admin (the transaction is rolled back otherwise)."""

    def __init__(self, report: ImportReport, actor: object) -> None:
        super().__init__(report)
        self.actor = actor

    def _checked(self, kind: str, find: object, value: str) -> object:
        before = len(self.report.new_terms[kind])
        term = find(value)
        field, permission = CREATING[kind]
        if len(self.report.new_terms[kind]) > before and not self.actor.has_perm(
            permission
        ):
            raise MayNotCreate(field, value, permission)
        return term

    def organisation(self, name: str) -> object:
        return self._checked("organisations", super().organisation, name)

    def person(self, name: str) -> object:
        return self._checked("people", super().person, name)

    def topic(self, slug: str) -> object:
        return self._checked("topics", super().topic, slug)

    def resource_type(self, value: str) -> object:
        return self._checked("types", super().resource_type, value)

    def region(self, value: str) -> object:
        return self._checked("regions", super().region, value)

    def group(self, name: str) -> object:
        return self._checked("groups", super().group, name)


def create_resource(data: dict, actor: object) -> tuple[Resource, dict]:
    """A new draft record from the fields sent; returns it and the new terms."""
    record = checked_record({**data, "status": Status.DRAFT})
    check_slug(data, None)
    existing = find_existing(record)
    if existing is not None:
        raise duplicate_record(existing, actor)
    record["provenance"] = {"source": "api", "by": actor.get_username()}
    resource, new_terms = save(record, actor)
    resource.created_by = actor
    resource.save(update_fields=["created_by"])
    return resource, new_terms


def update_resource(resource: Resource, changes: dict, actor: object) -> tuple:
    """The record with the fields sent replaced (a JSON merge patch: a null
    clears a field); returns it and the new terms."""
    base = record_from_resource(resource)
    if not resource.document_access and "document_access" not in changes:
        base["document_access"] = None  # it followed access, and still does
    record = checked_record({**base, **changes})
    check_slug(changes, resource)
    return save(record, actor)


def checked_record(raw: dict) -> dict:
    """``clean_record`` plus the admin form's checks; 422 naming the field."""
    if raw.get("featured", False) is None:
        raw = {**raw, "featured": False}  # a merge patch's null clears the flag
    try:
        record = clean_record(raw)
    except RecordError as error:
        raise invalid(str(error)) from None
    access, document_access = record["access"], record["document_access"]
    if stricter_access(access, document_access) != document_access:
        raise invalid("'document_access' cannot be more open than 'access'")
    if Access.GROUPS in (access, document_access) and not record["groups"]:
        raise invalid("'groups' must name the groups who may see it")
    if record["url"]:
        try:
            URLValidator(schemes=["http", "https"])(record["url"])
        except ValidationError:
            raise invalid(f"'url': {record['url']!r} is not a web address") from None
    return record


def check_slug(data: dict, resource: Resource | None) -> None:
    if not data.get("slug"):
        return
    slug = slugify(data["slug"])[:120]
    if not slug:
        raise invalid("'slug' must hold letters or digits")
    others = Resource.objects.filter(slug=slug)
    if resource is not None:
        others = others.exclude(pk=resource.pk)
    if others.exists():
        raise invalid(f"'slug': {slug!r} is taken by another record")


def save(record: dict, actor: object) -> tuple[Resource, dict]:
    report = ImportReport()
    try:
        with transaction.atomic():
            resource = save_record(record, PermittedVocabulary(report, actor), report)
    except RecordError as error:
        raise invalid(str(error)) from None
    except MayNotCreate as refusal:
        error = {"location": "body", "field": refusal.field, "message": str(refusal)}
        raise ApiProblem(403, f"{refusal}.", errors=[error]) from None
    return resource, {kind: names for kind, names in report.new_terms.items() if names}


def invalid(message: str) -> ApiProblem:
    """A 422 problem for a record error ("'date': …" names the field)."""
    named = re.match(r"'(\w+)'", message)
    field = named.group(1) if named else ""
    error = {"location": "body", "field": field, "message": message}
    return ApiProblem(
        422, f"The record is not valid: {message}.", kind="validation", errors=[error]
    )


def duplicate_record(existing: Resource, actor: object) -> ApiProblem:
    """409: the record is there already (by id, DOI, or title with URL or year)."""
    if Resource.objects.visible_to(actor).filter(pk=existing.pk).exists():
        return ApiProblem(
            409,
            f"This record is already in the library as “{existing.title}”; "
            "change that one (PATCH) instead.",
            kind="duplicate",
            existing=existing,
        )
    return ApiProblem(409, "This record is already in the library.", kind="duplicate")


def apply_workflow(
    resource: Resource, action: str, comment: str, actor: object
) -> None:
    """Move the record through the workflow: 403 without the permission, 422
    without a needed comment, 409 when its state does not allow the action."""
    transition = workflow.TRANSITIONS[action]
    if not workflow.may_perform(transition, actor):
        raise ApiProblem(
            403,
            f"{actor.get_username()} may not {transition.label.lower()} "
            f"(the {transition.permission} permission is needed).",
        )
    if transition.comment_required and not comment.strip():
        raise ApiProblem(422, transition.comment_required, kind="workflow")
    try:
        workflow.apply_transition(resource, action, actor, comment)
    except workflow.WorkflowError as error:
        raise ApiProblem(409, str(error), kind="workflow") from None
