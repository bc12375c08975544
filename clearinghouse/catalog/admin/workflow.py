"""Workflow in the admin: changelist actions and per-record buttons.

Both call ``catalog.workflow``; nothing here changes a status by itself. Send
back and withdraw need a comment, so they first show a small form page
(``admin/catalog/resource/workflow_form.html``) that posts back to the same
action with the comment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from clearinghouse.catalog import workflow
from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.workflow import Transition, WorkflowError

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

FORM_TEMPLATE = "admin/catalog/resource/workflow_form.html"

COMMENT_LABELS = {
    workflow.SEND_BACK.action: "What needs to change (shown to the editor)",
    workflow.WITHDRAW.action: "Reason for withdrawal (shown on the record's page)",
}


class WorkflowForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, transition: Transition, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.required = bool(transition.comment_required)
        field.label = COMMENT_LABELS.get(transition.action, "Note (optional)")
        if transition.comment_required:
            field.error_messages["required"] = transition.comment_required


def apply_to_records(
    model_admin: ModelAdmin,
    request: HttpRequest,
    records: QuerySet | list,
    transition: Transition,
    comment: str = "",
) -> None:
    """Apply a transition to each record and report what happened as messages."""
    done = 0
    for resource in records:
        try:
            workflow.apply_transition(
                resource, transition.action, request.user, comment
            )
        except WorkflowError as refusal:
            model_admin.message_user(request, str(refusal), messages.ERROR)
        else:
            done += 1
    if done:
        noun = "record" if done == 1 else "records"
        model_admin.message_user(
            request, f"{transition.label}: {done} {noun} done.", messages.SUCCESS
        )


def changelist_action(transition: Transition, permission: str) -> Callable:
    """A changelist action for a transition; asks for a comment where needed."""

    def action(
        model_admin: ModelAdmin, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        if not transition.comment_required:
            apply_to_records(model_admin, request, queryset, transition)
            return None
        data = request.POST if "apply" in request.POST else None
        form = WorkflowForm(transition, data)
        if form.is_bound and form.is_valid():
            comment = form.cleaned_data["comment"]
            apply_to_records(model_admin, request, queryset, transition, comment)
            return None
        return render_form(model_admin, request, transition, form, list(queryset))

    action.__name__ = transition.action
    return admin.action(description=transition.label, permissions=[permission])(action)


ACTIONS = [
    changelist_action(workflow.SUBMIT, "submit"),
    changelist_action(workflow.PUBLISH, "publish"),
    changelist_action(workflow.SEND_BACK, "publish"),
    changelist_action(workflow.WITHDRAW, "publish"),
    changelist_action(workflow.RESTORE_DRAFT, "publish"),
]


def record_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str, action: str
) -> HttpResponse:
    """One record's workflow button: a confirmation form, then the transition."""
    transition = workflow.TRANSITIONS.get(action)
    resource = model_admin.get_object(request, object_id)
    if transition is None or resource is None:
        raise Http404("No such record or workflow action.")
    if not model_admin.has_view_or_change_permission(request, resource):
        raise Http404("No such record or workflow action.")
    change_url = reverse("admin:catalog_resource_change", args=[resource.pk])
    form = WorkflowForm(transition, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        comment = form.cleaned_data["comment"]
        apply_to_records(model_admin, request, [resource], transition, comment)
        return HttpResponseRedirect(change_url)
    return render_form(
        model_admin, request, transition, form, [resource], cancel_url=change_url
    )


def render_form(
    model_admin: ModelAdmin,
    request: HttpRequest,
    transition: Transition,
    form: WorkflowForm,
    resources: list[Resource],
    cancel_url: str = "",
) -> TemplateResponse:
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": f"{transition.label}?",
        "transition": transition,
        "form": form,
        "resources": resources,
        # From the changelist the form posts back through the action machinery.
        "from_changelist": not cancel_url,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "cancel_url": cancel_url or reverse("admin:catalog_resource_changelist"),
    }
    return TemplateResponse(request, FORM_TEMPLATE, context)
