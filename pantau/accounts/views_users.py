"""User management for the national admin, heads of office and institution admins, each within
their own scope: the users page, one person's page, and the POST-only actions on them.

Every action is a service in ``accounts.services`` (checked, audited); a person or role outside
the actor's scope answers 404 and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pantau.accounts import rules as r
from pantau.accounts import selectors, services
from pantau.accounts.forms import MembershipForm, ReasonForm
from pantau.accounts.models import Invitation, Membership, User
from pantau.core.access import access
from pantau.core.forms import add_validation_error
from pantau.core.keyset import keyset_page

PAGE_SIZE = 50


@access(r.can_manage_users)
def users(request: HttpRequest) -> HttpResponse:
    page = keyset_page(request, selectors.users_for(request.user), ("username", "pk"), PAGE_SIZE)
    locked = selectors.locked_usernames(p.username for p in page)
    invitations = selectors.open_invitations_for(request.user)[:50]
    return render(request, "accounts/users.html", {"page": page, "people": page, "locked": locked,
                                                   "invitations": invitations})


def _user_page(request: HttpRequest, person: User, *, form: MembershipForm | None = None,
               editing: Membership | None = None, status: int = 200) -> HttpResponse:
    actor = request.user
    shown = list(person.memberships.all())  # only the roles in the actor's scope (see selectors.users_for)
    context = {
        "person": person, "is_self": person.pk == actor.pk,
        "memberships": [(m, m.user_id != actor.pk and services.may_manage(actor, m)) for m in shown],
        "roles_elsewhere": Membership.objects.filter(user=person).count() - len(shown),
        "locked": person.username in selectors.locked_usernames([person.username]),
        "form": form, "editing": editing,
    }
    return render(request, "accounts/user.html", context, status=status)


@access(r.can_manage_users)
def user(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_page(request, selectors.user_for(request.user, pk))


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    return str(form.cleaned_data["reason"]) if form.is_valid() else ""


def _user_action(service: Callable[..., Any], done: Any, *, takes_reason: bool = True) -> Callable[..., HttpResponse]:
    """A POST-only action on one person: 404 outside scope, a message for a refusal."""

    @access(r.can_manage_users)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = selectors.user_for(request.user, pk)
        try:
            service(actor=request.user, user=person, **({"reason": _reason(request)} if takes_reason else {}))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(done) % {"name": person.display_name()})
        return redirect("accounts:user", pk=person.pk)

    return view


user_deactivate = _user_action(services.user_deactivate, gettext_lazy(
    "Akun %(name)s dinonaktifkan. Sesi dan token API-nya tidak berlaku lagi."))
user_reactivate = _user_action(services.user_reactivate, gettext_lazy("Akun %(name)s aktif kembali."))
user_unlock = _user_action(services.user_unlock, gettext_lazy("Kunci akun %(name)s dibuka; ia dapat masuk lagi."),
                           takes_reason=False)


def _membership(request: HttpRequest, pk: int) -> Membership:
    """A role the actor manages, or 404."""
    return get_object_or_404(selectors.memberships_for(request.user), pk=pk)


@access(r.can_manage_users)
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    membership = _membership(request, pk)
    person = selectors.user_for(actor, membership.user_id)
    initial = {"role": membership.role, "office": membership.office_id, "institution": membership.institution_id,
               "unit": membership.unit_id}
    form = MembershipForm(request.POST or None, initial=initial, **selectors.role_choices(actor))
    if request.method != "POST":
        return _user_page(request, person, form=form, editing=membership)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.membership_change(
                actor=actor, membership=membership, role=data["role"], office=data["office"],
                institution=data["institution"], unit=data["unit"], reason=data["reason"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Peran diubah.") if changed is not None else _("Tidak ada yang berubah."))
            return redirect("accounts:user", pk=person.pk)
    return _user_page(request, person, form=form, editing=membership, status=422)


@access(r.can_manage_users)
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    try:
        person = services.membership_remove(actor=request.user, membership=membership, reason=_reason(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accounts:user", pk=membership.user_id)
    messages.success(request, _("Peran %(role)s dihapus dari %(name)s.")
                     % {"role": membership.get_role_display(), "name": person.display_name()})
    if selectors.users_for(request.user).filter(pk=person.pk).exists():
        return redirect("accounts:user", pk=person.pk)
    return redirect("accounts:users")  # no role left in the actor's scope


def _invitation_action(service: Callable[..., Any], done: Any) -> Callable[..., HttpResponse]:
    @access(r.can_manage_users)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        invitation: Invitation = get_object_or_404(selectors.invitations_for(request.user), pk=pk)
        try:
            service(actor=request.user, invitation=invitation)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(done) % {"email": invitation.email})
        return redirect("accounts:users")

    return view


invitation_revoke = _invitation_action(services.invitation_revoke, gettext_lazy(
    "Undangan untuk %(email)s dicabut; tautannya tidak berlaku lagi."))
invitation_resend = _invitation_action(services.invitation_resend, gettext_lazy(
    "Undangan dikirim ulang ke %(email)s dengan tautan baru; tautan lama tidak berlaku lagi."))
