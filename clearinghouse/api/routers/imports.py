"""``POST /api/import``: a file of records in, as ``clearinghouse import``
and the admin's import take it.

Any format of the registry (guessed from the file's name when not given);
``dry_run`` answers what would be created, updated and skipped and writes
nothing; a bad record fails the whole import (422, every bad record named by
line) unless ``continue_on_error``. As with the API's other writes, terms the
file names that do not exist are created only when the caller may add them in
the admin: the file is first read as a dry run to find out.
"""

import io

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from clearinghouse.api.auth import WRITE_AUTH, require
from clearinghouse.api.editing import CREATING
from clearinghouse.api.problems import ApiProblem, answers
from clearinghouse.formats.importing import ImportFailed, ImportReport, import_file
from clearinghouse.formats.registry import FORMATS, UnknownFormat, guess_format

router = Router(tags=["import"])


class ImportOptions(Schema):
    format: str = ""
    dry_run: bool = False
    continue_on_error: bool = False
    publish: bool = False


class ImportProblem(Schema):
    line: int
    message: str


class ImportResult(Schema):
    dry_run: bool
    created: list[str]
    updated: list[str]
    skipped: list[str]
    errors: list[ImportProblem]
    new_terms: dict[str, list[str]]


@router.post(
    "/import",
    auth=WRITE_AUTH,
    response=answers({200: ImportResult}, 403, 413, 422),
    summary="Import records from a file (JSON Lines, CSV, BibTeX, RIS, CSL-JSON)",
)
def import_records(
    request: HttpRequest,
    file: File[UploadedFile],
    options: Form[ImportOptions],
) -> dict:
    """Needs catalog.add_resource and catalog.change_resource (and
    catalog.publish_resource with ``publish``)."""
    require(request, "catalog.add_resource", "import records")
    require(request, "catalog.change_resource", "import records")
    if options.publish:
        require(request, "catalog.publish_resource", "publish imported records")
    fmt = chosen_format(options.format, file.name or "")
    text = read_text(file)
    flags = {"publish": options.publish, "continue_on_error": True}
    trial = run(fmt, text, file.name, request.user, dry_run=True, **flags)
    for kind, names in trial.new_terms.items():
        _, permission = CREATING[kind]
        if names and not request.user.has_perm(permission):
            raise ApiProblem(
                403,
                f"The file names {kind} that do not exist ({', '.join(names[:5])}), "
                f"and creating them needs the {permission} permission.",
            )
    flags["continue_on_error"] = options.continue_on_error
    report = run(fmt, text, file.name, request.user, dry_run=options.dry_run, **flags)
    return {
        "dry_run": report.dry_run,
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "errors": [{"line": n, "message": m} for n, m in report.errors],
        "new_terms": {k: sorted(set(v)) for k, v in report.new_terms.items() if v},
    }


def chosen_format(name: str, filename: str):
    if name:
        if name not in FORMATS:
            known = ", ".join(FORMATS)
            raise ApiProblem(422, f"Unknown format {name!r}: one of {known}.")
        return FORMATS[name]
    try:
        return guess_format(filename)
    except UnknownFormat as error:
        raise ApiProblem(422, f"{str(error).capitalize()}; name the format.") from None


def read_text(file: UploadedFile) -> str:
    try:
        return file.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApiProblem(422, f"The file is not UTF-8 text: {error}.") from None


def run(fmt, text: str, filename: str, actor, **options: bool) -> ImportReport:
    """One pass of the importer; a failed all-or-nothing import is a 422."""
    try:
        return import_file(
            fmt, io.StringIO(text), filename=filename, actor=actor, **options
        )
    except ImportFailed as failure:
        raise ApiProblem(
            422,
            f"Nothing was imported: {len(failure.report.errors)} bad record(s).",
            errors=[{"line": n, "message": m} for n, m in failure.report.errors],
        ) from None
