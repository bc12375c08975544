"""Accounts on the public site: applying for membership, resetting a password.

Registration is off unless ``CLEARINGHOUSE_REGISTRATION`` is on; then anyone
may apply, and an administrator approves (``catalog.members``). Password
resets use Django's own views with this site's templates; the same link
lets an approved applicant choose a first password.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from clearinghouse.catalog import members


def _input(autocomplete: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": "form-field__input", "autocomplete": autocomplete}
    )


class RegistrationForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200, widget=_input("name"))
    email = forms.EmailField(
        label="Email address",
        max_length=150,
        widget=forms.EmailInput(
            attrs={"class": "form-field__input", "autocomplete": "email"}
        ),
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=300,
        help_text="Where you work or study, as you would write it in a report.",
        widget=_input("organization"),
    )
    reason = forms.CharField(
        label="Why you need membership",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-field__input"}),
        help_text="Your role and what you would use the library for.",
    )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("name", "organisation"):
            if name in data:
                data[name] = " ".join(data[name].split())  # one line: mails' subjects
        return data


def register(request: HttpRequest) -> HttpResponse:
    """Apply for membership; 404 while registration is closed."""
    if not members.registration_open():
        raise Http404("Registration is closed.")
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        members.register(**form.cleaned_data, link=request.build_absolute_uri)
        return redirect("register_sent")
    return render(request, "web/accounts/register.html", {"form": form})


def register_sent(request: HttpRequest) -> HttpResponse:
    if not members.registration_open():
        raise Http404("Registration is closed.")
    return render(request, "web/accounts/register_sent.html")


class AccountPasswordResetForm(PasswordResetForm):
    """Django's form, also for approved applicants who have not chosen a
    password yet (Django's own skips accounts without a usable password)."""

    def get_users(self, email: str) -> list:
        return [
            user
            for user in get_user_model()._default_manager.filter(
                email__iexact=email, is_active=True
            )
            if user.email.lower() == email.lower()
        ]


password_reset = auth_views.PasswordResetView.as_view(
    template_name="web/accounts/password_reset_form.html",
    email_template_name="web/accounts/password_reset_email.txt",
    subject_template_name="web/accounts/password_reset_subject.txt",
    form_class=AccountPasswordResetForm,
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="web/accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="web/accounts/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="web/accounts/password_reset_complete.html"
)
