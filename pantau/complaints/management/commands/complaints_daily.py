"""``pantau complaints_daily [--date YYYY-MM-DD]``: the daily run of the complaints module (cron)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pantau.complaints import daily


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Tanggal '%(value)s' tidak berformat YYYY-MM-DD (contoh: 2026-11-02).")
                           % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Daily complaints run: close reports whose completeness period lapsed, remind staff of deadlines "
        "that are due soon or overdue (once per status), queue failed reporter e-mails again, remove "
        "orphaned attachment files. Safe to run twice on the same day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today; not in the future)")
        parser.add_argument("--batch", type=int, default=daily.BATCH, help="rows read per query")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"]) if options["date"] else None
        if options["batch"] < 1:
            raise CommandError(_("--batch harus bilangan bulat positif."))
        started = time.monotonic()
        try:
            summary = daily.run(day, batch=options["batch"])
        except daily.DailyError as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines():
            self.stdout.write(line)
        for error in summary.errors[:20]:
            self.stderr.write(f"  {error}")
        if len(summary.errors) > 20:
            self.stderr.write(_("  … dan %(n)d galat lainnya.") % {"n": len(summary.errors) - 20})
        self.stdout.write(_("Selesai dalam %(s).1f detik.") % {"s": time.monotonic() - started})
        if summary.errors:
            raise CommandError(_("Perintah harian selesai dengan %(n)d galat (lihat di atas).")
                               % {"n": len(summary.errors)})
