"""Regions, Ombudsman offices, providers (institutions), their units, products and standards."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pantau.core.fields import BoundedTextField
from pantau.core.text import fold_key

# Bounds of the texts providers type (issue 6, item 2): generous for any real standard, small
# enough that no page, board, export or import is made slow by one record. Forms, the API
# schemas and the import columns take them from these fields.
LIST_CHARS = 6000  # components written one item per line (requirements, procedure, …)
LIST_LINES = 60
LINE_CHARS = 500
PROSE_CHARS = 3000  # every other long text


def _list_text() -> BoundedTextField:
    return BoundedTextField(blank=True, max_length=LIST_CHARS, max_lines=LIST_LINES, max_line_length=LINE_CHARS)


def _prose() -> BoundedTextField:
    return BoundedTextField(blank=True, max_length=PROSE_CHARS)


# The code of a "this name is already taken here" constraint error (services attach it to ``name``).
DUPLICATE_NAME = "duplicate_name"


class NameKeyed(models.Model):
    """A model whose ``name`` is unique by its folded key (``pantau.core.text.fold_key``): names
    that differ only by case, spacing, invisible characters or lookalike letters are the same name.
    The key is set in ``clean`` (so ``full_clean`` checks the constraint) and again on every save."""

    name: Any
    name_key = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = fold_key(self.name or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.name_key = fold_key(self.name or "")


class Province(models.Model):
    """A province with its Kemendagri code (``63`` = Kalimantan Selatan)."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota) with its Kemendagri code (``63.09`` = Tabalong)."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(max_length=5, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        return self.name


# A region's boundary lives in its own table (ADR 0015): the GeoJSON is 47 KB on average and
# every list that joins a province or regency would otherwise carry it along. Only the map
# (``regionmap``) and ``load_regions`` read or write these rows.
class ProvinceBoundary(models.Model):
    province = models.OneToOneField(Province, primary_key=True, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.TextField(help_text="GeoJSON geometry (WGS84)")

    def __str__(self) -> str:
        return str(self.pk)


class RegencyBoundary(models.Model):
    regency = models.OneToOneField(Regency, primary_key=True, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.TextField(help_text="GeoJSON geometry (WGS84)")

    def __str__(self) -> str:
        return str(self.pk)


class Office(models.Model):
    """An Ombudsman RI office: the national office or a provincial representative (perwakilan)."""

    name = models.CharField(max_length=150, unique=True)
    is_national = models.BooleanField(default=False)
    provinces = models.ManyToManyField(Province, blank=True, related_name="offices")
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    # The office's code at the end of a complaint's tracking number (``0179/LM/VI/2022/BJM``).
    code = models.CharField(_("kode kantor"), max_length=8, blank=True)

    class Meta:
        ordering = ["-is_national", "name"]
        verbose_name = _("kantor Ombudsman")
        verbose_name_plural = _("kantor Ombudsman")

    def __str__(self) -> str:
        return self.name


class Institution(NameKeyed):
    """A public-service provider (penyelenggara): a ministry, agency, regional government, BUMN/D."""

    class Kind(models.TextChoices):
        KEMENTERIAN = "kementerian", _("Kementerian")
        LEMBAGA = "lembaga", _("Lembaga")
        PEMPROV = "pemprov", _("Pemerintah provinsi")
        PEMKAB = "pemkab", _("Pemerintah kabupaten")
        PEMKOT = "pemkot", _("Pemerintah kota")
        BUMN = "bumn", _("BUMN")
        BUMD = "bumd", _("BUMD")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="institutions"
    )
    regency = models.ForeignKey(
        Regency, null=True, blank=True, on_delete=models.PROTECT, related_name="institutions"
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="institutions",
        help_text=_("Kantor Ombudsman yang mengawasi"),
    )
    website = models.URLField(blank=True)
    # Summary rows (ADR 0014), kept by the services in the same transaction as the write that changes
    # them (``completeness.touch``), summed from its units' ``UnitSummary`` rows: the staff list
    # orders by ``completeness``, least first; the dashboard and the region rows add them up.
    product_count = models.PositiveIntegerField(default=0, editable=False)  # active products
    score_sum = models.PositiveIntegerField(default=0, editable=False)  # items present, all products
    completeness = models.PositiveSmallIntegerField(default=0, editable=False)  # percent, 0 without products
    unit_count = models.PositiveIntegerField(default=0, editable=False)  # active units
    public_count = models.PositiveIntegerField(default=0, editable=False)  # products on the public site
    public_score_sum = models.PositiveIntegerField(default=0, editable=False)  # items present among them
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"], name="institution_name_key_unique", violation_error_code=DUPLICATE_NAME,
                violation_error_message=_("Sudah ada instansi dengan nama ini; pakai nama lain."),
            )
        ]
        indexes = [
            models.Index(fields=["province", "name"]), models.Index(fields=["regency"]),
            models.Index(fields=["updated_at"]),  # selectors.registry_stamp
            models.Index(fields=["completeness", "name"]),  # the staff list, least complete first
            models.Index(fields=["province", "completeness", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceUnit(NameKeyed):
    """A unit that serves the public: an OPD (dinas, badan), kecamatan, RSUD, puskesmas, MPP …"""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan/desa")
        RSUD = "rsud", _("Rumah sakit (RSUD)")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        MPP = "mpp", _("Mal Pelayanan Publik")
        SEKOLAH = "sekolah", _("Sekolah")
        KANTOR = "kantor", _("Kantor/unit vertikal")
        LAINNYA = "lainnya", _("Lainnya")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DINAS)
    address = models.CharField(max_length=255, blank=True)
    regency = models.ForeignKey(
        Regency, null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The unit's maklumat pelayanan (service pledge) and facilities for vulnerable groups
    # (UU 25/2009 Pasal 22 and 29): shown beside every product standard of the unit.
    maklumat = _prose()
    maklumat_date = models.DateField(null=True, blank=True)
    vulnerable_facilities = _prose()
    is_active = models.BooleanField(default=True)
    # Set on a unit that a merge or split dated in the future will create: it stays inactive (and
    # off the public site) until that date (``unit_changes.apply_due``).
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("unit layanan")
        verbose_name_plural = _("unit layanan")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name_key"], name="unit_name_key_unique_in_institution",
                violation_error_code=DUPLICATE_NAME,
                violation_error_message=_("Instansi ini sudah punya unit dengan nama ini; pakai nama lain."),
            )
        ]
        indexes = [models.Index(fields=["updated_at"])]  # selectors.registry_stamp

    def __str__(self) -> str:
        return self.name


class UnitEvent(models.Model):
    """A dated change in the organisation: rename, merge, split or dissolution of units.

    ``links`` says which units the event took *from* and which it gave *to*, so that results
    and trends can follow a unit through its history (see ``selectors.unit_lineage``).
    """

    class Kind(models.TextChoices):
        RENAME = "rename", _("Ganti nama")
        MERGE = "merge", _("Penggabungan")
        SPLIT = "split", _("Pemecahan")
        DISSOLVE = "dissolve", _("Pembubaran")

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu tanggal berlaku")
        APPLIED = "applied", _("Berlaku")
        UNDONE = "undone", _("Dibatalkan")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField()
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="unit_events")
    old_name = models.CharField(max_length=200, blank=True)
    new_name = models.CharField(max_length=200, blank=True)
    legal_basis = models.CharField(max_length=255, blank=True)
    note = _prose()
    # A change dated in the future is recorded as pending and applied on its date (the daily
    # ``pantau refresh_standards``, and lazily when its institution's pages are opened).
    state = models.CharField(max_length=8, choices=State.choices, default=State.APPLIED)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = _prose()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("perubahan unit")
        verbose_name_plural = _("perubahan unit")
        indexes = [models.Index(fields=["state", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}: {self.old_name} → {self.new_name}"


class UnitEventLink(models.Model):
    class Role(models.TextChoices):
        FROM = "from", _("Asal")
        TO = "to", _("Hasil")

    event = models.ForeignKey(UnitEvent, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(max_length=4, choices=Role.choices)
    # A "to" unit that the event itself created (a merge into a new unit, a split): undoing the
    # event retires it again; a unit merged into that existed before stays.
    created = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "unit", "role"], name="unit_event_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.unit_id}"


class ServiceProduct(NameKeyed):
    """One service a unit delivers (produk layanan), e.g. KTP-el, akta kelahiran, PBG."""

    class Category(models.TextChoices):
        ADMINDUK = "adminduk", _("Administrasi kependudukan")
        PERIZINAN = "perizinan", _("Perizinan")
        NONPERIZINAN = "nonperizinan", _("Non-perizinan")
        KESEHATAN = "kesehatan", _("Kesehatan")
        PENDIDIKAN = "pendidikan", _("Pendidikan")
        SOSIAL = "sosial", _("Sosial")
        LAINNYA = "lainnya", _("Lainnya")

    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=14, choices=Category.choices, default=Category.LAINNYA)
    description = _prose()
    is_active = models.BooleanField(default=True)
    # The published version in force, kept by ``services.standard_publish`` and, for versions
    # published with a future effective date, by ``pantau refresh_standards`` (daily cron).
    current_standard = models.ForeignKey(
        "ServiceStandard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("produk layanan")
        verbose_name_plural = _("produk layanan")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name_key"], name="product_name_key_unique_in_unit",
                violation_error_code=DUPLICATE_NAME,
                violation_error_message=_("Unit ini sudah punya produk layanan dengan nama ini; pakai nama lain."),
            )
        ]
        # The API's list order (name, id): its keyset pages read this index instead of sorting every
        # product (830 ms per page at 1 000 000 products on SQLite without it, 42 ms with it).
        indexes = [models.Index(fields=["updated_at"]),  # selectors.registry_stamp
                   models.Index(fields=["name", "id"], name="product_name_id")]

    def __str__(self) -> str:
        return self.name


class ProductMove(models.Model):
    """Where a unit change takes one product of a unit it retires: to another unit (``to_unit``),
    or nowhere (the service is discontinued). When the receiving unit already has a product of the
    same name, the moved one is retired into it (``into_product``) and its old addresses lead there.
    ``was_active`` keeps the product's state before, so undoing the change can restore it."""

    event = models.ForeignKey(UnitEvent, on_delete=models.CASCADE, related_name="product_moves")
    product = models.ForeignKey(ServiceProduct, on_delete=models.PROTECT, related_name="moves")
    from_unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(ServiceUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    into_product = models.ForeignKey(
        ServiceProduct, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    was_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("perpindahan produk layanan")
        verbose_name_plural = _("perpindahan produk layanan")
        constraints = [
            models.UniqueConstraint(fields=["event", "product"], name="product_move_unique_in_event")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.from_unit_id} → {self.to_unit_id}"


class ServiceStandard(models.Model):
    """A version of a product's service standard (standar pelayanan, UU 25/2009 Pasal 21).

    Providers edit a draft and publish it; a published version never changes. The version in
    force is the published one with the latest effective date on or before today. The
    component fields are listed, with their legal source, in ``pantau.registry.components``.
    Multi-item components (requirements, procedure) hold one item per line.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")

    product = models.ForeignKey(ServiceProduct, on_delete=models.PROTECT, related_name="standards")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Service delivery (published to users, PermenPANRB 15/2014).
    requirements = _list_text()
    procedure = _list_text()
    completion_time = models.CharField(max_length=200, blank=True)
    completion_days = models.PositiveIntegerField(null=True, blank=True)
    is_free = models.BooleanField(default=False)
    cost = _prose()
    output = _prose()
    complaints = _list_text()
    # Service management (internal).
    legal_basis = _list_text()
    facilities = _prose()
    competence = _prose()
    supervision = _prose()
    staff_count = _prose()
    guarantee = _prose()
    safety = _prose()
    evaluation = _prose()
    present_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product", "-version"]
        verbose_name = _("standar pelayanan")
        verbose_name_plural = _("standar pelayanan")
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="standard_version_unique"),
            models.UniqueConstraint(
                fields=["product"], condition=models.Q(status="draft"), name="one_draft_per_product"
            ),
        ]
        indexes = [models.Index(fields=["product", "status", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.product} v{self.version}"


# Summary rows (ADR 0014): counts and completeness kept current on write by ``completeness.touch``
# (in the same transaction), rebuilt from scratch by ``pantau rebuild_aggregates``.

class Totals(models.Model):
    """What every summary row counts. ``product_count``/``score_sum``: active products (of active or
    inactive units) and the items present among them (``completeness.score_expression``);
    ``public_*``: the products on the public site (``selectors.public_products``)."""

    product_count = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)
    public_count = models.PositiveIntegerField(default=0)
    public_score_sum = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.pk}: {self.product_count} products, {self.score_sum} items"


class UnitSummary(Totals):
    """One row per unit: its active products and their completeness. ``institution`` and
    ``unit_active`` copy the unit's (a unit never changes institution), so the institution's row
    and a unit operator's dashboard are sums over this table alone."""

    unit = models.OneToOneField(ServiceUnit, primary_key=True, on_delete=models.CASCADE, related_name="summary")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    unit_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("ringkasan unit")
        verbose_name_plural = _("ringkasan unit")


class RegionTotals(Totals):
    """The institutions of a region (by ``Institution.province`` / ``Institution.regency``) added up."""

    institution_count = models.PositiveIntegerField(default=0)
    unit_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ProvinceSummary(RegionTotals):
    province = models.OneToOneField(Province, primary_key=True, on_delete=models.CASCADE, related_name="summary")

    class Meta:
        verbose_name = _("ringkasan provinsi")
        verbose_name_plural = _("ringkasan provinsi")


class RegencySummary(RegionTotals):
    regency = models.OneToOneField(Regency, primary_key=True, on_delete=models.CASCADE, related_name="summary")

    class Meta:
        verbose_name = _("ringkasan kabupaten/kota")
        verbose_name_plural = _("ringkasan kabupaten/kota")
