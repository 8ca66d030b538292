"""Writes for accounts: invitations (within the inviter's own scope) and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pantau.accounts.models import (
    OFFICE_ROLES,
    ApiToken,
    Invitation,
    Membership,
    Role,
    User,
    hash_token,
    new_token,
)
from pantau.accounts.scope import headed_by, scope_of
from pantau.core import audit
from pantau.core.errors import NotInScope

INVITE_DAYS = 7


OUTSIDE = _lazy("Pengguna ini juga memegang peran di luar wilayah kerja Anda. Hapus perannya di wilayah Anda, "
                "atau minta admin yang berwenang atas semua perannya.")


def may_grant(actor: Any, *, role: str, office: Any = None, institution: Any = None,
              unit: Any = None) -> bool:
    """Staff give roles only within their own scope, and never a role above their own.

    A head of office grants office roles in the offices they head and provider roles in the
    institutions in those offices' provinces or supervised by them (the head of the national office:
    every institution); an institution admin provider roles within their institution. The same rule
    says whose roles an actor manages (``may_manage``) and is checked again after every change.
    """
    scope = scope_of(actor)
    if scope.has(Role.NATIONAL_ADMIN):
        return True
    inst = institution if role == Role.INSTITUTION_ADMIN else (unit.institution if role == Role.UNIT_OPERATOR
                                                               and unit is not None else None)
    if scope.has(Role.HEAD_OF_OFFICE):
        head = headed_by(actor)
        if role in OFFICE_ROLES and office is not None and office.pk in head.office_ids:
            return True
        if inst is not None and (head.national or inst.province_id in head.province_ids
                                 or inst.office_id in head.office_ids):
            return True
    if scope.has(Role.INSTITUTION_ADMIN) and inst is not None:
        return inst.pk in scope.institution_ids
    return False


def may_manage(actor: Any, membership: Membership) -> bool:
    """Whether the actor may change or remove this role: they could have granted it."""
    return may_grant(actor, role=membership.role, office=membership.office, institution=membership.institution,
                     unit=membership.unit)


def scope_fields(role: str, office: Any = None, institution: Any = None, unit: Any = None) -> dict[str, Any]:
    """Where a role applies, checked for contradictions: every field the role does not use must be
    empty, the one it needs must be given, and a unit must belong to the chosen institution.
    Raises a ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    if role == Role.NATIONAL_ADMIN:
        for name, value in (("office", office), ("institution", institution), ("unit", unit)):
            if value is not None:
                errors[name] = _("Admin nasional berlaku untuk seluruh Indonesia; kosongkan kolom ini.")
    elif role in OFFICE_ROLES:
        if office is None:
            errors["office"] = _("Pilih kantor Ombudsman untuk peran ini.")
        if institution is not None:
            errors["institution"] = _("Peran kantor Ombudsman tidak terikat pada instansi; kosongkan kolom ini.")
        if unit is not None:
            errors["unit"] = _("Peran kantor Ombudsman tidak terikat pada unit layanan; kosongkan kolom ini.")
    elif role == Role.INSTITUTION_ADMIN:
        if office is not None:
            errors["office"] = _("Admin instansi tidak terikat pada kantor Ombudsman; kosongkan kolom ini.")
        if institution is None:
            errors["institution"] = _("Pilih instansi untuk peran ini.")
        if unit is not None:
            errors["unit"] = _("Admin instansi berlaku untuk seluruh instansinya; kosongkan unit layanan.")
    elif role == Role.UNIT_OPERATOR:
        if office is not None:
            errors["office"] = _("Operator unit layanan tidak terikat pada kantor Ombudsman; kosongkan kolom ini.")
        if unit is None:
            errors["unit"] = _("Pilih unit layanan untuk peran ini.")
        elif institution is not None and unit.institution_id != institution.pk:
            errors["unit"] = _("Unit layanan ini bukan bagian dari instansi yang dipilih.")
        elif not unit.is_active:
            errors["unit"] = _("Unit layanan ini sudah tidak aktif.")
    else:
        errors["role"] = _("Peran tidak dikenal.")
    if errors:
        raise ValidationError(errors)
    return {"office": office if role in OFFICE_ROLES else None,
            "institution": institution if role == Role.INSTITUTION_ADMIN else None,
            "unit": unit if role == Role.UNIT_OPERATOR else None}


def _location(office: Any, institution: Any, unit: Any) -> tuple[int | None, int | None]:
    """(institution id, province id) of a role, for the audit trail: who may read the event."""
    inst = institution or (unit.institution if unit is not None else None)
    if inst is not None:
        return inst.pk, inst.province_id
    if office is not None:
        province = office.provinces.order_by("pk").values_list("pk", flat=True).first()
        return None, province
    return None, None


def _mail_invitation(invitation: Invitation, raw: str) -> None:
    link = settings.SITE_URL + reverse("accounts:accept", args=[raw])
    transaction.on_commit(
        lambda: send_mail(
            _("Undangan bergabung dengan Pantau"),
            _("Anda diundang sebagai %(role)s. Buka tautan ini dalam %(days)d hari untuk membuat akun:\n%(link)s")
            % {"role": invitation.get_role_display(), "days": INVITE_DAYS, "link": link},
            None,
            [invitation.email],
        )
    )


@transaction.atomic
def invitation_create(*, actor: Any, email: str, full_name: str, role: str, office: Any = None,
                      institution: Any = None, unit: Any = None) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token."""
    where = scope_fields(role, office, institution, unit)
    if not may_grant(actor, role=role, **where):
        raise NotInScope
    raw = new_token()
    invitation = Invitation.objects.create(
        email=email.strip().lower(), full_name=full_name.strip(), role=role,
        token_hash=hash_token(raw), invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=INVITE_DAYS), **where,
    )
    institution_id, province_id = _location(**where)
    audit.record(
        actor=actor, event_type="invitation.created", obj=invitation,
        after={"role": role, "office": getattr(where["office"], "pk", None),
               "institution": getattr(where["institution"], "pk", None), "unit": getattr(where["unit"], "pk", None)},
        institution_id=institution_id, province_id=province_id,
    )
    _mail_invitation(invitation, raw)
    return invitation, raw


def _managed_invitation(actor: Any, invitation: Invitation) -> Invitation:
    """The invitation, locked, if the actor may manage it (404 otherwise) and it is still pending."""
    locked = (Invitation.objects.select_for_update(of=("self",))
              .select_related("office", "institution", "unit__institution").get(pk=invitation.pk))
    if not may_grant(actor, role=locked.role, office=locked.office, institution=locked.institution,
                     unit=locked.unit):
        raise NotInScope
    if locked.accepted_at is not None:
        raise ValidationError(_("Undangan ini sudah diterima; kelola penggunanya di daftar pengguna."))
    if locked.revoked_at is not None:
        raise ValidationError(_("Undangan ini sudah dicabut."))
    return locked


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    invitation = _managed_invitation(actor, invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    institution_id, province_id = _location(invitation.office, invitation.institution, invitation.unit)
    audit.record(actor=actor, event_type="invitation.revoked", obj=invitation,
                 before={"revoked_at": None}, after={"revoked_at": invitation.revoked_at.isoformat()},
                 institution_id=institution_id, province_id=province_id)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: Invitation) -> tuple[Invitation, str]:
    """Mail a pending invitation again with a new link, valid for another ``INVITE_DAYS`` days; the
    old link stops working."""
    invitation = _managed_invitation(actor, invitation)
    raw = new_token()
    before = invitation.expires_at.isoformat()
    invitation.token_hash = hash_token(raw)
    invitation.expires_at = timezone.now() + dt.timedelta(days=INVITE_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    institution_id, province_id = _location(invitation.office, invitation.institution, invitation.unit)
    audit.record(actor=actor, event_type="invitation.resent", obj=invitation,
                 before={"expires_at": before}, after={"expires_at": invitation.expires_at.isoformat()},
                 institution_id=institution_id, province_id=province_id)
    _mail_invitation(invitation, raw)
    return invitation, raw


def invitation_by_token(raw: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_hash=hash_token(raw)).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, raw_token: str, username: str, password: str, full_name: str = "") -> User:
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(raw_token)).first()
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("Undangan ini tidak berlaku lagi. Minta undangan baru."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    user = User(username=username, email=invitation.email, full_name=full_name or invitation.full_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(
        user=user, role=invitation.role, office=invitation.office, institution=invitation.institution,
        unit=invitation.unit,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    inst = invitation.institution or (invitation.unit.institution if invitation.unit is not None else None)
    audit.record(actor=user, event_type="invitation.accepted", obj=invitation,
                 after={"user": user.pk, "role": invitation.role},
                 institution_id=getattr(inst, "pk", None), province_id=getattr(inst, "province_id", None))
    return user


@transaction.atomic
def national_admin_create(*, username: str, email: str, password: str, full_name: str = "") -> User:
    """A national admin created from the command line (``pantau create_admin``), e.g. the first one.

    Everyone else joins by invitation. The new admin is the actor of their own audit event.
    """
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Tulis nama pengguna.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Alamat email tidak valid.")}) from exc
    user = User(username=username, email=email, full_name=full_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    audit.record(actor=user, event_type="user.national_admin_created", obj=user,
                 after={"user": user.pk, "role": Role.NATIONAL_ADMIN}, reason="pantau create_admin")
    return user


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new API token for the actor; the raw value is shown once and never stored."""
    if not name.strip():
        raise ValidationError({"name": _("Beri nama token, misalnya 'impor SIMPEL'.")})
    raw = "pnt_" + new_token()
    token = ApiToken.objects.create(user=actor, name=name.strip()[:100], prefix=raw[:8],
                                    token_hash=hash_token(raw))
    audit.record(actor=actor, event_type="api_token.created", obj=token, after={"name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    if token.user_id != actor.pk and not scope_of(actor).has(Role.NATIONAL_ADMIN):
        raise NotInScope
    if token.revoked_at is not None:
        raise ValidationError(_("Token ini sudah dicabut."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, event_type="api_token.revoked", obj=token,
                 before={"revoked_at": None}, after={"revoked_at": token.revoked_at.isoformat()})


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or timezone.now() - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


# User management: deactivate, reactivate, unlock, change or remove one role. The actor must see the
# person (else 404), never acts on their own account, and changes an account as a whole only when
# every role on it is one they manage.

def _membership_snapshot(m: Membership) -> dict[str, Any]:
    return {"membership": m.pk, "role": m.role, "office": m.office_id, "institution": m.institution_id,
            "unit": m.unit_id}


def _managed_user(actor: Any, user: User, *, self_message: str) -> User:
    from pantau.accounts.selectors import users_for

    if not users_for(actor).filter(pk=user.pk).exists():
        raise NotInScope
    if user.pk == actor.pk:
        raise ValidationError(self_message)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not scope_of(actor).has(Role.NATIONAL_ADMIN):
        memberships = Membership.objects.filter(user=locked).select_related("office", "institution",
                                                                            "unit__institution")
        if not all(may_manage(actor, m) for m in memberships):
            raise ValidationError(str(OUTSIDE))
    return locked


def _record_user_event(actor: Any, user: User, event_type: str, *, before: dict[str, Any] | None = None,
                       after: dict[str, Any] | None = None, reason: str = "") -> None:
    """One event per place the person works (each office or institution sees its own people's
    history); one without a place if they have none."""
    places = {_location(m.office, m.institution, m.unit)
              for m in Membership.objects.filter(user=user).select_related("office", "institution",
                                                                           "unit__institution")}
    for institution_id, province_id in sorted(places or {(None, None)}, key=str):
        audit.record(actor=actor, event_type=event_type, obj=user, before=before, after=after, reason=reason,
                     institution_id=institution_id, province_id=province_id)


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, reason: str = "") -> User:
    """Deactivate an account: its sessions end at the next request and its API tokens are revoked."""
    user = _managed_user(actor, user, self_message=_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not user.is_active:
        raise ValidationError(_("Akun ini sudah nonaktif."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _record_user_event(actor, user, "user.deactivated", before={"is_active": True},
                       after={"is_active": False, "api_tokens_revoked": revoked}, reason=reason.strip())
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: User, reason: str = "") -> User:
    user = _managed_user(actor, user, self_message=_("Anda tidak dapat mengubah status akun Anda sendiri."))
    if user.is_active:
        raise ValidationError(_("Akun ini sudah aktif."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record_user_event(actor, user, "user.reactivated", before={"is_active": False}, after={"is_active": True},
                       reason=reason.strip())
    return user


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> User:
    """Clear a locked account's failed sign-ins (django-axes), so the person may sign in again now."""
    from axes.utils import reset

    user = _managed_user(actor, user, self_message=_("Anda tidak dapat membuka kunci akun Anda sendiri."))
    cleared = int(reset(username=user.username))
    if not cleared:
        raise ValidationError(_("Akun ini tidak sedang dikunci."))
    _record_user_event(actor, user, "user.unlocked", after={"failed_attempts_cleared": cleared})
    return user


def _managed_membership(actor: Any, membership: Membership, *, self_message: str) -> Membership:
    locked = (Membership.objects.select_for_update(of=("self",))
              .select_related("user", "office", "institution", "unit__institution").filter(pk=membership.pk).first())
    if locked is None or not may_manage(actor, locked):
        raise NotInScope
    if locked.user_id == actor.pk:
        raise ValidationError(self_message)
    return locked


@transaction.atomic
def membership_change(*, actor: Any, membership: Membership, role: str, office: Any = None,
                      institution: Any = None, unit: Any = None, reason: str = "") -> User | None:
    """Change one role and where it applies. The actor must manage the role as it is (else 404) and
    as it becomes (else 404): nobody grants beyond what they hold. Returns the person, or None when
    nothing changed."""
    m = _managed_membership(actor, membership, self_message=_("Anda tidak dapat mengubah peran Anda sendiri."))
    where = scope_fields(role, office, institution, unit)
    if not may_grant(actor, role=role, **where):
        raise NotInScope
    before = _membership_snapshot(m)
    old_place = _location(m.office, m.institution, m.unit)
    m.role, m.office, m.institution, m.unit = role, where["office"], where["institution"], where["unit"]
    after = _membership_snapshot(m)
    if after == before:
        return None
    twin = Membership.objects.filter(user=m.user_id, role=role, **where).exclude(pk=m.pk)
    if twin.exists():
        raise ValidationError({"role": _("Pengguna ini sudah memegang peran itu di tempat yang sama.")})
    m.save(update_fields=["role", "office", "institution", "unit"])
    # Visible where the role was and where it is now: the office or institution that lost the person
    # sees where they went.
    for institution_id, province_id in dict.fromkeys([_location(**where), old_place]):
        audit.record(actor=actor, event_type="membership.changed", obj=m.user, before=before, after=after,
                     reason=reason.strip(), institution_id=institution_id, province_id=province_id)
    return m.user


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership, reason: str = "") -> User:
    """Remove one role, e.g. on a transfer (mutasi): it stops counting at the person's next request.
    Their other roles, and their account, stay."""
    m = _managed_membership(actor, membership, self_message=_("Anda tidak dapat menghapus peran Anda sendiri."))
    user = m.user
    institution_id, province_id = _location(m.office, m.institution, m.unit)
    audit.record(actor=actor, event_type="membership.removed", obj=user, before=_membership_snapshot(m),
                 after={"membership": None}, reason=reason.strip(), institution_id=institution_id,
                 province_id=province_id)
    m.delete()
    return user

