"""Import and export of the registry as XLSX: the template, the upload and the export.

The import (or its dry run) and the export run as background jobs (``pantau.core.jobs``): the
upload is stored and the user goes at once to the job page, which shows the progress, the
problems by sheet, row and column, and the export's download link. A file that is not a
readable XLSX at all is refused on the form right away."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.core.models import Job
from pantau.registry import exporter, transfer, transfer_jobs
from pantau.registry.forms import ImportForm
from pantau.reports import xlsx
from pantau.reports.xlsx import XLSX_CONTENT_TYPE, FileProblem

RECENT = 5


def _readable(upload: object) -> None:
    """Refuse at once a file over the size limit or that is no XLSX (the job checks the rest)."""
    size = int(getattr(upload, "size", 0) or 0)
    book = xlsx.open_workbook(upload, size=size, max_bytes=settings.IMPORT_MAX_BYTES,  # type: ignore[arg-type]
                              max_inflated=settings.IMPORT_MAX_INFLATED_BYTES, seconds=settings.IMPORT_MAX_SECONDS)
    book.close()


def _recent(request: HttpRequest, kind: str) -> list[Job]:
    return list(Job.objects.filter(owner=request.user.pk, kind=kind).order_by("-created_at", "-pk")[:RECENT])


@access(r.can_edit_registry)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            _readable(upload)
        except FileProblem as exc:
            form.add_error("file", exc.message)
        else:
            job = transfer_jobs.start_import(request.user, upload, dry_run=request.POST.get("action") == "check")
            return redirect("jobs:detail", job.pk)
    context = {"form": form, "notes": transfer.notes(), "recent": _recent(request, transfer_jobs.IMPORT),
               "max_rows": transfer.MAX_ROWS}
    return render(request, "registry/manage/import.html", context, status=422 if form.errors else 200)


@access(r.can_edit_registry)
def import_template(request: HttpRequest) -> FileResponse:
    """The import template: every sheet with its headers, prefilled with the user's institutions
    (small: written at once, not as a job)."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    exporter.write_registry(request.user, out, template=True)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename="pantau-templat-impor.xlsx",
                        content_type=XLSX_CONTENT_TYPE)


@access(r.has_any_role)
def export(request: HttpRequest) -> HttpResponse:
    """Everything of the registry the user may see, in the import format: POST starts the export
    job; GET shows the button and the user's recent exports."""
    if request.method == "POST":
        return redirect("jobs:detail", transfer_jobs.start_export(request.user).pk)
    return render(request, "registry/manage/export.html", {
        "recent": _recent(request, transfer_jobs.EXPORT), "title": _("Ekspor data registri")})
