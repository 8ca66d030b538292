"""``pantau load_holidays <file.csv> [--replace-year]``: national holidays and cuti bersama of years the
shipped ``data/holidays-id.csv`` does not cover, into ``models.Holiday`` (``clock.calendar()`` reads them).

The file is checked whole by ``deadlines.load_holidays`` (every bad row named by its line) and loaded whole
or not at all, in one transaction with the audit event ``holidays.loaded``. A year the shipped file covers
is never changed here (edit the shipped file instead, with its sources). A year already loaded is left as
it is when the file says the same (running twice changes nothing), and replaced only with
``--replace-year``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.complaints import clock, deadlines
from pantau.complaints.models import Holiday
from pantau.complaints.services import SYSTEM
from pantau.core import audit


@dataclass(frozen=True)
class Loaded:
    years: tuple[int, ...]
    added: int  # rows written
    unchanged: tuple[int, ...]  # years already loaded with exactly these rows
    replaced: tuple[int, ...]


def _key(rows: Any) -> set[tuple[str, str, str, str]]:
    return {(r.date.isoformat(), r.kind, r.name, r.source) for r in rows}


def holidays_load(source: str | Path, *, replace_year: bool = False) -> Loaded:
    """Load a holiday CSV; raises :class:`deadlines.DeadlineError` (Indonesian, actionable) and writes
    nothing when the file or a year in it cannot be taken."""
    rows = deadlines.load_holidays(source)
    if not rows:
        raise deadlines.DeadlineError(_("Berkas tidak berisi satu pun hari libur."))
    shipped = set(deadlines.default_calendar().years)
    years = sorted({h.date.year for h in rows})
    if covered := [y for y in years if y in shipped]:
        raise deadlines.DeadlineError(
            _("Tahun %(years)s sudah diatur oleh berkas bawaan %(file)s dan tidak dapat diubah dengan perintah "
              "ini; hapus baris tahun itu dari berkas Anda.")
            % {"years": ", ".join(map(str, covered)), "file": deadlines.HOLIDAYS_FILE.name})
    by_year: dict[int, list[deadlines.Holiday]] = {y: [h for h in rows if h.date.year == y] for y in years}
    with transaction.atomic():
        existing: dict[int, list[Holiday]] = {y: [] for y in years}
        for holiday in Holiday.objects.select_for_update().filter(date__year__in=years):
            existing[holiday.date.year].append(holiday)
        unchanged = tuple(y for y in years if existing[y] and _key(existing[y]) == _key(by_year[y]))
        conflicting = [y for y in years if existing[y] and y not in unchanged]
        if conflicting and not replace_year:
            raise deadlines.DeadlineError(
                _("Tahun %(years)s sudah dimuat dengan daftar yang berbeda; jalankan lagi dengan --replace-year "
                  "untuk menggantinya.") % {"years": ", ".join(map(str, conflicting))})
        to_write = [y for y in years if y not in unchanged]
        if not to_write:
            return Loaded(tuple(years), 0, unchanged, ())
        Holiday.objects.filter(date__year__in=to_write).delete()
        created = Holiday.objects.bulk_create(
            [Holiday(date=h.date, kind=h.kind, name=h.name[:150], source=h.source[:300])
             for y in to_write for h in by_year[y]])
        clock.forget_calendar()  # this process builds it again from the new rows (others within a minute)
        transaction.on_commit(clock.forget_calendar)
        audit.record(actor=SYSTEM, event_type="holidays.loaded",
                     after={"years": to_write, "rows": len(created), "replaced": conflicting,
                            "file": Path(str(source)).name if "\n" not in str(source) else ""})
    return Loaded(tuple(years), len(created), unchanged, tuple(conflicting))


class Command(BaseCommand):
    help = (
        "Load national holidays and cuti bersama of later years (CSV: date,kind,name,source) for the "
        "working-day calendar of complaint deadlines. All or nothing; years of the shipped file cannot be "
        "changed; a year already loaded is replaced only with --replace-year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file with the columns date,kind,name,source")
        parser.add_argument("--replace-year", action="store_true",
                            help="replace the years of the file that were loaded before")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": path})
        try:
            loaded = holidays_load(path, replace_year=options["replace_year"])
        except UnicodeDecodeError:
            raise CommandError(_("Berkas %(path)s bukan teks UTF-8; simpan ulang sebagai CSV UTF-8.")
                               % {"path": path}) from None
        except deadlines.DeadlineError as exc:
            raise CommandError(str(exc)) from None
        if loaded.added:
            self.stdout.write(_("%(n)d hari libur dimuat untuk tahun %(years)s.") % {
                "n": loaded.added, "years": ", ".join(str(y) for y in loaded.years if y not in loaded.unchanged)})
        if loaded.replaced:
            self.stdout.write(_("Tahun yang diganti: %(years)s.") % {"years": ", ".join(map(str, loaded.replaced))})
        if loaded.unchanged:
            self.stdout.write(_("Tahun %(years)s sudah dimuat dengan isi yang sama; tidak ada perubahan.")
                              % {"years": ", ".join(map(str, loaded.unchanged))})
