"""The surveys' background job: importing responses from a file (``imports``), with a progress page."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pantau.core import hooks, jobs
from pantau.core.jobs import JobFailed, Work
from pantau.core.models import Job
from pantau.reports.xlsx_reader import FileProblem
from pantau.surveys import exports, imports, selectors, services

log = logging.getLogger("pantau.surveys.import")
IMPORT, EXPORT = "surveys.import", "surveys.export"


def run_import(work: Work) -> None:
    campaign = selectors.campaigns_for(work.owner).select_related("unit", "version").filter(
        pk=int(work.params.get("campaign") or 0)).first()
    if campaign is None or not services.can_manage(work.owner, campaign):
        raise JobFailed(_("Survei ini tidak ada atau di luar wewenang Anda."))
    if campaign.state not in (campaign.State.OPEN, campaign.State.CLOSED):
        raise JobFailed(_("Jawaban hanya dapat diimpor ke survei yang dibuka atau ditutup (belum diterbitkan)."))
    with work.input() as (fh, size):
        try:
            outcome = imports.import_responses(actor=work.owner, campaign=campaign, upload=fh, size=size,
                                               filename=work.job.input_filename, progress=work)
        except FileProblem as exc:
            raise JobFailed(exc.message) from exc
    log.info("survey import job %s: %d rows, %d stored, %d problems", work.job.pk, outcome.rows, outcome.stored,
             outcome.problem_count)
    ignored = ", ".join(outcome.ignored_columns)
    work.summary({"rows": outcome.rows, "stored": outcome.stored, "skipped": outcome.skipped,
                  "ignored_columns": outcome.ignored_columns})
    if outcome.problem_count:
        work.problems([{"sheet": "", "row": p.row, "column": p.column, "message": p.message}
                       for p in outcome.problems], count=outcome.problem_count)
        raise JobFailed(_("Ditemukan %(n)d kesalahan. Tidak ada jawaban yang disimpan: perbaiki berkasnya, lalu "
                          "unggah lagi.") % {"n": outcome.problem_count})
    message = _("Impor selesai: %(stored)d jawaban disimpan, %(skipped)d sudah ada sebelumnya.") % {
        "stored": outcome.stored, "skipped": outcome.skipped}
    if ignored:
        message += " " + _("Kolom yang tidak diimpor: %(cols)s.") % {"cols": ignored}
    work.progress(total=outcome.rows, checked=outcome.rows, written=outcome.stored, message=message)


def run_export(work: Work) -> None:
    campaign = selectors.campaigns_for(work.owner).select_related("version").filter(
        pk=int(work.params.get("campaign") or 0)).first()
    if campaign is None:
        raise JobFailed(_("Survei ini tidak ada atau di luar wewenang Anda."))
    with work.result(f"jawaban-survei-{campaign.pk}.xlsx") as out:
        exports.write_xlsx(campaign, out, progress=work)
    work.progress(message=_("Ekspor selesai. Unduh berkasnya di bawah ini."))


def register() -> None:
    hooks.job_kind(hooks.JobKind(
        EXPORT, gettext_lazy("Ekspor jawaban survei"), run_export,
        interrupted_message=gettext_lazy("Ekspor terhenti sebelum selesai. Mulai ekspor sekali lagi.")))
    hooks.job_kind(hooks.JobKind(
        IMPORT, gettext_lazy("Impor jawaban survei"), run_import,
        interrupted_message=gettext_lazy("Impor terhenti; tidak ada jawaban yang disimpan. Unggah berkasnya sekali "
                                         "lagi.")))


def start_export(actor: Any, campaign_id: int) -> Job:
    return jobs.start(EXPORT, actor, params={"campaign": campaign_id})


def start_import(actor: Any, campaign_id: int, upload: Any) -> Job:
    return jobs.start(IMPORT, actor, params={"campaign": campaign_id}, upload=upload,
                      filename=str(getattr(upload, "name", "") or ""))
