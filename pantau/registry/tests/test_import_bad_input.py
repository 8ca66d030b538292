"""Bad import files: each problem is reported by sheet, row and column in plain words, and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import override_settings

from pantau.registry.importer import import_registry
from pantau.registry.tests.workbooks import STANDARD, headers, table_counts, upload, xlsx_bytes
from pantau.reports.xlsx import FileProblem

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"
GOOD_UNIT = {"Instansi": TABALONG, "Nama unit": "Kecamatan Murung Pudak", "Jenis": "kecamatan"}


def problems_of(actor: Any, data: bytes) -> list[tuple[str, int | None, str, str]]:
    before = table_counts()
    fh, size = upload(data)
    result = import_registry(actor=actor, upload=fh, size=size)
    assert not result.ok
    assert table_counts() == before, "a refused import must write nothing"
    assert all(c.created == c.updated == c.published == 0 for c in result.counts.values())
    return [(p.sheet, p.row, p.column, p.message) for p in result.problems]


@pytest.mark.parametrize(("row", "column", "message"), [
    ({"Jenis": "kerajaan"}, "Jenis", "“kerajaan” bukan pilihan yang dikenal. Pilih salah satu: dinas, badan"),
    ({"Nama unit": None}, "Nama unit", "Wajib diisi."),
    ({"Jenis": " "}, "Jenis", "Wajib diisi."),
    ({"Tanggal maklumat": "31/02/2025"}, "Tanggal maklumat", "“31/02/2025” bukan tanggal yang sah. Tulis sebagai "
                                                            "TTTT-BB-HH"),
    ({"Tanggal maklumat": "besok"}, "Tanggal maklumat", "bukan tanggal yang sah"),
    ({"Lintang": "dua"}, "Lintang", "“dua” bukan angka."),
    ({"Lintang": -91}, "Lintang", "Paling kecil -90."),
    ({"Kabupaten/kota": "99.99"}, "Kabupaten/kota", "Kabupaten/kota “99.99” tidak dikenal. Tulis kode Kemendagri"),
    ({"Telepon": "0" * 41}, "Telepon", "Terlalu panjang: 41 karakter, paling banyak 40."),
    ({"Instansi": "Pemerintah Kabupaten Entah"}, "Instansi",
     "Instansi “Pemerintah Kabupaten Entah” tidak ada di lembar Instansi maupun di Pantau."),
])
def test_a_bad_cell_is_reported_with_its_sheet_row_and_column(
        cast: Any, row: dict[str, Any], column: str, message: str) -> None:
    data = xlsx_bytes({"Unit": [GOOD_UNIT, {**GOOD_UNIT, "Nama unit": "UPT Baru", **row}]})
    [(sheet, number, col, text)] = problems_of(cast.admin_tabalong, data)
    assert (sheet, number, col) == ("Unit", 3, column)
    assert message in text


def test_every_problem_of_the_file_is_listed_at_once(cast: Any) -> None:
    data = xlsx_bytes({
        "Instansi": [{"Nama instansi": "Pemerintah Kabupaten Balangan", "Jenis": "pemkab", "Provinsi": "Atlantis",
                      "Kantor Ombudsman": "Kantor Entah"}],
        "Unit": [{**GOOD_UNIT, "Jenis": "istana", "Bujur": 200}],
        "Produk": [{"Instansi": TABALONG, "Unit": "Unit Entah", "Nama produk": "Izin"}],
        "Standar": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Produk": "Produk Entah", "Terbitkan": "mungkin"}],
    })
    found = {(s, r, c) for s, r, c, _m in problems_of(cast.head_kalsel, data)}
    assert found == {
        ("Instansi", 2, "Provinsi"), ("Instansi", 2, "Kantor Ombudsman"),
        ("Unit", 2, "Jenis"), ("Unit", 2, "Bujur"),
        ("Produk", 2, "Unit"),
        ("Standar", 2, "Terbitkan"),
    }


def test_rows_referring_to_a_bad_row_are_not_reported_twice(cast: Any) -> None:
    data = xlsx_bytes({
        "Instansi": [{"Nama instansi": "Pemerintah Kabupaten Balangan", "Jenis": "pemkab", "Provinsi": "63",
                      "Kantor Ombudsman": "Kantor Entah"}],
        "Unit": [{"Instansi": "Pemerintah Kabupaten Balangan", "Nama unit": "Disdukcapil", "Jenis": "dinas"}],
        "Produk": [{"Instansi": "Pemerintah Kabupaten Balangan", "Unit": "Disdukcapil", "Nama produk": "KTP-el"}],
    })
    assert [(s, r, c) for s, r, c, _m in problems_of(cast.head_kalsel, data)] == [
        ("Instansi", 2, "Kantor Ombudsman")]


@pytest.mark.parametrize(("sheet", "rows", "column", "first"), [
    ("Instansi", [{"Nama instansi": "Pemkab A", "Jenis": "pemkab", "Kantor Ombudsman":
                   "Ombudsman RI Perwakilan Kalimantan Selatan", "Provinsi": "63"}] * 2, "Nama instansi", 2),
    ("Unit", [GOOD_UNIT, {**GOOD_UNIT, "Nama unit": "kecamatan murung  pudak"}], "Nama unit", 2),
    ("Produk", [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "Akta"}] * 2, "Nama produk", 2),
    ("Standar", [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Produk": "Penerbitan KTP-el", **STANDARD}] * 2,
     "Produk", 2),
])
def test_the_same_record_twice_in_a_sheet_is_a_duplicate(
        cast: Any, sheet: str, rows: list[dict[str, Any]], column: str, first: int) -> None:
    [(s, row, col, message)] = problems_of(cast.head_kalsel, xlsx_bytes({sheet: rows}))
    assert (s, row, col) == (sheet, 3, column)
    assert f"sudah ada di baris {first} lembar ini" in message


def test_a_standard_missing_its_published_components_is_not_published(cast: Any) -> None:
    data = xlsx_bytes({"Standar": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Produk": "Penerbitan KTP-el",
                                    **STANDARD, "Persyaratan": "", "Terbitkan": "ya"}]})
    problems = problems_of(cast.admin_tabalong, data)
    assert [p[:3] for p in problems] == [("Standar", 2, "Terbitkan"), ("Standar", 2, "Persyaratan")]
    assert "Lengkapi dulu komponen yang wajib dipublikasikan: Persyaratan" in problems[0][3]
    assert "wajib diisi" in problems[1][3]


def test_a_regency_outside_the_given_province_is_refused_by_the_service(cast: Any) -> None:
    data = xlsx_bytes({"Instansi": [{"Nama instansi": TABALONG, "Jenis": "pemkab", "Provinsi": "63",
                                     "Kabupaten/kota": "62.04", "Kantor Ombudsman": cast.kalsel.name}]})
    [(sheet, row, column, message)] = problems_of(cast.national_admin, data)
    assert (sheet, row, column) == ("Instansi", 2, "Kabupaten/kota")
    assert "tidak berada di provinsi" in message


def test_one_bad_row_among_good_ones_keeps_the_good_ones_out_too(cast: Any) -> None:
    good = [{**GOOD_UNIT, "Nama unit": f"Kelurahan {i}", "Jenis": "kelurahan"} for i in range(5)]
    data = xlsx_bytes({"Unit": [*good, {**GOOD_UNIT, "Tanggal maklumat": "kemarin"}]})
    assert [r for _s, r, _c, _m in problems_of(cast.admin_tabalong, data)] == [7]


# The file itself.

def file_problem(actor: Any, data: bytes) -> str:
    before = table_counts()
    fh, size = upload(data)
    with pytest.raises(FileProblem) as info:
        import_registry(actor=actor, upload=fh, size=size)
    assert table_counts() == before
    return info.value.message


def _zip(names: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in names.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"Nama instansi;Jenis\nPemkab A;pemkab\n", "Berkas ini bukan XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "berkas Excel lama (.xls)"),
    (b"%PDF-1.7\n", "Berkas ini bukan XLSX"),
    (b"", "Berkas kosong"),
    (b"PK\x03\x04" + b"\0" * 64, "rusak atau tidak lengkap"),
    (_zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"}), "bukan XLSX (misalnya dokumen Word"),
    (_zip({"xl/workbook.xml": "<bukan-xml", "[Content_Types].xml": "<Types/>"}), "tidak dapat dibaca"),
])
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_with_the_reason(cast: Any, data: bytes, message: str) -> None:
    assert message in file_problem(cast.admin_tabalong, data)


def test_a_workbook_without_any_of_the_sheets_is_not_the_template(cast: Any) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Nama", "Alamat"])
    out = io.BytesIO()
    wb.save(out)
    assert "bukan templat impor Pantau" in file_problem(cast.admin_tabalong, out.getvalue())


@override_settings(IMPORT_MAX_BYTES=2048)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(cast: Any) -> None:
    data = xlsx_bytes({"Unit": [{**GOOD_UNIT, "Nama unit": f"Unit {i}", "Alamat": "x" * 200} for i in range(40)]})
    assert len(data) > 2048
    message = file_problem(cast.admin_tabalong, data)
    assert message.startswith("Berkas terlalu besar (")
    assert "Batasnya 2 KB; bagi datanya ke beberapa berkas." in message


def test_a_zip_that_inflates_hugely_is_refused(cast: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (12 * 1024 * 1024))
    with override_settings(IMPORT_MAX_BYTES=10 * 1024 * 1024):
        assert "terlalu besar setelah dibuka" in file_problem(cast.admin_tabalong, out.getvalue())


def test_a_missing_sheet_is_named(cast: Any) -> None:
    data = xlsx_bytes({"Unit": [GOOD_UNIT]}, omit=("Standar",))
    assert problems_of(cast.admin_tabalong, data) == [
        ("Standar", None, "", "Lembar “Standar” tidak ada. Pakai templat dari Pantau; lembar yang tidak dipakai "
                              "boleh dibiarkan kosong.")]


def test_a_missing_or_unknown_header_is_named(cast: Any) -> None:
    unit = headers("Unit")
    unit[unit.index("Telepon")] = "No HP"
    unit.remove("Alamat")
    data = xlsx_bytes({"Unit": [GOOD_UNIT]}, header_override={"Unit": unit})
    found = problems_of(cast.admin_tabalong, data)
    assert ("Unit", 1, "E", "Kolom “No HP” tidak dikenal. Pakai judul kolom persis seperti di templat.") in found
    [missing] = [m for s, r, c, m in found if c == ""]
    assert "Kolom berikut tidak ada di baris judul: Alamat, Telepon." in missing


def test_sheet_names_and_headers_are_matched_without_regard_to_case(cast: Any) -> None:
    from openpyxl import load_workbook

    data = xlsx_bytes({"Unit": [GOOD_UNIT]})
    wb = load_workbook(io.BytesIO(data))
    wb["Unit"].title = "unit "
    wb["unit "]["A1"] = "INSTANSI"
    out = io.BytesIO()
    wb.save(out)
    fh, size = upload(out.getvalue())
    assert import_registry(actor=cast.admin_tabalong, upload=fh, size=size).ok


def test_dates_may_be_real_dates_or_common_text_forms(cast: Any) -> None:
    rows = [{**GOOD_UNIT, "Nama unit": f"Unit {i}", "Tanggal maklumat": v}
            for i, v in enumerate([dt.date(2025, 1, 31), "2025-01-31", "31-01-2025", "31/01/2025"])]
    fh, size = upload(xlsx_bytes({"Unit": rows}))
    result = import_registry(actor=cast.admin_tabalong, upload=fh, size=size)
    assert result.ok, result.problems
    from pantau.registry.models import ServiceUnit

    assert set(ServiceUnit.objects.filter(name__startswith="Unit ").values_list("maklumat_date", flat=True)) == {
        dt.date(2025, 1, 31)}
