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


# The data rows of ``add_sheet`` are written as sheet XML by ``reports.xlsx`` itself, not by openpyxl.

def _written(rows: list[list[Any]], sheet: Sheet | None = None) -> bytes:
    sheet = sheet or Sheet("Data", (Column("Isi", "text"), Column("Lain", "other")))
    wb = xlsx.new_workbook()
    xlsx.add_sheet(wb, sheet, rows)
    out = io.BytesIO()
    xlsx.save(wb, out)
    return out.getvalue()


def _sheet_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


FORMULAS = ["=1+1", "+62 811", "-5", "@SUM(A1:A2)", "＝HYPERLINK(\"http://contoh\")", "\u2212" + "1",
            "\x01=cmd|' /C calc'!A0", "\u200b=1+1"]


def test_text_that_looks_like_a_formula_is_written_as_quoted_text_never_as_a_formula() -> None:
    data = _written([[text, "biasa"] for text in FORMULAS])
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(data))["Data"]
    for row, text in enumerate(FORMULAS, start=2):
        cell, plain = ws.cell(row, 1), ws.cell(row, 2)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (cells_text(text), "s", True)
        assert (plain.value, plain.quotePrefix) == ("biasa", False)
    sheet = Sheet("Data", (Column("Isi", "text"), Column("Lain", "other")))
    rows, problems = xlsx.read_sheet(_book(data), "Data", sheet, max_rows=100)
    assert problems == [] and [r.values["text"] for r in rows] == [cells_text(t) for t in FORMULAS]


def cells_text(text: str) -> str:
    from pantau.reports import cells

    return cells.xlsx_text(text)


SPECIAL = ["a & b <c> \"d\" 'e' ]]> &amp;", "bel\x07 berbunyi\x00", "baris\r\nbaru\rlagi  \n", "lepas\ud800",
           "bukan\ufffe xml\uffff", "tak\u200bterlihat\u202e", "  spasi  ", "\t", "tab\tdi tengah", "é" + "e\u0301",
           "€ 𝄞 中文", "_x000D_ tetap"]


def test_xml_special_and_illegal_characters_are_escaped_or_cleaned_and_read_back() -> None:
    data = _written([[text] for text in SPECIAL])
    expected = [cells_text(t).replace("\ufffe", "").replace("\uffff", "") for t in SPECIAL]
    assert expected[0] == "a & b <c> \"d\" 'e' ]]> &amp;" and expected[1] == "bel berbunyi"
    assert expected[2] == "baris\nbaru\nlagi" and expected[4] == "bukan xml" and expected[7] == ""
    normal = load_workbook(io.BytesIO(data))["Data"]
    assert [normal.cell(r, 1).value for r in range(2, len(SPECIAL) + 2)] == [t or None for t in expected]
    streamed = load_workbook(io.BytesIO(data), read_only=True)["Data"]
    # (a row left blank has no cells, and no <dimension> tells a read-only sheet how wide rows are)
    assert [row[0] if row else None for row in streamed.iter_rows(min_row=2, values_only=True)] == [
        t or None for t in expected]
    sheet = Sheet("Data", (Column("Isi", "text"), Column("Lain", "other")))
    rows, problems = xlsx.read_sheet(_book(data), "Data", sheet, max_rows=100)
    assert problems == []
    assert [r.values["text"] for r in rows] == [xlsx.text_of(t) for t in expected if t]


def test_dates_and_numbers_round_trip() -> None:
    import decimal

    sheet = Sheet("Data", (Column("Tanggal", "d", DATE), Column("Hari", "n", INT), Column("Lintang", "x", FLOAT),
                           Column("Aktif", "b", BOOL)))
    rows: list[list[Any]] = [
        [dt.date(2025, 1, 31), 14, -2.1722, True],
        [dt.date(1900, 3, 1), 0, 115.3844, False],
        [dt.date(2099, 12, 31), 10**12, decimal.Decimal("1.25"), None],
        [None, -7, 1e-7, "ya"],
    ]
    data = _written(rows, sheet)
    ws = load_workbook(io.BytesIO(data))["Data"]
    assert ws["A2"].is_date and ws["A2"].number_format == "yyyy-mm-dd"
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        [dt.datetime(2025, 1, 31), 14, -2.1722, True],
        [dt.datetime(1900, 3, 1), 0, 115.3844, False],
        [dt.datetime(2099, 12, 31), 10**12, 1.25, None],
        [None, -7, 1e-7, "ya"],
    ]
    read, problems = xlsx.read_sheet(_book(data), "Data", sheet, max_rows=100)
    assert problems == []
    assert [list(r.values.values()) for r in read] == [
        [dt.date(2025, 1, 31), 14, -2.1722, True],
        [dt.date(1900, 3, 1), 0, 115.3844, False],
        [dt.date(2099, 12, 31), 10**12, 1.25, None],
        [None, -7, 1e-7, True],
    ]


def test_a_written_sheet_opens_with_its_header_comments_and_drop_downs() -> None:
    sheet = Sheet("Data", (Column("Jenis", "kind", CHOICE, required=True, choices=(("a", "A"), ("b", "B"))),
                           Column("Aktif", "on", BOOL), Column("Catatan", "note", help="Bebas")))
    data = _written([["a", "ya", f"baris {i}"] for i in range(3000)], sheet)
    for read_only in (False, True):
        wb = load_workbook(io.BytesIO(data), read_only=read_only)
        rows = list(wb["Data"].iter_rows(values_only=True))
        assert rows[0] == ("Jenis", "Aktif", "Catatan") and len(rows) == 3001
        assert rows[-1] == ("a", "ya", "baris 2999")
    ws = load_workbook(io.BytesIO(data))["Data"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws.column_dimensions["A"].width == 20
    assert "Wajib diisi." in ws["A1"].comment.text and "a = A" in ws["A1"].comment.text
    assert ws["C1"].comment.text == "Bebas"
    assert {(str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation} == {
        ("A2:A5001", '"a,b"'), ("B2:B5001", '"ya,tidak"')}


def test_a_sheet_part_too_large_for_plain_zip_headers_gets_zip64_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    monkeypatch.setattr(xlsx, "_ZIP64_ABOVE", 100)
    data = _written([["satu", "dua"], ["tiga", None]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
    assert [[c.value for c in row] for row in load_workbook(io.BytesIO(data))["Data"].iter_rows(min_row=2)] == [
        ["satu", "dua"], ["tiga", None]]


@pytest.mark.parametrize(("value", "error"), [(object(), TypeError), (float("nan"), ValueError),
                                              (float("inf"), ValueError)])
def test_a_value_no_cell_can_hold_is_refused(value: Any, error: type[Exception]) -> None:
    wb = xlsx.new_workbook()
    with pytest.raises(error):
        xlsx.add_sheet(wb, Sheet("Data", (Column("Isi", "text"),)), [["baik"], [value]])
    for ws in wb.worksheets:  # what saving would do: openpyxl finishes the header it began
        ws.close()
