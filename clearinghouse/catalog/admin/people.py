"""Organisations and people: the publishers and authors of records."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from clearinghouse.catalog.admin.fields import LinesField
from clearinghouse.catalog.models import Organisation, Person

ORGANISATION_FIELDS = (
    "name",
    "slug",
    "acronym",
    "aliases",
    "kind",
    "country",
    "website",
    "description",
)


class OrganisationForm(forms.ModelForm):
    aliases = LinesField(help_text="Other names and spellings, one per line.")

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # Links typed without a scheme are web addresses: assume https (Django 6 does).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = OrganisationForm
    list_display = ("name", "acronym", "kind", "country", "resource_count")
    ordering = ("name",)  # the count annotation drops Meta.ordering
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country",)
    search_fields = ("name", "acronym", "aliases", "slug")
    autocomplete_fields = ("country",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ORGANISATION_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_resources=Count("resources"))

    @admin.display(description="resources", ordering="_resources")
    def resource_count(self, organisation: Organisation) -> int:
        return organisation._resources


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "orcid")
    list_select_related = ("affiliation",)
    search_fields = ("name", "orcid", "slug")
    autocomplete_fields = ("affiliation",)
    prepopulated_fields = {"slug": ("name",)}
