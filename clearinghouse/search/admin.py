"""Curators edit the search vocabulary here: synonym groups and their terms."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from clearinghouse.search.models import SynonymGroup, SynonymTerm


class SynonymTermInline(admin.TabularInline):
    model = SynonymTerm
    extra = 2
    fields = ("text", "legacy")


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("preferred", "terms_list", "source", "active")
    list_filter = ("active",)
    search_fields = ("preferred", "terms__text")
    inlines = [SynonymTermInline]
    fields = ("preferred", "source", "active", "note")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("terms")

    @admin.display(description="terms (legacy in brackets)")
    def terms_list(self, group: SynonymGroup) -> str:
        return ", ".join(
            f"[{term.text}]" if term.legacy else term.text for term in group.terms.all()
        )
