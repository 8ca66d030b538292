"""Attachments of a case: checked and made safe by ``attachments.sanitise`` (type by content, images
re-encoded without metadata, Office files flagged for hidden sheets, rows and columns), stored in the
private ``complaints`` storage under a random name, and served only through :func:`open_for_staff` /
:func:`open_for_reporter`, which check who asks and audit each download by staff."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from pantau.complaints import attachments
from pantau.complaints.messages import translate
from pantau.complaints.models import Attachment, Case, Event
from pantau.complaints.selectors import cases_q, may_see_identity, roles_on
from pantau.core import audit
from pantau.core.storage_sweep import sweep_storage

PROVIDER_ROLES = frozenset({"institution_admin", "unit_operator"})


def attach(*, case: Case, uploads: Iterable[Any], source: str, actor: Any = None,
           event: Event | None = None) -> list[Attachment]:
    """Store ``uploads`` (Django ``UploadedFile`` objects, read in chunks with limits) on ``case``. Run it
    inside the transaction that writes the case or message they belong to: a refused file raises
    ``ValidationError`` (Indonesian, naming the file) and nothing of this call is kept — files already
    written by it are removed; the caller's transaction rolls back the rows."""
    if not connection.in_atomic_block:
        raise RuntimeError("files.attach must run inside the caller's transaction")
    uploads = [u for u in uploads if u is not None and bool(getattr(u, "name", None))]
    if not uploads:
        return []
    sizes = list(case.attachments.values_list("size", flat=True))
    written: list[str] = []
    created: list[Attachment] = []
    storage = Attachment._meta.get_field("file").storage
    try:
        for upload in uploads:
            attachments.check_report([*sizes, 0])
            clean = attachments.sanitise(upload, upload.name, content_type=getattr(upload, "content_type", None))
            sizes.append(clean.size)
            attachments.check_report(sizes)
            now = timezone.now()
            path = storage.save(f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.data))
            written.append(path)
            item = Attachment(case=case, event=event, source=source, name=clean.name,
                              content_type=clean.content_type, size=clean.size, sha256=clean.sha256,
                              flags=list(clean.flags), uploaded_by=actor if getattr(actor, "pk", None) else None)
            item.file.name = path
            item.save()
            created.append(item)
    except attachments.AttachmentRefused as refused:
        for path in written:
            storage.delete(path)
        raise ValidationError({"lampiran": translate(refused.message)}) from None
    except Exception:
        for path in written:
            storage.delete(path)
        raise
    # A later rollback of the caller's transaction leaves these files without a row: the daily
    # ``complaints_daily`` run removes such files (:func:`sweep_orphans`).
    return created


def sweep_orphans(older_than: dt.timedelta, dry_run: bool = False) -> list[str]:
    """Attachment files that no row names, older than ``older_than``; deleted unless ``dry_run``."""
    return sweep_storage(Attachment._meta.get_field("file").storage, "", older_than, dry_run=dry_run,
                         known=lambda folder: set(Attachment.objects.filter(file__startswith=f"{folder}/")
                                                  .values_list("file", flat=True)))


def _serve(item: Attachment) -> tuple[Any, Attachment]:
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return handle, item


def visible_to_staff(user: Any, case: Case) -> Any:
    """The attachments of ``case`` that ``user`` (who may see the case) may open. The reporter's files may
    show identity documents: only those who may see the identity open them (intake, the assigned examiner;
    the head too when the reporter chose *public*). Ombudsman staff of the office and national oversight open
    the staff's and the provider's files; provider staff only what a provider gave."""
    roles = set(roles_on(user, case))
    sources: set[str] = set()
    if may_see_identity(user, case):
        sources.add(Attachment.Source.REPORTER)
    if roles - PROVIDER_ROLES or (not roles and cases_q(user) is None):
        sources |= {Attachment.Source.STAFF, Attachment.Source.PROVIDER}
    if roles & PROVIDER_ROLES:
        sources.add(Attachment.Source.PROVIDER)
    return case.attachments.filter(source__in=sorted(sources))


def open_for_staff(user: Any, case: Case, pk: int) -> tuple[Any, Attachment]:
    item = visible_to_staff(user, case).filter(pk=pk).first()
    if item is None:
        raise Http404
    with transaction.atomic():
        audit.record(actor=user, event_type="case.attachment_downloaded", obj=case, after={"attachment": item.pk},
                     institution_id=case.institution_id, province_id=case.province_id)
    return _serve(item)


def open_for_reporter(case: Case, pk: int) -> tuple[Any, Attachment]:
    """A file the reporter gave, through their tracking link."""
    item = case.attachments.filter(pk=pk, source=Attachment.Source.REPORTER).first()
    if item is None:
        raise Http404
    return _serve(item)
