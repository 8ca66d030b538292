"""Sign in and out, password reset, invitations, users in scope, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts import rules as r
from pantau.accounts import services
from pantau.accounts.forms import AcceptInvitationForm, ApiTokenForm, InvitationForm
from pantau.accounts.models import OFFICE_ROLES, ApiToken, Invitation, Membership, Role, User
from pantau.accounts.scope import headed_by, scope_of
from pantau.core.access import PUBLIC, access
from pantau.core.forms import add_validation_error
from pantau.registry.models import Institution, Office, ServiceUnit
from pantau.registry.selectors import offices_for

PAGE_SIZE = 50

login_view = access(PUBLIC)(auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                         redirect_authenticated_user=True))
logout_view = access(PUBLIC)(auth_views.LogoutView.as_view())
password_reset = access(PUBLIC)(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
))
password_reset_done = access(PUBLIC)(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = access(PUBLIC)(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
))
password_reset_complete = access(PUBLIC)(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))


def _inviter_institutions(actor: User) -> QuerySet[Institution]:
    """The institutions whose people an inviter manages (see ``services.may_grant``)."""
    scope = scope_of(actor)
    head = headed_by(actor)
    if scope.has(Role.NATIONAL_ADMIN) or head.national:
        return Institution.objects.all()
    q = Q(pk__in=[])
    if scope.has(Role.HEAD_OF_OFFICE):
        q |= Q(province__in=head.province_ids) | Q(office__in=head.office_ids)
    if scope.has(Role.INSTITUTION_ADMIN):
        q |= Q(pk__in=scope.institution_ids)
    return Institution.objects.filter(q)


def _memberships_in_scope(actor: User) -> Q | None:
    """The memberships (roles) an inviter may see; None means all of them."""
    if scope_of(actor).has(Role.NATIONAL_ADMIN):
        return None
    ids = _inviter_institutions(actor).values("pk")
    return Q(office__in=headed_by(actor).office_ids) | Q(institution__in=ids) | Q(unit__institution__in=ids)


def users_in_scope(actor: User) -> QuerySet[User]:
    """Active users with a role in the actor's scope (and the actor), each with only those roles."""
    q = _memberships_in_scope(actor)
    qs = User.objects.filter(is_active=True)
    memberships = Membership.objects.select_related("office", "institution", "unit")
    if q is not None:
        qs = qs.filter(Q(pk=actor.pk) | Q(pk__in=Membership.objects.filter(q).values("user")))
        # A person may also hold roles elsewhere: those are not the actor's business.
        memberships = memberships.filter(q | Q(user=actor.pk))
    return qs.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by("username", "pk")


def _grantable_roles(actor: User) -> list[tuple[str, str]]:
    scope = scope_of(actor)
    if scope.has(Role.NATIONAL_ADMIN):
        allowed = set(Role.values)
    elif scope.has(Role.HEAD_OF_OFFICE):
        allowed = set(OFFICE_ROLES) | {Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR}
    else:
        allowed = {Role.INSTITUTION_ADMIN, Role.UNIT_OPERATOR}
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


def _grantable_offices(actor: User) -> QuerySet[Office]:
    if scope_of(actor).has(Role.NATIONAL_ADMIN):
        return offices_for(actor)
    return Office.objects.filter(pk__in=headed_by(actor).office_ids)


@access(r.can_invite)
def users(request: HttpRequest) -> HttpResponse:
    page = Paginator(users_in_scope(request.user), PAGE_SIZE).get_page(request.GET.get("hal"))  # type: ignore[arg-type]
    invitations = Invitation.objects.filter(invited_by=request.user.pk, accepted_at__isnull=True,
                                            expires_at__gt=timezone.now())[:50]
    return render(request, "accounts/users.html", {"page": page, "people": page, "invitations": invitations})


@access(r.can_invite)
def invite(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = InvitationForm(
        request.POST or None, offices=_grantable_offices(actor), institutions=_inviter_institutions(actor),  # type: ignore[arg-type]
        units=ServiceUnit.objects.filter(is_active=True, institution__in=_inviter_institutions(actor)),  # type: ignore[arg-type]
        roles=_grantable_roles(actor),  # type: ignore[arg-type]
    )
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
