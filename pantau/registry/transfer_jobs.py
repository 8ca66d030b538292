"""The registry's background jobs: the import (or its dry run) and the export (``pantau.core.jobs``)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.core import hooks, jobs
from pantau.core.jobs import JobFailed, Work
from pantau.core.models import Job
from pantau.registry import exporter, importer
from pantau.reports.xlsx import FileProblem

log = logging.getLogger("pantau.registry.import")

IMPORT, EXPORT = "registry.import", "registry.export"


def run_import(work: Work) -> None:
    dry_run = bool(work.params.get("dry_run"))
    with work.input() as (fh, size):
        try:
            result = importer.import_registry(actor=work.owner, upload=fh, size=size, dry_run=dry_run, progress=work)
        except FileProblem as exc:
            raise JobFailed(exc.message) from exc
    log.info("registry import job %s: %s, %d problems, dry run %s", work.job.pk,
             "valid" if result.ok else "refused", result.total_problems, dry_run)
    if not result.ok:
        work.problems([{"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                       for p in result.problems[:jobs.KEPT_PROBLEMS]], count=result.total_problems)
        n = result.total_problems
        raise JobFailed(_("Ditemukan %d kesalahan. Tidak ada data yang disimpan: perbaiki berkasnya, lalu unggah "
                          "lagi.") % n)
    work.summary({"dry_run": dry_run, "sheets": result.summary()})
    if dry_run:
        work.progress(message=_("Semua baris lolos pemeriksaan, tetapi belum disimpan. Unggah lagi dengan tombol "
                                "Impor untuk menyimpannya."))
    else:
        work.progress(message=_("Impor selesai. Semua baris tersimpan."))


def run_export(work: Work) -> None:
    stamp = timezone.localdate().strftime("%Y%m%d")
    with work.result(f"pantau-registri-{stamp}.xlsx") as out:
        rows = exporter.write_registry(work.owner, out, progress=work)
    work.progress(written=rows, message=_("Ekspor selesai. Unduh berkasnya di bawah ini."))


def register() -> None:
    hooks.job_kind(
        hooks.JobKind(IMPORT, gettext_lazy("Impor registri"), run_import,
                      result_template="registry/manage/import_result.html",
                      interrupted_message=gettext_lazy("Impor terhenti; tidak ada data yang disimpan. Unggah "
                                                       "berkasnya sekali lagi.")),
        hooks.JobKind(EXPORT, gettext_lazy("Ekspor registri"), run_export,
                      interrupted_message=gettext_lazy("Ekspor terhenti sebelum selesai. Mulai ekspor sekali lagi.")),
    )


def start_import(actor: Any, upload: Any, *, dry_run: bool) -> Job:
    """Store the upload and start its import (or dry run) as a job."""
    return jobs.start(IMPORT, actor, params={"dry_run": dry_run}, upload=upload, filename=str(upload.name or ""))


def start_export(actor: Any) -> Job:
    return jobs.start(EXPORT, actor)
