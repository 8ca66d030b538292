"""The shared XLSX helpers: cells read back typed and checked, text never turns into a formula."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from pantau.reports import xlsx
from pantau.reports.xlsx import BOOL, CHOICE, DATE, FLOAT, INT, URL, Column, Sheet

KIND = Column("Jenis", "kind", CHOICE, required=True, choices=(("pemkab", "Pemerintah kabupaten"),))


@pytest.mark.parametrize(("column", "raw", "value"), [
    (Column("Nama", "name"), "  Dinas  Kesehatan \r\n", "Dinas  Kesehatan"),
    (Column("Telepon", "phone"), 5261234.0, "5261234"),
    (Column("Nama", "name"), None, ""),
    (KIND, "Pemerintah Kabupaten", "pemkab"),
    (KIND, "PEMKAB", "pemkab"),
    (Column("Aktif", "on", BOOL, default=True), None, True),
    (Column("Aktif", "on", BOOL), "Ya", True),
    (Column("Aktif", "on", BOOL), "tidak", False),
    (Column("Aktif", "on", BOOL), True, True),
    (Column("Hari", "days", INT), "14", 14),
    (Column("Hari", "days", INT), 14.0, 14),
    (Column("Lintang", "lat", FLOAT), "-2,17", -2.17),
    (Column("Tanggal", "d", DATE), dt.datetime(2025, 1, 31, 0, 0), dt.date(2025, 1, 31)),
    (Column("Tanggal", "d", DATE), "31.01.2025", dt.date(2025, 1, 31)),
    (Column("Situs", "web", URL), "tabalongkab.go.id", "https://tabalongkab.go.id"),
    (Column("Kode", "code", decimals=2), 63.1, "63.10"),
])
def test_a_cell_is_read_as_its_typed_value(column: Column, raw: Any, value: Any) -> None:
    assert xlsx.parse(column, raw) == value


@pytest.mark.parametrize(("column", "raw", "message"), [
    (KIND, None, "Wajib diisi."),
    (KIND, "kerajaan", "“kerajaan” bukan pilihan yang dikenal. Pilih salah satu: pemkab."),
    (Column("Aktif", "on", BOOL), "mungkin", "Isi “ya” atau “tidak”, bukan “mungkin”."),
    (Column("Hari", "days", INT), "1,5", "Tulis bilangan bulat, bukan “1,5”."),
    (Column("Hari", "days", INT, minimum=0), -1, "Paling kecil 0."),
    (Column("Lintang", "lat", FLOAT, maximum=90), 91, "Paling besar 90."),
    (Column("Lintang", "lat", FLOAT), "utara", "“utara” bukan angka."),
    (Column("Tanggal", "d", DATE), "2025-13-01", "“2025-13-01” bukan tanggal yang sah."),
    (Column("Tanggal", "d", DATE), 45000, "“45000” bukan tanggal yang sah."),
    (Column("Situs", "web", URL), "bukan situs", "“bukan situs” bukan alamat situs web yang sah."),
    (Column("Nama", "name", max_length=3), "Dinas", "Terlalu panjang: 5 karakter, paling banyak 3."),
])
def test_a_bad_cell_gets_a_plain_message(column: Column, raw: Any, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        xlsx.parse(column, raw)
    assert message in " ".join(info.value.messages)


def test_text_that_looks_like_a_formula_or_holds_control_characters_is_written_as_text() -> None:
    sheet = Sheet("Data", (Column("Isi", "text"), Column("Tanggal", "date", DATE)))
    wb = xlsx.new_workbook()
    xlsx.add_sheet(wb, sheet, [["=HYPERLINK(\"http://contoh\")", dt.date(2025, 1, 31)], ["bel\x07 berbunyi", None]])
    out = io.BytesIO()
    xlsx.save(wb, out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["Data"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=HYPERLINK(\"http://contoh\")"
    assert ws["A3"].value == "bel berbunyi"
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"


def _book(data: bytes) -> xlsx.Book:
    return xlsx.open_workbook(io.BytesIO(data), size=len(data), max_bytes=10 * 1024 * 1024)


def test_blank_rows_are_skipped_and_row_numbers_are_the_spreadsheets_own() -> None:
    sheet = Sheet("Data", (Column("Nama", "name", required=True), Column("Jenis", "kind")))
    wb = xlsx.new_workbook()
    xlsx.add_sheet(wb, sheet, [["A", "x"], [None, None], ["  ", ""], [None, "y"]])
    out = io.BytesIO()
    xlsx.save(wb, out)
    rows, problems = xlsx.read_sheet(_book(out.getvalue()), "Data", sheet, max_rows=10)
    assert problems == []
    assert [(r.number, r.values) for r in rows] == [(2, {"name": "A", "kind": "x"}), (5, {"name": None, "kind": "y"})]
    assert rows[1].problems == [xlsx.Problem("Data", 5, "Nama", "Wajib diisi.")]


def test_a_sheet_with_more_rows_than_allowed_is_refused() -> None:
    sheet = Sheet("Data", (Column("Nama", "name"),))
    wb = xlsx.new_workbook()
    xlsx.add_sheet(wb, sheet, [[f"Baris {i}"] for i in range(6)])
    out = io.BytesIO()
    xlsx.save(wb, out)
    rows, problems = xlsx.read_sheet(_book(out.getvalue()), "Data", sheet, max_rows=5)
    assert rows == []
    assert problems[0].row == 7 and "lebih dari 5 baris" in problems[0].message


@pytest.mark.parametrize(("size", "text"), [(512, "512 B"), (1536, "1,5 KB"), (10 * 1024 * 1024, "10 MB")])
def test_sizes_are_written_for_people(size: int, text: str) -> None:
    assert xlsx.human_size(size) == text
