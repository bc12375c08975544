"""API tokens in the admin: make one (its secret shown once), see use, revoke."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from clearinghouse.api.models import ApiToken
from clearinghouse.api.tokens import issue, revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix_shown",
        "user",
        "created_at",
        "last_used_at",
        "state",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "user__username")
    autocomplete_fields = ("user",)
    actions = ["revoke_tokens"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix_shown", "created_at", "last_used_at", "state")

    def get_readonly_fields(
        self, request: HttpRequest, obj: ApiToken | None = None
    ) -> tuple:
        if obj is None:
            return ()
        # A token's owner never changes: a new owner needs a new token.
        return ("user", "prefix_shown", "created_at", "last_used_at", "state")

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        secret = issue(obj)
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            f"The new token is {secret} — copy it now: it is not shown again.",
            messages.WARNING,
        )

    @admin.display(description="token")
    def prefix_shown(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        return f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"

    @admin.action(description="Revoke selected tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet) -> None:
        revoked = sum(revoke(token) for token in queryset)
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
