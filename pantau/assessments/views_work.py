"""Staff pages of the cycle: an assessor's work list (ADR 0019). The instrument a unit is answered
with: ``views_instrument``."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pantau.accounts.rules import is_office_staff
from pantau.assessments.selectors_cycle import work_list
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
