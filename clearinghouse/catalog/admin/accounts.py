"""People in the admin: applications, access requests, accounts, the audit log.

Applications and access requests are decided with changelist actions, which
call ``catalog.members`` and ``catalog.access_requests``; nothing here grants
anything by itself. The audit log and the list of revisions are read-only for
everyone, superusers included. Accounts: administrators (the role) may put
people in groups, but only superusers may touch a superuser's account, make
someone a superuser, or give permissions one by one.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from clearinghouse.catalog import access_requests, actors, members, revisions
from clearinghouse.catalog.models import AccessRequest, AuditEvent, Membership, Revision
from clearinghouse.catalog.roles import MEMBERS

User = get_user_model()


def decide_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    decide: Callable,
    errors: tuple[type[Exception], ...],
    done: str,
) -> None:
    """Apply a decision to each selected row and report what happened."""
    count = 0
    for row in queryset:
        try:
            decide(row)
        except errors as refusal:
            model_admin.message_user(request, str(refusal), messages.ERROR)
        else:
            count += 1
    if count:
        model_admin.message_user(request, f"{done}: {count}.", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody adds, changes or deletes here."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "organisation", "status", "applied_at")
    list_filter = ("status",)
    search_fields = ("name", "organisation", "user__email", "user__username")
    readonly_fields = (
        "user",
        "name",
        "organisation",
        "reason",
        "status",
        "applied_at",
        "decided_by",
        "decided_at",
    )
    fields = readonly_fields
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people apply through the registration form

    @admin.display(description="email", ordering="user__email")
    def email(self, membership: Membership) -> str:
        return membership.user.email

    @admin.action(description="Approve: make them members", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        decide_each(
            self,
            request,
            queryset.select_related("user"),
            lambda m: members.approve(m, request.user, request.build_absolute_uri),
            (members.MembershipError,),
            "Approved",
        )

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        decide_each(
            self,
            request,
            queryset.select_related("user"),
            lambda m: members.reject(m, request.user),
            (members.MembershipError,),
            "Rejected",
        )


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ("resource", "user", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("resource__title", "user__username", "user__email")
    list_select_related = ("resource", "user", "decided_by")
    fields = (
        "user",
        "resource",
        "message",
        "group",
        "note",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    )
    readonly_fields = (
        "user",
        "resource",
        "message",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    )
    actions = ["grant", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # readers ask on the record's page

    def get_form(
        self, request: HttpRequest, obj: AccessRequest | None = None, **kwargs: object
    ) -> type:
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "group" in form.base_fields:
            # Only a group the record is open to can be granted.
            form.base_fields["group"].queryset = obj.resource.groups.all()
        return form

    @admin.action(description="Grant access", permissions=["change"])
    def grant(self, request: HttpRequest, queryset: QuerySet) -> None:
        decide_each(
            self,
            request,
            queryset.select_related("user", "resource", "group"),
            lambda r: access_requests.grant(
                r, request.user, request.build_absolute_uri
            ),
            (access_requests.AccessRequestError,),
            "Granted",
        )

    @admin.action(description="Refuse", permissions=["change"])
    def refuse(self, request: HttpRequest, queryset: QuerySet) -> None:
        decide_each(
            self,
            request,
            queryset.select_related("user", "resource"),
            lambda r: access_requests.refuse(
                r, request.user, request.build_absolute_uri
            ),
            (access_requests.AccessRequestError,),
            "Refused",
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "object_repr")
    list_filter = ("action", "at")
    search_fields = ("actor_name", "action", "object_repr")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor_name",
        "actor_id",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "detail_shown",
    )
    readonly_fields = fields

    @admin.display(description="detail")
    def detail_shown(self, event: AuditEvent) -> str:
        text = json.dumps(event.detail, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Every record's revisions, newest first: what changed lately, and by whom."""

    list_display = ("created_at", "record", "actor_name", "action_shown", "channel")
    list_display_links = None
    list_filter = ("action", "channel", "created_at")
    search_fields = ("actor_name", "comment", "resource__title")
    list_select_related = ("resource",)
    fields = ("created_at", "resource", "actor_name", "action", "channel", "comment")
    readonly_fields = fields

    @admin.display(description="record")
    def record(self, revision: Revision) -> str:
        title = revision.snapshot.get("title", "")
        if revision.resource_id is None:
            return f"{title} (deleted)"
        url = reverse(
            "admin:catalog_resource_revision", args=[revision.resource_id, revision.pk]
        )
        return format_html('<a href="{}">{}</a>', url, title)

    @admin.display(description="action", ordering="action")
    def action_shown(self, revision: Revision) -> str:
        channel = actors.CHANNEL_LABELS.get(revision.channel, revision.channel)
        return f"{revisions.describe(revision)} ({channel})"


class AccountAdmin(UserAdmin):
    """Django's user admin, with membership shown and superuser powers kept
    to superusers."""

    list_display = (*UserAdmin.list_display, "is_active", "approved_member")
    list_filter = (*UserAdmin.list_filter, "groups")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="approved member", boolean=True)
    def approved_member(self, user: object) -> bool:
        return any(group.name == MEMBERS for group in user.groups.all())

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "user_permissions")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
