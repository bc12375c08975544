"""Controlled vocabularies: resource types, the topic tree, regions, languages."""

from django import forms
from django.contrib import admin

from clearinghouse.catalog.admin.fields import LinesField
from clearinghouse.catalog.models import Language, Region, ResourceType, Topic
from clearinghouse.catalog.models.vocabularies import TreeMixin

TREE_SEPARATOR = " › "


def tree_path(node: TreeMixin) -> str:
    """ "Prevention › Education and awareness": the node under its ancestors."""
    return TREE_SEPARATOR.join(str(n) for n in [*node.ancestors(), node])


@admin.register(ResourceType)
class ResourceTypeAdmin(admin.ModelAdmin):
    list_display = ("label", "slug", "position")
    search_fields = ("label", "slug")
    prepopulated_fields = {"slug": ("label",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "path", "parent", "slug", "position")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent__parent__parent",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description="place in the tree")
    def path(self, topic: Topic) -> str:
        return tree_path(topic)


class RegionForm(forms.ModelForm):
    aliases = LinesField(help_text="Other names, one per line.")

    class Meta:
        model = Region
        fields = ("name", "code", "slug", "kind", "parent", "aliases")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionForm
    list_display = ("name", "code", "kind", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "code", "aliases", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
