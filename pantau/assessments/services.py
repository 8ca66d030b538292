"""Writes of methodology versions. Each runs in one transaction and writes its audit event there.

- ``load_version``: store a checked methodology (from a file) under its id and version; the same
  content again changes nothing, another content under a stored (id, version) is refused.
- ``copy_version``: an editable custom copy under a new id and version (self-assessment).
- ``update_version``: replace the document of a custom copy that is not frozen.
- ``freeze``: from now on the version's document never changes.

Actors: a user (national admins only, for now) or a system actor such as
``"system:load_methodologies"`` (the command, ``manage.py`` access to the server).
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pantau.accounts.rules import is_national_admin
from pantau.assessments import methodology as mdoc
from pantau.assessments.models import (
    VERSION_CHARS,
    DocumentEncoder,
    FrozenVersionError,
    Methodology,
    MethodologyVersion,
)
from pantau.core import audit
from pantau.core.errors import NotInScope

SYSTEM_ACTOR = "system:load_methodologies"
VERSION_RE = re.compile(rf"^[0-9A-Za-z][0-9A-Za-z._-]{{0,{VERSION_CHARS - 1}}}$")
FILE_CHARS = 255


class VersionConflict(ValueError):
    """A document that cannot be stored as asked (another content under a stored version, a bad
    version name, a frozen version); the message says which and what to do."""


def _may_manage(actor: Any) -> bool:
    if isinstance(actor, str):
        return actor.startswith("system:")
    return bool(getattr(actor, "is_authenticated", False) and is_national_admin(actor))


def _check_actor(actor: Any) -> None:
    if not _may_manage(actor):
        raise NotInScope


def canonical(document: mdoc.Methodology) -> dict[str, Any]:
    """The stored form of a methodology: its file form, every number read back exactly.

    Refuses a number that JSON would not keep exactly (more than 15 significant digits)."""
    data = document.to_dict()
    text = json.dumps(data, cls=DocumentEncoder, ensure_ascii=False)
    back: dict[str, Any] = json.loads(text, parse_float=Decimal)
    if mdoc.from_dict(back, source=document.id) != document:
        raise VersionConflict(f"{document.id}@{document.version}: a number has more digits than can be stored "
                              "exactly (at most 15 significant digits)")
    return back


def content_hash(data: dict[str, Any]) -> str:
    """sha-256 of the document's canonical JSON (sorted keys, no spaces): the same content, however
    the file was written (TOML or JSON, comments, key order, 88.00 or 88), has the same hash."""
    text = json.dumps(data, cls=DocumentEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def document_of(version: MethodologyVersion) -> mdoc.Methodology:
    """The stored document as the loader's objects (checked again: a stored document is a valid one)."""
    return mdoc.from_dict(version.document, source=f"{version.methodology.slug}@{version.version}")


def _actor_fields(actor: Any) -> dict[str, Any]:
    if isinstance(actor, str):
        return {"loaded_by": None, "loaded_by_name": actor[:150]}
    return {"loaded_by": actor, "loaded_by_name": getattr(actor, "username", "")[:150]}


def _summary(version: MethodologyVersion) -> dict[str, Any]:
    return audit.snapshot(version, ("version", "title", "content_hash", "source_file", "is_custom",
                                    "copied_from_id", "frozen_at"))


def _store(actor: Any, document: mdoc.Methodology, *, source_file: str = "", is_custom: bool = False,
           copied_from: MethodologyVersion | None = None) -> tuple[MethodologyVersion, bool]:
    if not VERSION_RE.match(document.version):
        raise VersionConflict(f"{document.id}: version {document.version!r} must be 1–{VERSION_CHARS} letters, "
                              "digits, '.', '_' or '-' (it is part of the page address), e.g. '1.0'")
    data = canonical(document)
    digest = content_hash(data)
    methodology, created = Methodology.objects.select_for_update().get_or_create(
        slug=document.id, defaults={"title": document.title[:300], "era": document.era[:40]})
    stored = MethodologyVersion.objects.filter(methodology=methodology, version=document.version).first()
    if stored is not None:
        if stored.content_hash == digest:
            return stored, False
        raise VersionConflict(
            f"{document.id}@{document.version}: another content is already stored under this version "
            f"(loaded {stored.loaded_at:%Y-%m-%d} from {stored.source_file or 'a copy'}, "
            f"hash {stored.content_hash[:12]}, "
            f"this file {digest[:12]}). A stored version never changes: give the changed file a new version.")
    if not created and (methodology.title, methodology.era) != (document.title[:300], document.era[:40]):
        methodology.title, methodology.era = document.title[:300], document.era[:40]
        methodology.save(update_fields=["title", "era"])
    version = MethodologyVersion.objects.create(
        methodology=methodology, version=document.version, title=document.title[:300], official=document.official,
        document=data, content_hash=digest, source_file=source_file[:FILE_CHARS], is_custom=is_custom,
        copied_from=copied_from, **_actor_fields(actor))
    return version, True


@transaction.atomic
def load_version(actor: Any, document: mdoc.Methodology, *, source_file: str = "") -> tuple[MethodologyVersion, bool]:
    """Store a checked methodology (``methodology.load`` of a file); ``(version, created)``.

    The same content under its (id, version) again: nothing changes, no audit event. Another
    content under a stored (id, version): ``VersionConflict``, nothing written."""
    _check_actor(actor)
    version, created = _store(actor, document, source_file=source_file or document.origin.rsplit("/", 1)[-1])
    if created:
        audit.record(actor=actor, event_type="methodology.loaded", obj=version, after=_summary(version))
    return version, created


@transaction.atomic
def copy_version(actor: Any, source: MethodologyVersion, new_id: str, new_version: str,
                 title: str | None = None) -> MethodologyVersion:
    """An editable (custom, unofficial) copy of ``source`` under a new id and version."""
    _check_actor(actor)
    document = document_of(source).copy_as(new_id, new_version, title=title)
    mdoc.from_dict(document.to_dict(), source=new_id)  # the new id and version pass the loader's checks
    if Methodology.objects.filter(slug=new_id, versions__version=new_version).exists():
        raise VersionConflict(f"{new_id}@{new_version}: this version already exists; choose another version")
    copy, _ = _store(actor, document, is_custom=True, copied_from=source)
    audit.record(actor=actor, event_type="methodology.copied", obj=copy, after=_summary(copy),
                 reason=f"copy of {source}")
    return copy


@transaction.atomic
def update_version(actor: Any, version: MethodologyVersion, document: mdoc.Methodology,
                   reason: str = "") -> MethodologyVersion:
    """Replace the document of a custom copy that is not frozen (same id and version)."""
    _check_actor(actor)
    current = MethodologyVersion.objects.select_for_update().select_related("methodology").get(pk=version.pk)
    where = f"{current.methodology.slug}@{current.version}"
    if current.is_frozen:
        raise FrozenVersionError(f"{where} is frozen (since {current.frozen_at:%Y-%m-%d}): its document cannot "
                                 "change. Copy it under a new version and edit the copy.")
    if not current.is_custom:
        raise VersionConflict(f"{where} was loaded from a file: load a changed file under a new version instead")
    if (document.id, document.version) != (current.methodology.slug, current.version):
        raise VersionConflict(f"{where}: the document is {document.id}@{document.version}; id and version must stay")
    data = canonical(document)
    digest = content_hash(data)
    if digest == current.content_hash:
        return current
    before = _summary(current)
    current.document, current.content_hash = data, digest
    current.title, current.official = document.title[:300], document.official
    current.save()
    audit.record(actor=actor, event_type="methodology.updated", obj=current, before=before, after=_summary(current),
                 reason=reason)
    return current


@transaction.atomic
def freeze(version: MethodologyVersion, *, actor: Any = "system:assessments", reason: str = "") -> MethodologyVersion:
    """Freeze a version (idempotent): its document can never change again."""
    _check_actor(actor)
    current = MethodologyVersion.objects.select_for_update().select_related("methodology").get(pk=version.pk)
    if current.is_frozen:
        return current
    before = _summary(current)
    current.frozen_at = timezone.now()
    current.save(update_fields=["frozen_at", "changed_at"])
    audit.record(actor=actor, event_type="methodology.frozen", obj=current, before=before, after=_summary(current),
                 reason=reason)
    version.frozen_at = current.frozen_at
    return current
