"""The job pages: one job's progress and result (``/kelola/tugas/<id>/``), its file, and my jobs.

A job is its owner's only: anybody else gets a 404, the national admin included (a job's file
holds what its owner may see; what a job wrote is in the audit trail for those who read it)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from pantau.core import hooks, jobs
from pantau.core.access import access
from pantau.core.models import Job

RECENT = 10
# While a job runs, its page reloads itself this often (a meta refresh: no JavaScript needed).
REFRESH_SECONDS = 2


def _mine(request: HttpRequest, job_id: int) -> Job:
    return jobs.refresh(get_object_or_404(Job, pk=job_id, owner=request.user.pk))


def _recent(request: HttpRequest) -> list[tuple[Job, str]]:
    rows = Job.objects.filter(owner=request.user.pk).order_by("-created_at", "-pk")[:RECENT]
    return [(jobs.refresh(job), jobs.label(job)) for job in rows]


@access(hooks.signed_in)
@never_cache
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _mine(request, job_id)
    kind = hooks.job_kind_named(job.kind)
    context = {
        "job": job, "label": jobs.label(job), "recent": _recent(request),
        "result_template": kind.result_template if kind is not None else "",
        "refresh": REFRESH_SECONDS if job.active else None,
        "hidden_count": max(job.error_count - len(job.problems), 0) if job.problems else 0,
        "percent": (min(100, round(100 * job.rows_checked / job.rows_total))
                    if job.rows_total else None),
    }
    return render(request, "core/jobs/detail.html", context)


@access(hooks.signed_in)
@never_cache
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/jobs/list.html", {"recent": _recent(request)})


@access(hooks.signed_in)
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The job's result file, for its owner (from the private storage)."""
    job = _mine(request, job_id)
    if job.state != Job.State.DONE or not job.result_name:
        raise Http404
    try:
        fh = jobs.storage().open(job.result_name, "rb")
    except OSError as exc:  # deleted after JOB_KEEP_DAYS
        raise Http404 from exc
    return FileResponse(fh, as_attachment=True, filename=job.result_filename or "pantau.bin")
