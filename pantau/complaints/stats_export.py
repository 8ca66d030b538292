"""The statistics of a year (``stats.statistics``) as a file: every number of the page, one per row, as
(table, row, measure, value) (``stats.table_rows``), written by the shared formula-safe writers of
``pantau.reports`` (XLSX: one sheet and a notes sheet; CSV with a UTF-8 mark). The numbers are aggregates:
no case, no reporter, no examiner appears in them (institutions appear only in the responsiveness ranking)."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from pantau.complaints import stats
from pantau.reports import xlsx
from pantau.reports.cells import csv_cell

COLUMNS = (
    xlsx.Column("Tabel", "table", width=30),
    xlsx.Column("Baris", "row", width=48),
    xlsx.Column("Ukuran", "measure", width=28),
    xlsx.Column("Nilai", "value", xlsx.FLOAT, width=12),
)
HEADER = [c.header for c in COLUMNS]


def filename(year: int, where: stats.Where, fmt: str) -> str:
    office = f"-kantor-{where.office_id}" if where.office_id else ""
    return f"statistik-laporan-{year}{office}.{fmt}"


def notes(data: stats.Statistics) -> list[str]:
    return [
        _("Diekspor dari Pantau pada %(when)s.") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("Tahun %(year)d; kantor: %(office)s.") % {
            "year": data.year, "office": data.where.office_name or _("semua kantor dalam wewenang Anda")},
        _("Jumlah per jenis, substansi, kelompok instansi dan maladministrasi: laporan yang diterima pada tahun "
          "itu. Penutupan: laporan yang ditutup pada tahun itu. Lama di tiap tahap: tahapan yang sudah selesai "
          "dari laporan yang diterima pada tahun itu, dalam hari penuh (median dan persentil ke-90 dengan "
          "metode peringkat terdekat)."),
        _("Peringkat responsivitas hanya memuat instansi dengan sedikitnya %(n)d laporan pada tahun itu.")
        % {"n": data.ranking_minimum},
    ]


def csv_bytes(data: stats.Statistics) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for table, row, measure, value in stats.table_rows(data):
        writer.writerow([csv_cell(table), csv_cell(row), csv_cell(measure), "" if value is None else value])
    return buffer.getvalue().encode()


def xlsx_bytes(data: stats.Statistics) -> bytes:
    book = xlsx.new_workbook()
    xlsx.add_sheet(book, xlsx.Sheet("statistik", COLUMNS), stats.table_rows(data))
    xlsx.add_notes_sheet(book, "Catatan", notes(data))
    out = io.BytesIO()
    xlsx.save(book, out)
    return out.getvalue()
