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


def may_grant(actor: Any, *, role: str, office: Any = None, institution: Any = None,
              unit: Any = None) -> bool:
    """Staff invite only within their own scope, and never to a role above their own.

    A head of office invites into the offices they head (office roles) and to the institutions in
    those offices' provinces or supervised by them; an institution admin within their institution.
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
        if inst is not None and (inst.province_id in head.province_ids or inst.office_id in head.office_ids):
            return True
    if scope.has(Role.INSTITUTION_ADMIN) and inst is not None:
        return inst.pk in scope.institution_ids
    return False


def _scope_fields(role: str, office: Any, institution: Any, unit: Any) -> dict[str, Any]:
    if role == Role.NATIONAL_ADMIN:
        return {"office": None, "institution": None, "unit": None}
    if role in OFFICE_ROLES:
        if office is None:
            raise ValidationError({"office": _("Pilih kantor Ombudsman untuk peran ini.")})
        return {"office": office, "institution": None, "unit": None}
    if role == Role.INSTITUTION_ADMIN:
        if institution is None:
            raise ValidationError({"institution": _("Pilih instansi untuk peran ini.")})
        return {"office": None, "institution": institution, "unit": None}
    if role == Role.UNIT_OPERATOR:
        if unit is None:
            raise ValidationError({"unit": _("Pilih unit layanan untuk peran ini.")})
        return {"office": None, "institution": None, "unit": unit}
    raise ValidationError({"role": _("Peran tidak dikenal.")})


@transaction.atomic
def invitation_create(*, actor: Any, email: str, full_name: str, role: str, office: Any = None,
                      institution: Any = None, unit: Any = None) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token."""
    where = _scope_fields(role, office, institution, unit)
    if not may_grant(actor, role=role, **where):
        raise NotInScope
    raw = new_token()
    invitation = Invitation.objects.create(
        email=email.strip().lower(), full_name=full_name.strip(), role=role,
        token_hash=hash_token(raw), invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=INVITE_DAYS), **where,
    )
    province_id = None
    inst = institution or (unit.institution if unit is not None else None)
    if inst is not None:
        province_id = inst.province_id
    audit.record(
        actor=actor, event_type="invitation.created", obj=invitation,
        after={"role": role, "office": getattr(office, "pk", None),
               "institution": getattr(institution, "pk", None), "unit": getattr(unit, "pk", None)},
        institution_id=getattr(inst, "pk", None), province_id=province_id,
    )
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
