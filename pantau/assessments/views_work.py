"""Staff pages of the cycle: an assessor's work list and a unit's instrument (ADR 0019). Reads only, through
``selectors_cycle``; every write goes through the services (screens for them come later)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pantau.accounts.rules import is_office_staff
from pantau.assessments.selectors_cycle import prefill, sampled_units_for, work_list
from pantau.core.access import access
from pantau.registry import selectors as registry


@access(is_office_staff)
def work(request: HttpRequest) -> HttpResponse:
    """The units assigned to the signed-in assessor in periods collecting or reviewing answers,
    with how many answers each has and its review status."""
    units = list(work_list(request.user).annotate(answered=Count("answers")))
    names = registry.unit_rows({u.unit_id for u in units})
    institutions = registry.institution_rows({u.institution_id for u in units})
    rows = [{"sampled": u, "period": u.period, "unit": names.get(u.unit_id, {}).get("name", ""),
             "institution": institutions.get(u.institution_id, {}).get("name", ""), "answered": u.answered}
            for u in units]
    return render(request, "assessments/work/list.html", {"rows": rows})


@access(is_office_staff)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    """A sampled unit's instrument, read-only: per sampled product, each item beside what the
    provider published in Pantau, the answer saved so far, and the gap between published and
    visible (``selectors_cycle.prefill``). Out of the user's scope: 404."""
    sampled = get_object_or_404(sampled_units_for(request.user), pk=pk)
    products = [p for p in (prefill(request.user, sp) for sp in sampled.products.order_by("pk")) if p is not None]
    names = registry.unit_rows([sampled.unit_id])
    return render(request, "assessments/work/unit.html", {
        "sampled": sampled, "period": sampled.period, "unit": names.get(sampled.unit_id, {}).get("name", ""),
        "products": products})
