"""Completeness of service standards: which components are present, missing or stale.

A product is judged on the 14 components of its standard in force (UU 25/2009 Pasal 21) plus
its unit's maklumat pelayanan and facilities for vulnerable groups: 16 items
(``components.ALL_COMPONENTS``). A present item is *stale* when the standard in force (or the
maklumat) is older than ``settings.STANDARD_REVIEW_MONTHS``: it still counts as present in the
score, and is listed as "perlu ditinjau". Everything is aggregated in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pantau.registry import components as comp
from pantau.registry.models import Institution, ServiceProduct

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


@dataclass(frozen=True)
class UnitRow:
    unit: Any
    products: int
    percent: int | None  # None: no active product yet


def unit_rows(units: QuerySet[Any], products: QuerySet[ServiceProduct]) -> list[UnitRow]:
    """Completeness of each unit of one institution (``products``: its active products in scope),
    least complete first (units without products before them), inactive units last. Two queries."""
    stats = {row["unit"]: (row["n"], row["s"] or 0)
             for row in products.order_by().values("unit").annotate(n=Count("pk"), s=Sum(score_expression()))}
    rows = [UnitRow(u, stats.get(u.pk, (0, 0))[0], percent_of(stats[u.pk][1], stats[u.pk][0]) if u.pk in stats
                    else None) for u in units]
    rows.sort(key=lambda r: (not r.unit.is_active, -1 if r.percent is None else r.percent, r.unit.name))
    return rows


# The per-institution summary (``Institution.product_count``, ``score_sum``, ``completeness``).

_deferred: ContextVar[set[int] | None] = ContextVar("pantau_completeness_deferred", default=None)


def touch(institution_ids: Iterable[int]) -> None:
    """Bring the summaries of these institutions up to date after a write that may change them
    (a product, a standard in force, a unit's maklumat). Inside ``deferred()`` (a bulk import)
    the work waits until the end of the block, so it is done once per institution."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(institution_ids)
    else:
        refresh_summaries(institution_ids)


@contextmanager
def deferred() -> Iterator[None]:
    """Collect the institutions ``touch`` names and refresh each once when the block ends well
    (inside the caller's transaction: an exception rolls everything back anyway)."""
    if _deferred.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    refresh_summaries(pending)


@transaction.atomic
def refresh_summaries(institution_ids: Iterable[int] | None = None) -> None:
    """Recompute the summary of the given institutions (all of them when None) from their active
    products: one grouped query, then one update per institution whose numbers changed.

    The institution rows are locked first (in id order), so two transactions writing products of
    the same institution take turns and the second counts the first one's committed products
    (PostgreSQL, read committed); SQLite runs one writer at a time anyway."""
    ids = None if institution_ids is None else sorted(set(institution_ids))
    if ids == []:
        return
    products = ServiceProduct.objects.filter(is_active=True)
    institutions = Institution.objects.select_for_update().order_by("pk")
    if ids is not None:
        products = products.filter(unit__institution__in=ids)
        institutions = institutions.filter(pk__in=ids)
    stored = list(institutions.values_list("pk", "product_count", "score_sum", "completeness"))
    rows = {
        row["unit__institution"]: (row["n"], row["s"] or 0)
        for row in products.order_by().values("unit__institution").annotate(n=Count("pk"), s=Sum(score_expression()))
    }
    for pk, count, score, kept in stored:
        n, s = rows.get(pk, (0, 0))
        summary = (n, s, percent_of(s, n))
        if summary != (count, score, kept):
            Institution.objects.filter(pk=pk).update(product_count=n, score_sum=s, completeness=summary[2])


def percent_of(score_sum: int, products: int) -> int:
    """Completeness in percent of ``products`` with ``score_sum`` items present among them (0 without)."""
    return percent(score_sum, products * comp.TOTAL) if products else 0
