"""Completeness of service standards: which components are present, missing or stale.

A product is judged on the 14 components of its standard in force (UU 25/2009 Pasal 21) plus
its unit's maklumat pelayanan and facilities for vulnerable groups: 16 items
(``components.ALL_COMPONENTS``). A present item is *stale* when the standard in force (or the
maklumat) is older than ``settings.STANDARD_REVIEW_MONTHS``: it still counts as present in the
score, and is listed as "perlu ditinjau". Everything is aggregated in the database.

Summary rows (ADR 0014): the counts and completeness per unit (``UnitSummary``), institution
(fields on ``Institution``), province and regency (``ProvinceSummary``, ``RegencySummary``) are
kept current by ``touch``/``touch_units``/``touch_institution``, which the services call in the
transaction of the write; ``rebuild`` (``pantau rebuild_aggregates``) computes every row from
scratch with the same code, so the two cannot disagree in how they count, only in what was touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pantau.accounts.scope import scope_of
from pantau.registry import components as comp
from pantau.registry.models import (
    Institution,
    ProvinceSummary,
    RegencySummary,
    ServiceProduct,
    ServiceStandard,
    ServiceUnit,
    UnitSummary,
)
from pantau.registry.selectors import institution_scope_q, institutions_for

PRESENT, MISSING, STALE = "present", "missing", "stale"


def review_cutoff(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    months = settings.STANDARD_REVIEW_MONTHS
    year, month = divmod(today.month - 1 - months, 12)
    day = min(today.day, 28)
    return dt.date(today.year + year, month + 1, day)


def _present_q(component: comp.Component, prefix: str = "current_standard__") -> Q:
    if component.group == comp.UNIT:
        return Q(**{f"unit__{component.field}__gt": ""})
    q = Q(**{f"{prefix}{component.field}__gt": ""})
    if component.field == "cost":
        q |= Q(**{f"{prefix}is_free": True})
    return q


def missing_q(component: comp.Component) -> Q:
    """Products (of ``ServiceProduct``) that lack the item: no standard in force counts as lacking."""
    return ~_present_q(component)


def stale_q(component: comp.Component, today: dt.date | None = None) -> Q:
    """Products that have the item but are due for review ("perlu ditinjau")."""
    return _present_q(component) & _stale_q(component, review_cutoff(today))


def _stale_q(component: comp.Component, cutoff: dt.date) -> Q:
    if component.group == comp.UNIT:
        if component.field == "maklumat":
            return Q(unit__maklumat_date__lt=cutoff)
        return Q(pk__in=[])
    return Q(current_standard__effective_date__lt=cutoff)


def score_expression() -> Any:
    """Items present for a product (0–16): its standard's count plus the unit-level two."""
    return (
        Coalesce(F("current_standard__present_count"), Value(0))
        + _bool_int(Q(unit__maklumat__gt=""))
        + _bool_int(Q(unit__vulnerable_facilities__gt=""))
    )


def _bool_int(q: Q) -> Any:
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


@dataclass(frozen=True)
class ComponentStatus:
    component: comp.Component
    present: int
    missing: int
    stale: int

    @property
    def total(self) -> int:
        return self.present + self.missing


def component_counts(products: QuerySet[ServiceProduct], today: dt.date | None = None) -> list[ComponentStatus]:
    """For each of the 16 items: how many products have it, lack it, or have it but stale.

    One aggregate query. Ordered by what to fix first: most missing weighted by priority.
    """
    cutoff = review_cutoff(today)
    aggregates: dict[str, Any] = {"n": Count("pk")}
    for c in comp.ALL_COMPONENTS:
        aggregates[f"p_{c.code}"] = Count("pk", filter=_present_q(c))
        aggregates[f"s_{c.code}"] = Count("pk", filter=_present_q(c) & _stale_q(c, cutoff))
    row = products.aggregate(**aggregates)
    n = row["n"] or 0
    result = [
        ComponentStatus(c, row[f"p_{c.code}"], n - row[f"p_{c.code}"], row[f"s_{c.code}"])
        for c in comp.ALL_COMPONENTS
    ]
    result.sort(key=lambda s: (-(s.missing + s.stale / 2), s.component.priority))
    return result


def product_items(product: ServiceProduct, today: dt.date | None = None) -> list[tuple[comp.Component, str]]:
    """(component, status) for one product, in fix-first order (missing, stale, then present)."""
    cutoff = review_cutoff(today)
    standard = product.current_standard
    unit = product.unit
    out: list[tuple[comp.Component, str]] = []
    for c in comp.ALL_COMPONENTS:
        if c.group == comp.UNIT:
            present = comp.is_present(c, getattr(unit, c.field))
            stale = c.field == "maklumat" and unit.maklumat_date is not None and unit.maklumat_date < cutoff
        elif standard is None:
            present, stale = False, False
        else:
            present = comp.is_present(c, getattr(standard, c.field), is_free=standard.is_free)
            stale = standard.effective_date is not None and standard.effective_date < cutoff
        status = MISSING if not present else (STALE if stale else PRESENT)
        out.append((c, status))
    order = {MISSING: 0, STALE: 1, PRESENT: 2}
    out.sort(key=lambda item: (order[item[1]], item[0].priority))
    return out


def percent(present: int | None, total_items: int | None) -> int:
    if not total_items:
        return 0
    return round(100 * (present or 0) / total_items)



def percent_of(score_sum: int, products: int) -> int:
    """Completeness in percent of ``products`` with ``score_sum`` items present among them (0 without)."""
    return percent(score_sum, products * comp.TOTAL) if products else 0


@dataclass(frozen=True)
class UnitRow:
    unit: Any
    products: int
    percent: int | None  # None: no active product yet


def unit_rows(units: QuerySet[ServiceUnit]) -> list[UnitRow]:
    """Completeness of each unit (its ``UnitSummary``), least complete first (units without
    products before them), inactive units last. One query."""
    rows = []
    for u in units.select_related("summary"):
        summary = getattr(u, "summary", None)
        n, s = (summary.product_count, summary.score_sum) if summary is not None else (0, 0)
        rows.append(UnitRow(u, n, percent_of(s, n) if n else None))
    rows.sort(key=lambda r: (not r.unit.is_active, -1 if r.percent is None else r.percent, r.unit.name))
    return rows


# Keeping the summary rows current ---------------------------------------------------------------

# Regions whose row must be recomputed besides those of the institutions touched (where a
# relocated institution was before): ("province" | "regency", id).
Region = tuple[str, int]
PROVINCE, REGENCY = "province", "regency"


@dataclass
class _Pending:
    whole: set[int] = field(default_factory=set)  # institutions: every unit recomputed
    units: dict[int, int] = field(default_factory=dict)  # unit id -> its institution id
    institutions: set[int] = field(default_factory=set)  # the institution row only
    regions: set[Region] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.whole or self.units or self.institutions or self.regions)


_deferred: ContextVar[_Pending | None] = ContextVar("pantau_summaries_deferred", default=None)


def _add(change: _Pending) -> None:
    pending = _deferred.get()
    if pending is None:
        _flush(change)
        return
    pending.whole |= change.whole
    pending.units.update(change.units)
    pending.institutions |= change.institutions
    pending.regions |= change.regions


def touch(institution_ids: Iterable[int]) -> None:
    """Recompute the summaries of every unit of these institutions, then the institutions' rows
    and their regions' (a unit change moving products between many units)."""
    _add(_Pending(whole=set(institution_ids)))


def touch_units(units: Iterable[ServiceUnit]) -> None:
    """Recompute these units' rows (a product of theirs, their maklumat or their state changed),
    then their institutions' and regions' rows. Needs only ``pk`` and ``institution_id``."""
    _add(_Pending(units={u.pk: u.institution_id for u in units}))


def touch_institution(institution: Institution, before: Institution | None = None) -> None:
    """An institution was created or edited: its row (nothing of its units changed) and its
    regions' rows, and those of where it was ``before`` when it moved."""
    regions: set[Region] = set()
    if before is not None and before.province_id is not None:
        regions.add((PROVINCE, before.province_id))
    if before is not None and before.regency_id is not None:
        regions.add((REGENCY, before.regency_id))
    _add(_Pending(institutions={institution.pk}, regions=regions))


@contextmanager
def deferred() -> Iterator[None]:
    """Collect what ``touch*`` name and recompute it once, set-based, when the block ends well
    (inside the caller's transaction: an exception rolls everything back anyway). For bulk
    writes: an import, a nightly refresh of the standards in force."""
    if _deferred.get() is not None:
        yield
        return
    pending = _Pending()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        _flush(pending)


@transaction.atomic
def _flush(change: _Pending) -> None:
    """Units, then institutions, then regions, each row recomputed from the level below.

    The institution rows are locked first (in id order), then the region rows (in id order): two
    transactions writing in the same institution or region take turns, and the second counts the
    first one's committed rows (PostgreSQL, read committed); SQLite runs one writer at a time."""
    ids = sorted(change.whole | set(change.units.values()) | change.institutions)
    places = list(Institution.objects.select_for_update().filter(pk__in=ids).order_by("pk")
                  .values_list("province_id", "regency_id"))
    if change.whole:
        refresh_units(institution_ids=change.whole)
    units = [pk for pk, inst in change.units.items() if inst not in change.whole]
    if units:
        refresh_units(unit_ids=units)
    refresh_institutions(ids)
    regions = set(change.regions)
    for province_id, regency_id in places:
        if province_id is not None:
            regions.add((PROVINCE, province_id))
        if regency_id is not None:
            regions.add((REGENCY, regency_id))
    refresh_regions(ProvinceSummary, "province", {pk for level, pk in regions if level == PROVINCE})
    refresh_regions(RegencySummary, "regency", {pk for level, pk in regions if level == REGENCY})


# The three levels. Each recomputes the rows it is given from the level below; ``None`` = all.

CHUNK = 500  # ids per statement


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _unit_sql(where_unit: str, where_product: str) -> str:
    """INSERT … SELECT of the ``UnitSummary`` rows of the units ``where_unit`` picks: their active
    products grouped once, the unit's own two items (maklumat, facilities for vulnerable groups)
    added per product, the public ones only while the unit is active."""
    unit, product = ServiceUnit._meta.db_table, ServiceProduct._meta.db_table
    standard, summary = ServiceStandard._meta.db_table, UnitSummary._meta.db_table
    bonus = "(CASE WHEN u.maklumat > '' THEN 1 ELSE 0 END + CASE WHEN u.vulnerable_facilities > '' THEN 1 ELSE 0 END)"
    return (
        f"INSERT INTO {summary} (unit_id, institution_id, unit_active, product_count, score_sum, public_count,"  # noqa: S608
        f" public_score_sum)"
        f" SELECT u.id, u.institution_id, u.is_active, COALESCE(g.n, 0),"
        f" COALESCE(g.present, 0) + COALESCE(g.n, 0) * {bonus},"
        f" CASE WHEN u.is_active THEN COALESCE(g.pn, 0) ELSE 0 END,"
        f" CASE WHEN u.is_active THEN COALESCE(g.present, 0) + COALESCE(g.pn, 0) * {bonus} ELSE 0 END"
        f" FROM {unit} u LEFT JOIN ("
        f"SELECT p.unit_id AS unit_id, COUNT(*) AS n, SUM(COALESCE(s.present_count, 0)) AS present,"
        f" SUM(CASE WHEN p.current_standard_id IS NULL THEN 0 ELSE 1 END) AS pn"
        f" FROM {product} p LEFT JOIN {standard} s ON s.id = p.current_standard_id"
        f" WHERE p.is_active = %s{where_product} GROUP BY p.unit_id"
        f") g ON g.unit_id = u.id{where_unit}"
    )


def refresh_units(*, unit_ids: Iterable[int] | None = None, institution_ids: Iterable[int] | None = None) -> int:
    """Recompute the ``UnitSummary`` rows of these units, or of every unit of these institutions,
    or (neither given) of every unit: delete and insert, set-based. Returns the rows written."""
    summary, unit = UnitSummary._meta.db_table, ServiceUnit._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        if unit_ids is None and institution_ids is None:
            cursor.execute(f"DELETE FROM {summary}")  # noqa: S608
            cursor.execute(_unit_sql("", ""), [True])
            return int(cursor.rowcount)
        column, ids = ("unit_id", unit_ids) if unit_ids is not None else ("institution_id", institution_ids)
        for chunk in _chunks(ids or ()):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {summary} WHERE {column} IN ({marks})", chunk)  # noqa: S608
            if column == "unit_id":
                where_unit, where_product = f" WHERE u.id IN ({marks})", f" AND p.unit_id IN ({marks})"
            else:
                where_unit = f" WHERE u.institution_id IN ({marks})"
                where_product = f" AND p.unit_id IN (SELECT id FROM {unit} WHERE institution_id IN ({marks}))"  # noqa: S608
            cursor.execute(_unit_sql(where_unit, where_product), [True, *chunk, *chunk])
            written += cursor.rowcount
    return written


_SUMS = ("product_count", "score_sum", "public_count", "public_score_sum")


def refresh_institutions(institution_ids: Iterable[int] | None = None) -> int:
    """Recompute these institutions' rows (all when None) from their units' rows: one grouped
    query, then one bulk update of the rows that changed. Returns how many changed."""
    ids = None if institution_ids is None else sorted(set(institution_ids))
    if ids == []:
        return 0
    summaries = UnitSummary.objects.order_by()
    institutions = Institution.objects.order_by("pk")
    if ids is not None:
        summaries = summaries.filter(institution__in=ids)
        institutions = institutions.filter(pk__in=ids)
    grouped = summaries.values("institution").annotate(
        unit_count=Count("pk", filter=Q(unit_active=True)), **{f: Sum(f) for f in _SUMS})
    sums: dict[int, dict[str, Any]] = {row["institution"]: dict(row) for row in grouped}
    fields = ("unit_count", *_SUMS, "completeness")
    changed = []
    for inst in institutions.only("pk", *fields):
        row = sums.get(inst.pk, {})
        values: dict[str, int] = {f: row.get(f) or 0 for f in ("unit_count", *_SUMS)}
        values["completeness"] = percent_of(values["score_sum"], values["product_count"])
        if any(getattr(inst, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(inst, f, v)
            changed.append(inst)
    Institution.objects.bulk_update(changed, fields, batch_size=CHUNK)
    return len(changed)


def refresh_regions(model: Any, level: str,
                    region_ids: Iterable[int] | None = None) -> int:
    """Recompute these provinces' (or regencies') rows (all when None) from the rows of the
    institutions in them. The rows are locked (and made when missing) first. Returns how many changed."""
    region_model = model._meta.get_field(level).related_model
    assert region_model is not None
    ids = sorted(set(region_model._default_manager.values_list("pk", flat=True) if region_ids is None
                     else region_ids))
    if not ids:
        return 0
    stored = {r.pk: r for r in model.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    missing = [pk for pk in ids if pk not in stored]
    if missing:
        model.objects.bulk_create([model(pk=pk) for pk in missing], ignore_conflicts=True, batch_size=CHUNK)
        stored |= {r.pk: r for r in model.objects.select_for_update().filter(pk__in=missing).order_by("pk")}
    institutions = Institution.objects.order_by()
    if region_ids is not None:
        institutions = institutions.filter(**{f"{level}__in": ids})
    else:
        institutions = institutions.filter(**{f"{level}__isnull": False})
    grouped = institutions.values(level).annotate(
        institution_count=Count("pk"), unit_count=Sum("unit_count"), **{f: Sum(f) for f in _SUMS})
    sums: dict[int, dict[str, Any]] = {row[level]: row for row in grouped}
    fields = ("institution_count", "unit_count", *_SUMS)
    changed = []
    for pk in ids:
        row, summary = sums.get(pk, {}), stored[pk]
        values = {f: row.get(f) or 0 for f in fields}
        if any(getattr(summary, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(summary, f, v)
            changed.append(summary)
    model.objects.bulk_update(changed, fields, batch_size=CHUNK)
    return len(changed)


@dataclass(frozen=True)
class Rebuilt:
    units: int
    institutions: int
    provinces: int
    regencies: int


@transaction.atomic
def rebuild() -> Rebuilt:
    """Every summary row from scratch (``pantau rebuild_aggregates``): after a bulk load, or to
    check the rows kept on write. Locks every institution first, so writers wait meanwhile."""
    list(Institution.objects.select_for_update().order_by("pk").values_list("pk"))
    units = refresh_units()
    return Rebuilt(units, refresh_institutions(), refresh_regions(ProvinceSummary, "province"),
                   refresh_regions(RegencySummary, "regency"))


def refresh_summaries(institution_ids: Iterable[int] | None = None) -> None:
    """Recompute the rows of these institutions (every unit, the institution, its regions); all
    of them, from scratch, when None."""
    if institution_ids is None:
        rebuild()
    else:
        touch(institution_ids)


# Reading the summary rows ---------------------------------------------------------------------

@dataclass(frozen=True)
class ScopeTotals:
    institutions: int
    units: int  # active
    products: int  # active
    score_sum: int

    @property
    def percent(self) -> int | None:
        return percent_of(self.score_sum, self.products) if self.products else None


def scope_totals(user: Any) -> ScopeTotals:
    """What the staff dashboard counts in a user's scope, from the summary rows only: the rows of
    the institutions wholly in scope (national: all of them, ≤ 1 500), plus the rows of the units a
    unit operator works in (when their institution is not already counted)."""
    scope = scope_of(user)
    whole = Institution.objects.order_by()
    q = institution_scope_q(scope, unit_parents=False)
    if q is not None:
        whole = whole.filter(q)
    total = whole.aggregate(u=Sum("unit_count"), n=Sum("product_count"), s=Sum("score_sum"))
    units, products, score = total["u"] or 0, total["n"] or 0, total["s"] or 0
    if scope.unit_ids:
        extra = (UnitSummary.objects.filter(unit__in=scope.unit_ids).exclude(institution__in=whole.values("pk"))
                 .aggregate(u=Count("pk", filter=Q(unit_active=True)), n=Sum("product_count"), s=Sum("score_sum")))
        units, products, score = units + (extra["u"] or 0), products + (extra["n"] or 0), score + (extra["s"] or 0)
    return ScopeTotals(institutions_for(user).count(), units, products, score)
