"""Sign in and out, password reset, invitations, users in scope, API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from pantau.accounts import passwords, selectors, services
from pantau.accounts import rules as r
from pantau.accounts.forms import AcceptInvitationForm, ApiTokenForm, InvitationForm
from pantau.accounts.models import ApiToken
from pantau.core.access import PUBLIC, access
from pantau.core.forms import add_validation_error
from pantau.core.http import client_ip

login_view = access(PUBLIC)(auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                         redirect_authenticated_user=True))


class LogoutView(auth_views.LogoutView):
    """Signs out and asks the browser to forget what this site kept on the device (the offline
    instrument's waiting answers and photos in IndexedDB, the pages its service worker keeps, the
    HTTP cache): a shared phone or computer keeps nothing of the last user. The page warns first
    when changes are still waiting to be sent (``app.js``, ``data-device-data``)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


logout_view = access(PUBLIC)(LogoutView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a reset link. The mail is sent by a background task after the answer, so the answer
    takes as long for an unknown address as for a known one; requests are rate-limited."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            passwords.request_reset(email=form.cleaned_data["email"], client_ip=client_ip(self.request),
                                    language=translation.get_language() or settings.LANGUAGE_CODE)
        except ValidationError as exc:
            add_validation_error(form, exc, default_field="email")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return redirect(self.get_success_url())


password_reset = access(PUBLIC)(PasswordResetView.as_view())
password_reset_done = access(PUBLIC)(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = access(PUBLIC)(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
))
password_reset_complete = access(PUBLIC)(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))


@access(r.can_invite)
def invite(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = InvitationForm(request.POST or None, **selectors.role_choices(actor))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invitation_create(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Undangan terkirim ke %s.") % form.cleaned_data["email"])
                return redirect("accounts:users")
        status = 422
    return render(request, "accounts/invite.html", {"form": form}, status=status)


@access(PUBLIC)
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    raw_token=token, username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"], full_name=form.cleaned_data["full_name"],
                )
            except ValidationError as exc:
                add_validation_error(form, exc, default_field="password")
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Akun Anda sudah aktif. Selamat datang!"))
                return redirect("manage:dashboard")
        status = 422
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation}, status=status)


@access(r.is_signed_in)
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, raw = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        else:
            status = 422
    items = ApiToken.objects.filter(user=request.user.pk, revoked_at__isnull=True)
    return render(request, "accounts/tokens.html", {"form": form, "raw": raw, "tokens": items}, status=status)


@access(r.is_signed_in)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token dicabut."))
    return redirect("accounts:tokens")
