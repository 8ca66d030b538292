"""Issuing, revoking and checking Open311 API keys. The key is shown once, when it is issued; only its
SHA-256 hash and a short prefix are stored. Issuing and revoking are audited."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.core import audit
from pantau.open311.models import ApiClient

KEY_START = "o311_"
MAX_KEY_LENGTH = 100
SYSTEM = "system:open311"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def _may_issue(actor: Any) -> bool:
    """A national admin (or a command run on the server: ``actor`` is a ``system:…`` name)."""
    if isinstance(actor, str):
        return actor.startswith("system:")
    from pantau.accounts.models import Role
    from pantau.accounts.scope import scope_of

    return bool(getattr(actor, "is_authenticated", False) and scope_of(actor).has(Role.NATIONAL_ADMIN))


@transaction.atomic
def client_issue(*, actor: Any, name: str, hourly_limit: int = 60) -> tuple[ApiClient, str]:
    """A new API client and its key (returned once, never stored in clear)."""
    if not _may_issue(actor):
        raise ValidationError(_("Hanya admin nasional yang dapat menerbitkan kunci API Open311."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Isi nama aplikasi yang memakai kunci ini.")})
    if not 1 <= hourly_limit <= 100_000:
        raise ValidationError({"hourly_limit": _("Batas per jam harus antara 1 dan 100.000.")})
    raw = KEY_START + secrets.token_urlsafe(32)
    client = ApiClient(name=name, key_prefix=raw[:12], key_hash=key_hash(raw), hourly_limit=hourly_limit,
                       created_by=actor if getattr(actor, "is_authenticated", False) else None)
    client.full_clean()
    client.save()
    audit.record(actor=actor, event_type="open311.client_issued", obj=client,
                 after={"name": client.name, "key_prefix": client.key_prefix, "hourly_limit": hourly_limit})
    return client, raw


@transaction.atomic
def client_revoke(*, actor: Any, client: ApiClient) -> ApiClient:
    if not _may_issue(actor):
        raise ValidationError(_("Hanya admin nasional yang dapat mencabut kunci API Open311."))
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.is_active:
        client.is_active, client.revoked_at = False, timezone.now()
        client.save(update_fields=["is_active", "revoked_at"])
        audit.record(actor=actor, event_type="open311.client_revoked", obj=client,
                     before={"is_active": True}, after={"is_active": False})
    return client


def client_for_key(raw: str) -> ApiClient | None:
    """The active client of ``raw`` (one indexed query), else ``None``."""
    raw = (raw or "").strip()
    if not raw.startswith(KEY_START) or len(raw) > MAX_KEY_LENGTH:
        return None
    return ApiClient.objects.filter(key_hash=key_hash(raw), is_active=True).first()
