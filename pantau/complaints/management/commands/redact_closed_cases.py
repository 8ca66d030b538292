"""``pantau redact_closed_cases [--older-than-days N] [--dry-run]``: retention of personal data in closed
cases (``pantau.complaints.retention``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pantau.complaints import retention


class Command(BaseCommand):
    help = (
        "Remove personal data (reporter identity, chronology as given, attachment files, tracking link) from "
        "cases closed longer than N days (default: settings COMPLAINTS_RETENTION_DAYS, 1826 = five years); "
        "statistics stay. Idempotent; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=None,
                            help="closed at least this many days ago (default: COMPLAINTS_RETENTION_DAYS)")
        parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")
        parser.add_argument("--batch", type=int, default=retention.BATCH, help="cases per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than_days"]
        if days is not None and days < 0:
            raise CommandError(_("--older-than-days tidak boleh negatif."))
        if options["batch"] < 1:
            raise CommandError(_("--batch harus bilangan bulat positif."))
        result = retention.redact_closed_cases(days, dry_run=options["dry_run"], batch=options["batch"])
        values = {"cases": result.cases, "files": result.files, "cutoff": result.cutoff.date().isoformat()}
        if result.dry_run:
            self.stdout.write(_("Uji coba: %(cases)d laporan yang ditutup sebelum %(cutoff)s akan disamarkan "
                                "(%(files)d berkas lampiran akan dihapus). Tidak ada yang diubah.") % values)
        else:
            self.stdout.write(_("%(cases)d laporan yang ditutup sebelum %(cutoff)s disamarkan; %(files)d berkas "
                                "lampiran dihapus.") % values)
