"""Asking for a record's restricted documents: "sign in or request access".

The record is found through the visibility policy like its page is, so
nobody learns here of a record they may not see. Anonymous readers are asked
to sign in (or apply, where registration is open); a signed-in reader sends
a request with an optional message, once (``catalog.access_requests``).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clearinghouse.catalog import access_requests, members
from clearinghouse.catalog.visibility import may_download
from clearinghouse.web.views.resources import find_resource


class AccessRequestForm(forms.Form):
    message = forms.CharField(
        label="Message to the library (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-field__input"}),
        help_text="Your role, and why you need the documents.",
    )


def request_access(request: HttpRequest, slug: str) -> HttpResponse:
    resource = find_resource(request, slug)
    if resource.status == "withdrawn":
        return render(request, "web/tombstone.html", {"resource": resource}, status=410)
    if may_download(request.user, resource):
        return redirect(resource)  # nothing to ask for
    user = request.user
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    if user.is_authenticated and form.is_bound and form.is_valid():
        access_requests.request_access(
            user, resource, form.cleaned_data["message"], request.build_absolute_uri
        )
        return redirect("request_access", slug=resource.slug)
    context = {
        "resource": resource,
        "form": form,
        "pending": access_requests.pending_request(user, resource),
        "registration_open": members.registration_open(),
    }
    return render(request, "web/accounts/request_access.html", context)
