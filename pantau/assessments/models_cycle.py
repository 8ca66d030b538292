"""The assessment cycle (issue 8, "The cycle"; ADR 0019): a period, its sample of units and
products, the assessors assigned to them, the answers, the review, the providers' contests and
the stored results.

Statuses are never assigned by hand: ``workflow.py`` holds the one transition table of a period
and the one of a sampled unit, and the services move them through it. Every text is bounded;
every number is a ``Decimal``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pantau.assessments.models import DocumentDecoder, DocumentEncoder, MethodologyVersion
from pantau.core.fields import BoundedTextField

ITEM_CHARS = 63  # an item code (the loader's id bound)
REASON_CHARS = 500  # N/A reasons, reasons for a change, decisions
COMMENT_CHARS = 1000  # a reviewer's comment on a returned item
CONTEST_CHARS = 2000  # a provider's objection
EVIDENCE_CHARS = 500  # a reference to evidence (a URL, a letter number, a file name)
NAME_CHARS = 150

# Answers: ordinal 0–5, yes/no 0–1 and numeric 0–100 fit with room; 4 decimals are enough for any
# scale a methodology file writes (a value with more is refused, not rounded).
VALUE_DIGITS = 9
VALUE_PLACES = 4


class Period(models.Model):
    """An assessment period: a year, a frozen methodology version, institutions, dates, a status."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Penilaian resmi Ombudsman")
        SELF = "self", _("Penilaian mandiri")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Disiapkan")
        COLLECTION = "collection", _("Pengumpulan data")
        REVIEW = "review", _("Reviu")
        RESPONSE = "response", _("Tanggapan penyelenggara")
        PUBLISHED = "published", _("Dipublikasikan")

    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)
    methodology_version = models.ForeignKey(MethodologyVersion, on_delete=models.PROTECT, related_name="periods")
    # The office that runs an official period (null: the national office). A self-assessment
    # belongs to one institution (``owner``) and is run by its admin.
    office = models.ForeignKey("registry.Office", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="assessment_periods")
    owner = models.ForeignKey("registry.Institution", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="self_assessments")
    institutions = models.ManyToManyField("registry.Institution", related_name="assessment_periods")
    collection_start = models.DateField()
    collection_end = models.DateField()
    review_end = models.DateField()
    response_start = models.DateField()
    response_end = models.DateField()
    publication_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(name="assessments_period_kind_owner",
                                   condition=Q(kind="official", owner__isnull=True)
                                   | Q(kind="self", owner__isnull=False, office__isnull=True)),
            models.CheckConstraint(name="assessments_period_dates_in_order",
                                   condition=Q(collection_start__lte=models.F("collection_end"))
                                   & Q(collection_end__lte=models.F("review_end"))
                                   & Q(review_end__lte=models.F("response_start"))
                                   & Q(response_start__lte=models.F("response_end"))
                                   & Q(response_end__lte=models.F("publication_date"))),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL


class SampleRule(models.TextChoices):
    """How a unit or product came into the sample (``sampling.py`` documents each rule)."""

    ALL = "all", _("Semua unit dan produk aktif")
    LOCI_2022 = "loci-2022", _("Lokus Pemda 2022–2023 (§2.6)")
    FIRST_N = "first-n", _("N unit pertama tiap jenis")
    HAND = "hand", _("Dipilih manual")


class SampledUnit(models.Model):
    """A unit of an institution in the period's sample, with its review status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Diisi")
        SUBMITTED = "submitted", _("Diajukan untuk reviu")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
        APPROVED = "approved", _("Disetujui")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="sampled_units")
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.ServiceUnit", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=12, choices=SampleRule.choices)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen_by_name = models.CharField(max_length=NAME_CHARS)
    chosen_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period", "institution_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="assessments_sampled_unit_once")]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.unit_id}"


class SampledProduct(models.Model):
    sampled_unit = models.ForeignKey(SampledUnit, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey("registry.ServiceProduct", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=12, choices=SampleRule.choices)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen_by_name = models.CharField(max_length=NAME_CHARS)
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sampled_unit", "product_id"]
        constraints = [models.UniqueConstraint(fields=["sampled_unit", "product"],
                                               name="assessments_sampled_product_once")]

    def __str__(self) -> str:
        return f"{self.sampled_unit_id}/{self.product_id}"


class Assignment(models.Model):
    """An assessor assigned to a sampled unit (their work list)."""

    sampled_unit = models.ForeignKey(SampledUnit, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sampled_unit", "assessor"], name="assessments_assigned_once")]

    def __str__(self) -> str:
        return f"{self.sampled_unit_id}:{self.assessor_id}"


class Answer(models.Model):
    """One item answered for a sampled unit (or one of its sampled products). ``revision`` counts
    the saves: a save names the revision it started from, and a different one is a conflict."""

    sampled_unit = models.ForeignKey(SampledUnit, on_delete=models.PROTECT, related_name="answers")
    sampled_product = models.ForeignKey(SampledProduct, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="answers")
    item = models.CharField(max_length=ITEM_CHARS)
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True)
    reason = models.CharField(max_length=REASON_CHARS, blank=True)  # why N/A
    revision = models.PositiveIntegerField(default=0)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sampled_unit", "sampled_product_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["sampled_unit", "item"], condition=Q(sampled_product__isnull=True),
                                    name="assessments_unit_item_once"),
            models.UniqueConstraint(fields=["sampled_unit", "sampled_product", "item"],
                                    condition=Q(sampled_product__isnull=False), name="assessments_product_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sampled_unit_id}/{self.sampled_product_id or '-'}/{self.item}"


class ReturnedItem(models.Model):
    """An item a reviewer returned with a comment; resolved when the assessor saves it again."""

    sampled_unit = models.ForeignKey(SampledUnit, on_delete=models.CASCADE, related_name="returned_items")
    sampled_product = models.ForeignKey(SampledProduct, null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="+")
    item = models.CharField(max_length=ITEM_CHARS)
    comment = models.CharField(max_length=COMMENT_CHARS)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    returned_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sampled_unit", "pk"]

    def __str__(self) -> str:
        return f"{self.sampled_unit_id}/{self.item}"


class Contest(models.Model):
    """A provider's objection to one answer during the response window, and the office's decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu keputusan")
        ACCEPTED = "accepted", _("Diterima")
        REJECTED = "rejected", _("Ditolak")

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="contests")
    text = BoundedTextField(max_length=CONTEST_CHARS)
    evidence = models.CharField(max_length=EVIDENCE_CHARS, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=REASON_CHARS, blank=True)
    old_value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True)
    new_value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"contest {self.pk}"


class PublishedResultError(Exception):
    """A change to a published result (a correction is a new version instead)."""


# What a correction may still change on a published row: it stops being the current version.
MUTABLE_AFTER_PUBLICATION = frozenset({"is_current"})


class ResultQuerySet(models.QuerySet["Result"]):
    def update(self, **kwargs: Any) -> int:
        """A bulk update may not change a published row either (publication itself sets
        ``is_published`` on rows that are not yet published)."""
        if set(kwargs) - MUTABLE_AFTER_PUBLICATION and self.filter(is_published=True).exists():
            raise PublishedResultError("published results cannot change; store a corrected version")
        return super().update(**kwargs)


class Result(models.Model):
    """A stored score of a product, unit or institution in a period, with how it was made.

    ``key`` names the scored object (``i:<institution>``, ``u:<sampled unit>``, ``p:<sampled
    product>``). A key has one current row; a correction after publication adds the next
    ``version`` and keeps the old row (``is_current`` false)."""

    class Level(models.TextChoices):
        INSTITUTION = "institution", _("Instansi")
        UNIT = "unit", _("Unit layanan")
        PRODUCT = "product", _("Produk layanan")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="results")
    key = models.CharField(max_length=24)
    level = models.CharField(max_length=12, choices=Level.choices)
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="+")
    sampled_unit = models.ForeignKey(SampledUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sampled_product = models.ForeignKey(SampledProduct, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    methodology_version = models.ForeignKey(MethodologyVersion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2)  # as shown: rounded by the methodology's rule
    exact = models.CharField(max_length=64)  # the Decimal scoring made, as a string (recomputes bit-for-bit)
    category = models.CharField(max_length=20)
    category_label = models.CharField(max_length=100)
    zone = models.CharField(max_length=10)
    breakdown = models.JSONField(encoder=DocumentEncoder, decoder=DocumentDecoder)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    is_published = models.BooleanField(default=False)
    reason = models.CharField(max_length=REASON_CHARS, blank=True)  # why a correction was made
    computed_by_name = models.CharField(max_length=NAME_CHARS)
    computed_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["period", "key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "key", "version"], name="assessments_result_version_once"),
            models.UniqueConstraint(fields=["period", "key"], condition=Q(is_current=True),
                                    name="assessments_result_one_current"),
        ]
        indexes = [models.Index(fields=["period", "is_current", "level"]),
                   # one institution's rows of a period (its results page, rapor, API): a few rows
                   models.Index(fields=["institution", "period", "level"], name="assessments_result_institution")]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.key}@{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to change a published row, whatever path the change came by (only ``is_current``
        may turn false when a correction supersedes it)."""
        stored = getattr(self, "_stored", None)
        if stored is not None and stored["is_published"]:
            changed = {f for f, v in stored.items() if getattr(self, f) != v} - MUTABLE_AFTER_PUBLICATION
            if changed:
                raise PublishedResultError(f"result {self} is published: {', '.join(sorted(changed))} cannot change")
        super().save(*args, **kwargs)
        self._stored = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Result:
        instance: Result = super().from_db(db, field_names, values, **kwargs)
        instance._stored = dict(zip(field_names, values, strict=True))
        return instance
