"""Import and export of the registry as XLSX: the template, the upload with its error list, the export."""

from __future__ import annotations

import logging
import tempfile

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.accounts import rules as r
from pantau.core.access import access
from pantau.registry import exporter, importer, transfer
from pantau.registry.forms import ImportForm
from pantau.reports.xlsx import XLSX_CONTENT_TYPE, FileProblem

log = logging.getLogger("pantau.registry.import")
SESSION_KEY = "pantau_import_summary"
# The error table shows this many problems; the count above it says how many there are in all.
SHOWN_PROBLEMS = 200


@access(r.can_edit_registry)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("action") == "check"
        try:
            result = importer.import_registry(actor=request.user, upload=upload, size=upload.size, dry_run=dry_run)
        except FileProblem as exc:
            form.add_error("file", exc.message)
        else:
            log.info("registry import: %s, %d problems, dry run %s", "valid" if result.ok else "refused",
                     len(result.problems), dry_run)
            if result.ok and not dry_run:
                request.session[SESSION_KEY] = result.summary()
                messages.success(request, _("Impor selesai. Semua baris tersimpan."))
                return redirect("manage:import")
            if result.ok:
                messages.info(request, _("Semua baris lolos pemeriksaan, tetapi belum disimpan. Tekan Impor untuk "
                                         "menyimpannya."))
    summary = None
    if result is not None and result.ok:
        summary = result.summary()
    elif request.method == "GET":
        summary = request.session.pop(SESSION_KEY, None)
    problems = result.problems if result is not None else []
    context = {
        "form": form, "result": result, "summary": summary, "dry_run": bool(result and result.dry_run),
        "problems": problems[:SHOWN_PROBLEMS], "problem_count": len(problems),
        "hidden_count": max(len(problems) - SHOWN_PROBLEMS, 0), "notes": transfer.notes(),
        "sheets": transfer.SHEET_ORDER,
    }
    failed = request.method == "POST" and (bool(form.errors) or bool(problems))
    return render(request, "registry/manage/import.html", context, status=422 if failed else 200)


def _xlsx_response(request: HttpRequest, *, template: bool, filename: str) -> FileResponse:
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    exporter.write_registry(request.user, out, template=template)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@access(r.can_edit_registry)
def import_template(request: HttpRequest) -> FileResponse:
    """The import template: every sheet with its headers, prefilled with the user's institutions."""
    return _xlsx_response(request, template=True, filename="pantau-templat-impor.xlsx")


@access(r.has_any_role)
def export(request: HttpRequest) -> FileResponse:
    """Everything of the registry the user may see, in the import format."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(request, template=False, filename=f"pantau-registri-{stamp}.xlsx")
