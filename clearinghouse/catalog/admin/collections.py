"""Collections: curated sets of records ("Starter kit for trainers")."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from clearinghouse.catalog.models import Collection


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "featured", "resource_count")
    ordering = ("name",)  # the count annotation drops Meta.ordering
    list_filter = ("featured",)
    search_fields = ("name", "description")
    autocomplete_fields = ("resources",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_resources=Count("resources"))

    @admin.display(description="resources", ordering="_resources")
    def resource_count(self, collection: Collection) -> int:
        return collection._resources
