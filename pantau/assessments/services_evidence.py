"""Writes of evidence (issue 8, "Evidence"): a photo, a document (PDF), a URL or a note attached
to one item of a sampled unit. One transaction each, audit event inside (ADR 0019's placing:
the province only).

Files are checked by their content, never by their name: a photo must be an image Pillow reads
as JPEG, PNG or WebP, at most ``PHOTO_MAX_BYTES`` and ``PHOTO_MAX_PIXELS`` (checked from the
header before any pixel is decoded, so a decompression bomb is refused without being opened); it
is stored re-encoded as JPEG (orientation applied, at most ``PHOTO_MAX_SIDE`` pixels a side)
without EXIF — the time and the GPS position are read first and kept in the row. A document
must be a PDF (``%PDF-`` signature) of at most ``DOCUMENT_MAX_BYTES``.

``missing_evidence`` lists what the methodology requires and is not attached yet; submitting a
unit refuses while it is not empty.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import warnings
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from pantau.assessments import cycle_rules, services, workflow
from pantau.assessments import methodology as mdoc
from pantau.assessments.models import Answer, Period, SampledProduct, SampledUnit
from pantau.assessments.models_evidence import NAME_CHARS, NOTE_CHARS, TOKEN_CHARS, URL_CHARS, Evidence
from pantau.assessments.services_period import where
from pantau.core import audit
from pantau.core.errors import NotInScope
from pantau.core.storage_sweep import sweep_storage
from pantau.core.text import clean_text
from pantau.registry import selectors as registry

PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_PIXELS = 50_000_000  # a 50 MP phone camera; a bigger header is refused unread
PHOTO_MAX_SIDE = 2560
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "MPO")  # MPO: a JPEG some phones write with a depth map
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
KIND_LABELS = {"photo": "foto", "document": "dokumen", "url": "tautan", "note": "catatan"}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def _ratio(value: Any) -> Decimal:
    return Decimal(str(float(value)))


def _coordinate(parts: Any, ref: Any, limit: int) -> Decimal | None:
    try:
        degrees, minutes, seconds = (_ratio(p) for p in parts)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref or "").strip().upper() in ("S", "W"):
        value = -value
    if not value.is_finite() or abs(value) > limit:
        return None
    return value.quantize(Decimal("0.000001"))


def photo_metadata(exif: Image.Exif) -> dict[str, Any]:
    """When and where the photo was taken (EXIF DateTimeOriginal/DateTime, GPS), or ``None`` each."""
    taken = None
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if raw:
        try:
            naive = dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            taken = timezone.make_aware(naive)  # a camera writes local time: the site's time zone
        except (ValueError, OverflowError):
            taken = None
    gps = exif.get_ifd(GPS_IFD)
    lat = _coordinate(gps.get(2), gps.get(1), 90) if gps.get(2) else None
    lon = _coordinate(gps.get(4), gps.get(3), 180) if gps.get(4) else None
    if lat is None or lon is None:
        lat = lon = None
    return {"taken_at": taken, "latitude": lat, "longitude": lon}


def process_photo(data: bytes) -> tuple[bytes, dict[str, Any]]:
    """The photo re-encoded as JPEG without metadata, and its time and place; ``ValidationError`` in
    Indonesian when it is not a photo, too large, or too many pixels."""
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(_("Foto terlalu besar (paling besar %(max)s).") % {"max": _mb(PHOTO_MAX_BYTES)})
    not_photo = _("Berkas ini bukan foto yang dapat dibaca (JPEG, PNG atau WebP).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in PHOTO_FORMATS:
                    raise ValidationError(not_photo)
                width, height = image.size
                if width * height > PHOTO_MAX_PIXELS or width <= 0 or height <= 0:
                    raise ValidationError(_("Foto terlalu besar: %(w)d × %(h)d piksel (paling banyak %(mp)d juta "
                                            "piksel).") % {"w": width, "h": height,
                                                           "mp": PHOTO_MAX_PIXELS // 1_000_000})
                meta = photo_metadata(image.getexif())
                image.load()
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
                rgb = upright.convert("RGB")
                out = io.BytesIO()
                rgb.save(out, "JPEG", quality=85, optimize=True)  # no exif=…: nothing of the original's kept
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("Foto terlalu besar: lebih dari %(mp)d juta piksel.")
                              % {"mp": PHOTO_MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError(not_photo) from None
    return out.getvalue(), meta


def check_document(data: bytes) -> None:
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("Dokumen terlalu besar (paling besar %(max)s).") % {"max": _mb(DOCUMENT_MAX_BYTES)})
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Dokumen harus berupa PDF."))


def _read(upload: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of an upload (enough to tell that it is too large)."""
    upload.seek(0)
    data: bytes = upload.read(limit + 1)
    return data


def _check_item(document: mdoc.Methodology, item_code: str, product: bool) -> mdoc.Item:
    item = document.items.get(item_code)
    if item is None:
        raise ValidationError(_("Item %(item)s tidak ada dalam metodologi ini.") % {"item": item_code})
    if (item.level == "product") != product:
        raise ValidationError(_("Item %(item)s dijawab per %(level)s.")
                              % {"item": item.code, "level": _("produk") if item.level == "product" else _("unit")})
    return item


def _may_attach(actor: Any, sampled: SampledUnit, institution: dict[str, Any], removing: bool = False) -> bool:
    """Whether the actor reviews the unit; refuses when the unit's evidence may not change now."""
    reviewer = cycle_rules.reviews_unit(actor, sampled, institution)
    if not (reviewer or cycle_rules.answers_unit(actor, sampled)):
        raise NotInScope
    if sampled.period.status == Period.Status.DRAFT:
        raise ValidationError(_("Pengumpulan data periode ini belum dibuka."))
    if sampled.period.status not in workflow.WORKING or sampled.status == SampledUnit.Status.APPROVED:
        raise ValidationError(_("Unit ini sudah dikunci; bukti tidak dapat dihapus lagi.") if removing
                              else _("Unit ini sudah dikunci; bukti tidak dapat ditambahkan lagi."))
    if sampled.status == SampledUnit.Status.SUBMITTED and not reviewer:
        raise ValidationError(_("Unit ini sedang direviu; bukti dapat dihapus lagi bila dikembalikan.") if removing
                              else _("Unit ini sedang direviu; bukti dapat ditambahkan lagi bila dikembalikan."))
    return reviewer


def _drop_file(row: Evidence) -> None:
    if row.file:
        row.file.delete(save=False)


@transaction.atomic
def evidence_add(*, actor: Any, sampled_unit: SampledUnit, item: str, kind: str,
                 sampled_product: SampledProduct | None = None, upload: Any = None, url: str = "", note: str = "",
                 client_token: str = "") -> Evidence:
    """Attach one piece of evidence to an item. The same ``client_token`` again (a retry after a
    lost answer) returns the stored row and writes nothing."""
    token = (client_token or "").strip()[:TOKEN_CHARS] or uuid.uuid4().hex
    known = Evidence.objects.filter(client_token=token).first()
    if known is not None:
        if known.uploaded_by_id != getattr(actor, "pk", None) or known.sampled_unit_id != sampled_unit.pk:
            raise ValidationError(_("Token bukti ini sudah dipakai."))
        return known
    sampled = (SampledUnit.objects.select_for_update().select_related("period__methodology_version")
               .get(pk=sampled_unit.pk))
    institution = registry.institution_rows([sampled.institution_id])[sampled.institution_id]
    _may_attach(actor, sampled, institution)
    if sampled_product is not None and sampled_product.sampled_unit_id != sampled.pk:
        raise NotInScope
    _check_item(services.document_of(sampled.period.methodology_version), item, sampled_product is not None)
    note = clean_text(note or "", multiline=True)
    if len(note) > NOTE_CHARS:
        raise ValidationError(_("Catatan terlalu panjang (paling banyak %(n)d karakter).") % {"n": NOTE_CHARS})
    row = Evidence(sampled_unit=sampled, sampled_product=sampled_product, item=item, kind=kind, note=note,
                   uploaded_by=actor, client_token=token)
    if kind == Evidence.Kind.PHOTO:
        if upload is None:
            raise ValidationError(_("Pilih atau ambil fotonya."))
        data, meta = process_photo(_read(upload, PHOTO_MAX_BYTES))
        row.taken_at, row.latitude, row.longitude = meta["taken_at"], meta["latitude"], meta["longitude"]
        row.content_type, row.size = "image/jpeg", len(data)
        row.original_name = clean_text(str(getattr(upload, "name", "") or ""), multiline=False)[:NAME_CHARS]
        row.file.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
    elif kind == Evidence.Kind.DOCUMENT:
        if upload is None:
            raise ValidationError(_("Pilih dokumennya (PDF)."))
        data = _read(upload, DOCUMENT_MAX_BYTES)
        check_document(data)
        row.content_type, row.size = "application/pdf", len(data)
        row.original_name = clean_text(str(getattr(upload, "name", "") or ""), multiline=False)[:NAME_CHARS]
        row.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    elif kind == Evidence.Kind.URL:
        url = (url or "").strip()
        if len(url) > URL_CHARS:
            raise ValidationError(_("Tautan terlalu panjang (paling banyak %(n)d karakter).") % {"n": URL_CHARS})
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(_("Tautan harus alamat web lengkap (https://…).")) from None
        row.url = url
    elif kind == Evidence.Kind.NOTE:
        if not note:
            raise ValidationError(_("Catatan kosong."))
    else:
        raise ValidationError(_("Jenis bukti tidak dikenal."))
    try:
        with transaction.atomic():
            row.save()
            audit.record(actor=actor, event_type="evidence.added", obj=row,
                         after={"item": item, "kind": kind, "sampled_product_id": row.sampled_product_id,
                                "size": row.size}, **where(institution))
    except IntegrityError:  # the same token, saved meanwhile by a parallel retry
        _drop_file(row)
        return Evidence.objects.get(client_token=token, uploaded_by=actor)
    except BaseException:  # nothing stored: no file left behind either (a later rollback: sweep_orphans)
        _drop_file(row)
        raise
    return row


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    """Remove a piece of evidence attached by mistake while the unit is still open: its uploader
    or a reviewer. Audited with what it was; the file goes once the removal is committed."""
    sampled = (SampledUnit.objects.select_for_update().select_related("period__methodology_version")
               .get(pk=evidence.sampled_unit_id))
    institution = registry.institution_rows([sampled.institution_id])[sampled.institution_id]
    reviewer = _may_attach(actor, sampled, institution, removing=True)
    if evidence.uploaded_by_id != getattr(actor, "pk", None) and not reviewer:
        raise ValidationError(_("Hanya pengunggahnya atau peninjau unit yang dapat menghapus bukti ini."))
    name, storage = evidence.file.name if evidence.file else "", evidence.file.storage
    audit.record(actor=actor, event_type="evidence.removed", obj=evidence,
                 before={"item": evidence.item, "kind": evidence.kind,
                         "sampled_product_id": evidence.sampled_product_id, "size": evidence.size,
                         "name": evidence.original_name or evidence.url or evidence.note[:80]},
                 **where(institution))
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def sweep_orphans(older_than: dt.timedelta, dry_run: bool = False) -> list[str]:
    """Files in the evidence storage that no row names (a transaction rolled back after the file
    was written), older than ``older_than`` so an upload in flight is never touched; deleted
    unless ``dry_run``. Walks one month's folder at a time (bounded memory)."""
    return sweep_storage(Evidence._meta.get_field("file").storage, "evidence", older_than, dry_run=dry_run,
                         known=lambda folder: set(Evidence.objects.filter(file__startswith=f"{folder}/")
                                                  .values_list("file", flat=True)))


def missing_evidence(sampled: SampledUnit, document: mdoc.Methodology) -> list[str]:
    """What the methodology requires for the answered items and is not attached yet, as
    ``item (produk <id>): foto, dokumen``. An item answered "tidak berlaku" needs none."""
    have: set[tuple[int | None, str, str]] = set(
        Evidence.objects.filter(sampled_unit=sampled).values_list("sampled_product_id", "item", "kind"))
    products = dict(sampled.products.values_list("pk", "product_id"))
    missing = []
    answers = Answer.objects.filter(sampled_unit=sampled, value__isnull=False).values_list("sampled_product_id", "item")
    for product_id, code in sorted(answers, key=lambda a: (a[0] or 0, a[1])):
        item = document.items.get(code)
        if item is None:
            continue
        lacking = [KIND_LABELS.get(k, k) for k in item.evidence if (product_id, code, k) not in have]
        if lacking:
            where_ = f"{code} (produk {products.get(product_id, product_id)})" if product_id else code
            missing.append(f"{where_}: {', '.join(lacking)}")
    return missing
