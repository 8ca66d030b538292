"""Assessment methodologies stored in the database: a methodology and its versions.

A version holds the loaded document (``methodology.Methodology.to_dict()``, checked by the loader)
as JSON with a content hash, where it came from and who loaded it. Once frozen (a period uses it,
or staff freeze it) its document never changes: ``services`` refuses, and ``save`` refuses too
(ADR 0018).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Bounds (the loader's own: an id has at most 63 characters; see methodology_check.ID_RE).
SLUG_CHARS = 63
VERSION_CHARS = 20
TITLE_CHARS = 300
ERA_CHARS = 40
FILE_CHARS = 255
HASH_CHARS = 64  # sha-256, hex


class FrozenVersionError(Exception):
    """A change to the document of a frozen methodology version."""


class DocumentEncoder(json.JSONEncoder):
    """Decimals as JSON numbers (whole numbers as integers). ``services`` only stores documents
    whose every number survives this exactly (read back by ``DocumentDecoder`` as a Decimal)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


class DocumentDecoder(json.JSONDecoder):
    """Numbers with a fraction read as Decimal (``21.85`` stays exactly 21.85)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["parse_float"] = Decimal
        super().__init__(*args, **kwargs)


class VersionQuerySet(models.QuerySet["MethodologyVersion"]):
    def update(self, **kwargs: Any) -> int:
        """A bulk update may not touch the document of a frozen version either."""
        if {"document", "content_hash"} & set(kwargs) and self.filter(frozen_at__isnull=False).exists():
            raise FrozenVersionError("a frozen methodology version's document cannot change")
        return super().update(**kwargs)


class Methodology(models.Model):
    """A methodology by its id (``ombudsman-2022``); title and era of its newest stored version."""

    slug = models.SlugField(max_length=SLUG_CHARS, unique=True)
    title = models.CharField(max_length=TITLE_CHARS)
    era = models.CharField(max_length=ERA_CHARS)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("metodologi penilaian")
        verbose_name_plural = _("metodologi penilaian")

    def __str__(self) -> str:
        return self.slug


class MethodologyVersion(models.Model):
    """One version of a methodology, as loaded (or copied), frozen once used."""

    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=VERSION_CHARS)
    title = models.CharField(max_length=TITLE_CHARS)
    official = models.BooleanField(default=False)
    document = models.JSONField(encoder=DocumentEncoder, decoder=DocumentDecoder)
    content_hash = models.CharField(max_length=HASH_CHARS)
    source_file = models.CharField(max_length=FILE_CHARS, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    loaded_by_name = models.CharField(max_length=150, blank=True)  # a user's name or "system:…"
    changed_at = models.DateTimeField(auto_now=True)  # the public pages' cache stamp
    frozen_at = models.DateTimeField(null=True, blank=True)
    is_custom = models.BooleanField(default=False)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies")

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["methodology__slug", "pk"]
        verbose_name = _("versi metodologi")
        verbose_name_plural = _("versi metodologi")
        constraints = [
            models.UniqueConstraint(fields=["methodology", "version"], name="assessments_methodology_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.methodology_id and self.methodology.slug}@{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to store another document over a frozen one, whatever path the change came by."""
        stored = getattr(self, "_stored", {})
        if stored.get("frozen_at") is not None and stored.get("content_hash", self.content_hash) != self.content_hash:
            raise FrozenVersionError(f"{self} is frozen: its document cannot change")
        super().save(*args, **kwargs)
        self._stored = {"content_hash": self.content_hash, "frozen_at": self.frozen_at}

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> MethodologyVersion:
        instance: MethodologyVersion = super().from_db(db, field_names, values, **kwargs)
        names = list(field_names)
        instance._stored = {name: values[names.index(name)] for name in ("content_hash", "frozen_at")
                            if name in names}
        return instance

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


# The cycle's models live beside (ADR 0019); imported here so that Django finds them.
from pantau.assessments.models_cycle import (  # noqa: E402
    Answer,
    Assignment,
    Contest,
    Period,
    PublishedResultError,
    Result,
    ReturnedItem,
    SampledProduct,
    SampledUnit,
    SampleRule,
)
from pantau.assessments.models_evidence import Evidence  # noqa: E402

__all__ = ["Answer", "Assignment", "Contest", "DocumentDecoder", "DocumentEncoder", "Evidence", "FrozenVersionError",
           "Methodology", "MethodologyVersion", "Period", "PublishedResultError", "Result", "ReturnedItem",
           "SampleRule", "SampledProduct", "SampledUnit"]
