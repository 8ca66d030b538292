"""Completeness of service standards: which components are present, missing or stale.

A product is judged on the 14 components of its standard in force (UU 25/2009 Pasal 21) plus
its unit's maklumat pelayanan and facilities for vulnerable groups: 16 items
(``components.ALL_COMPONENTS``). A present item is *stale* when the standard in force (or the
maklumat) is older than ``settings.STANDARD_REVIEW_MONTHS``: it still counts as present in the
score, and is listed as "perlu ditinjau". Everything is aggregated in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from pantau.registry import components as comp
from pantau.registry.models import ServiceProduct

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
