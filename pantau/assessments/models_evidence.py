"""Evidence of field work (issue 8, "Evidence"): photos taken on site, documents (PDF), URLs and
notes, per item of a sampled unit (or one of its sampled products).

Files go through Django's storage API (``STORAGES["evidence"]`` when configured, else the
default storage) and are served only by a scoped view, never under a public URL. A photo is
stored re-encoded without its metadata; the time and place it was taken, read from its EXIF
before stripping, are kept here (``taken_at``, ``latitude``, ``longitude``) for the assessor and
the office staff only — never shown publicly. ``client_token`` makes an upload idempotent: the
phone sends the same token again after a lost answer and gets the stored row back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, default_storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.assessments.models_cycle import ITEM_CHARS, SampledProduct, SampledUnit

URL_CHARS = 500
NOTE_CHARS = 1000
NAME_CHARS = 200
TOKEN_CHARS = 64


def evidence_storage() -> Storage:
    """``STORAGES["evidence"]`` if the deployment names one (e.g. a private bucket), else the default."""
    return storages["evidence"] if "evidence" in settings.STORAGES else default_storage


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Foto")
        DOCUMENT = "document", _("Dokumen")
        URL = "url", _("Tautan")
        NOTE = "note", _("Catatan")

    sampled_unit = models.ForeignKey(SampledUnit, on_delete=models.PROTECT, related_name="evidence")
    sampled_product = models.ForeignKey(SampledProduct, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="evidence")
    item = models.CharField(max_length=ITEM_CHARS)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="evidence/%Y/%m/", storage=evidence_storage, max_length=255, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=NAME_CHARS, blank=True)
    url = models.URLField(max_length=URL_CHARS, blank=True)
    note = models.CharField(max_length=NOTE_CHARS, blank=True)
    # Read from the photo's EXIF before it was stripped: private (the assessor and office staff).
    taken_at = models.DateTimeField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    client_token = models.CharField(max_length=TOKEN_CHARS, unique=True)

    class Meta:
        ordering = ["sampled_unit", "sampled_product_id", "item", "pk"]
        indexes = [models.Index(fields=["sampled_unit", "item"])]

    def __str__(self) -> str:
        return f"{self.sampled_unit_id}/{self.sampled_product_id or '-'}/{self.item}/{self.kind}"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.URL:
            return self.url
        if self.kind == self.Kind.NOTE:
            return self.note
        return self.original_name or self.get_kind_display()

    def as_json(self) -> dict[str, Any]:
        return {"id": self.pk, "kind": self.kind, "kind_label": str(self.get_kind_display()), "label": self.label,
                "item": self.item, "product": self.sampled_product_id, "has_file": bool(self.file)}
