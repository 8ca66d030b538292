"""Starting the XLSX export of a period (a background job; its page shows the progress and the
download). Only who manages the period sees this page: anyone else gets 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pantau.assessments import cycle_rules, export_jobs
from pantau.assessments.models import Period
from pantau.core import hooks
from pantau.core.access import access
from pantau.core.models import Job


@access(hooks.signed_in)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the button and the user's recent exports; POST: start the export job."""
    period = Period.objects.select_related("methodology_version__methodology").filter(pk=pk).first()
    if period is None or not cycle_rules.manages_period(request.user, period):
        raise Http404
    if request.method == "POST":
        return redirect("jobs:detail", export_jobs.start_export(request.user, period).pk)
    recent = Job.objects.filter(owner_id=request.user.pk, kind=export_jobs.EXPORT,
                                params__period=period.pk).order_by("-pk")[:10]
    return render(request, "assessments/results/export.html", {"period": period, "recent": list(recent)})
