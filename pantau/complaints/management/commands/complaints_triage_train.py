"""``pantau complaints_triage_train [--office CODE] [--holdout 0.2]``: train the triage suggestions of the case
page from the decided cases (``pantau.complaints.triage``) and print each model's accuracy on held-back cases.
Weekly from cron (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from pantau.complaints import triage
from pantau.registry.models import Office


def _percent(value: Any) -> str:
    return f"{float(value) * 100:.1f}%"


def describe(report: triage.Report) -> str:
    """One line per scope: cases used, held back, accuracy per target (or why nothing was stored)."""
    scope = (report.office.code or report.office.name) if report.office else _("nasional")
    if report.stored is None:
        if report.reason == "not_enough":
            minimum = triage.OFFICE_MINIMUM if report.office else triage.MIN_CASES
            return _("%(scope)s: riwayat belum cukup (%(cases)d laporan yang sudah diklasifikasi, perlu %(min)d); "
                     "tidak ada model yang disimpan atau dihapus.") % {
                "scope": scope, "cases": report.cases, "min": minimum}
        return _("%(scope)s: hanya satu substansi dalam riwayat; tidak ada model yang disimpan atau dihapus.") % {
            "scope": scope}
    a = report.accuracy
    parts = [_("substansi top-1 %(top1)s, top-3 %(top3)s") % {
        "top1": _percent(a["substance"]["top1"]), "top3": _percent(a["substance"]["top3"])}]
    if "forms" in a:
        parts.append(_("dugaan maladministrasi micro-F1 %(f1)s (presisi %(p)s, recall %(r)s)") % {
            "f1": _percent(a["forms"]["micro_f1"]), "p": _percent(a["forms"]["precision"]),
            "r": _percent(a["forms"]["recall"])})
    else:
        parts.append(_("dugaan maladministrasi: riwayat belum cukup"))
    if "institution" in a:
        parts.append(_("instansi top-1 %(top1)s (%(n)d instansi)") % {
            "top1": _percent(a["institution"]["top1"]), "n": a["institution"]["classes"]})
    else:
        parts.append(_("instansi: riwayat belum cukup"))
    return _("%(scope)s: %(cases)d laporan, %(held)d disisihkan untuk uji; %(parts)s; disimpan versi %(v)d.") % {
        "scope": scope, "cases": report.cases, "held": report.held_back, "parts": "; ".join(parts),
        "v": report.stored.version}


class Command(BaseCommand):
    help = (
        "Train the triage suggestions (substance, forms of maladministration, reported institution) from the "
        "cases staff classified: one model per office with enough history and a national one; prints the "
        "accuracy on the newest held-back cases. Stores nothing where history is not enough."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", default="", help="only this office (its code, e.g. BJM)")
        parser.add_argument("--holdout", type=float, default=triage.HOLDOUT,
                            help="share of the newest decided cases held back to measure accuracy (0.05-0.5)")

    def handle(self, *args: Any, **options: Any) -> None:
        holdout = options["holdout"]
        if not 0.05 <= holdout <= 0.5:
            raise CommandError(_("--holdout harus antara 0.05 dan 0.5."))
        office = None
        code = options["office"].strip()
        if code:
            office = Office.objects.filter(Q(code__iexact=code)).first()
            if office is None:
                raise CommandError(_("Kantor dengan kode %(code)s tidak ada.") % {"code": code})
        reports = triage.train(office=office, holdout=holdout)
        for report in reports:
            self.stdout.write(describe(report))
        if not any(r.stored for r in reports):
            self.stdout.write(_("Riwayat belum cukup untuk melatih model; saran klasifikasi belum tersedia."))
        triage.forget()
