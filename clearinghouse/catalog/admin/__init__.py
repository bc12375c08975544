"""Curation: the Django admin for every catalog model.

Modules by family: ``resources`` (records, their inlines and workflow
actions), ``documents`` (files and what is known about their bytes),
``people`` (organisations and people), ``vocabularies`` (types, topics,
regions, languages) and ``collections``. The resource admin's own pages live
beside it: ``workflow`` (status buttons), ``suggestions`` (accepting what ingest
suggested), ``duplicates`` (possible duplicates and merging), ``uploads``
(many files at once) and ``history`` (its revisions: compare, restore).
``accounts`` holds the people side: membership applications, access
requests, user accounts, the audit log and every record's revisions.
"""

from django.contrib import admin

from clearinghouse.catalog.admin import (  # noqa: F401  (registers the admins)
    accounts,
    collections,
    documents,
    people,
    resources,
    vocabularies,
)

admin.site.site_header = "Clearinghouse curation"
admin.site.site_title = "Clearinghouse curation"
admin.site.index_title = "Catalog and curators"
