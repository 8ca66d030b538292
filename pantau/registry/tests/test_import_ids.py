"""Import by the export's ID columns: a changed name is a rename, never a duplicate; bad IDs are refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from pantau.registry.exporter import write_registry
from pantau.registry.importer import ImportResult, import_registry
from pantau.registry.models import Institution, ServiceProduct, ServiceStandard, ServiceUnit
from pantau.registry.tests.workbooks import headers, read_back, table_counts, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"


def export_bytes(user: Any) -> bytes:
    out = io.BytesIO()
    write_registry(user, out)
    return out.getvalue()


def edited(data: bytes, sheet: str, match: dict[str, Any], changes: dict[str, Any]) -> bytes:
    """The workbook with ``changes`` made to the rows of ``sheet`` that match ``match`` (by header)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if all(row[head.index(h)].value == v for h, v in match.items()):
            for h, v in changes.items():
                row[head.index(h)].value = v
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(actor: Any, data: bytes) -> ImportResult:
    fh, size = upload(data)
    return import_registry(actor=actor, upload=fh, size=size)


def refused(actor: Any, data: bytes) -> list[tuple[str, int | None, str, str]]:
    before = table_counts()
    result = run(actor, data)
    assert not result.ok
    assert table_counts() == before, "a refused import must write nothing"
    return [(p.sheet, p.row, p.column, p.message) for p in result.problems]


def test_the_export_carries_the_id_of_every_institution_unit_and_product(cast: Any) -> None:
    data = read_back(export_bytes(cast.admin_tabalong))
    assert [r["ID instansi"] for r in data["Instansi"]] == [cast.tabalong.pk]
    assert {r["Nama unit"]: r["ID unit"] for r in data["Unit"]} == {
        "DPMPTSP": cast.dpmptsp.pk, DUKCAPIL: cast.dukcapil.pk}
    assert {r["Nama produk"]: r["ID produk"] for r in data["Produk"]} == {
        "Penerbitan KTP-el": cast.ktp.pk, "Persetujuan Bangunan Gedung": cast.pbg.pk}


def test_renaming_a_product_in_the_export_renames_it_instead_of_adding_a_duplicate(cast: Any) -> None:
    data = edited(export_bytes(cast.admin_tabalong), "Produk", {"Nama produk": "Penerbitan KTP-el"},
                  {"Nama produk": "Penerbitan KTP Elektronik"})
    products, standards = ServiceProduct.objects.count(), ServiceStandard.objects.count()

    result = run(cast.admin_tabalong, data)

    assert result.ok, result.problems
    assert ServiceProduct.objects.count() == products and ServiceStandard.objects.count() == standards
    cast.ktp.refresh_from_db()
    assert cast.ktp.name == "Penerbitan KTP Elektronik"
    # The Standar sheet still names the product by its old name: it is found, and nothing changes there.
    assert {s["sheet"]: (s["updated"], s["unchanged"]) for s in result.summary()}["Standar"] == (0, 2)
    assert {s["sheet"]: s["updated"] for s in result.summary()}["Produk"] == 1


def test_an_institution_and_a_unit_are_renamed_by_id_and_later_sheets_may_use_either_name(cast: Any) -> None:
    data = edited(export_bytes(cast.national_admin), "Instansi", {"Nama instansi": TABALONG},
                  {"Nama instansi": "Pemerintah Kabupaten Tabalong Baru"})
    data = edited(data, "Unit", {"Nama unit": "DPMPTSP"}, {"Nama unit": "Dinas Penanaman Modal dan PTSP"})
    data = edited(data, "Produk", {"Nama produk": "Penerbitan KTP-el", "Instansi": TABALONG},
                  {"Instansi": "Pemerintah Kabupaten Tabalong Baru"})
    counts = (Institution.objects.count(), ServiceUnit.objects.count(), ServiceProduct.objects.count())

    result = run(cast.national_admin, data)

    assert result.ok, result.problems
    assert (Institution.objects.count(), ServiceUnit.objects.count(), ServiceProduct.objects.count()) == counts
    cast.tabalong.refresh_from_db()
    cast.dpmptsp.refresh_from_db()
    assert (cast.tabalong.name, cast.dpmptsp.name) == ("Pemerintah Kabupaten Tabalong Baru",
                                                       "Dinas Penanaman Modal dan PTSP")


@pytest.mark.parametrize("product_id", ["unknown", "outside scope"])
def test_an_unknown_id_or_one_outside_the_importers_scope_is_refused_on_the_id_column(
        cast: Any, product_id: str) -> None:
    pk = 987_654 if product_id == "unknown" else cast.barsel_ktp.pk
    data = xlsx_bytes({"Produk": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "Penerbitan KTP-el",
                                   "ID produk": pk}]})
    assert refused(cast.admin_tabalong, data) == [
        ("Produk", 2, "ID produk", f"ID {pk} tidak dikenal atau di luar wilayah kerja Anda. Kosongkan ID untuk "
                                   "menambah data baru.")]


def test_an_id_of_a_record_under_another_parent_is_refused_the_import_moves_nothing(cast: Any) -> None:
    data = xlsx_bytes({
        "Unit": [{"Instansi": "Pemerintah Kota Banjarmasin", "Nama unit": "DPMPTSP", "Jenis": "dinas",
                  "ID unit": cast.dpmptsp.pk}],
        "Produk": [{"Instansi": TABALONG, "Unit": "DPMPTSP", "Nama produk": "Penerbitan KTP-el",
                    "ID produk": cast.ktp.pk}],
    })
    found = refused(cast.head_kalsel, data)
    assert [(s, r, c) for s, r, c, _m in found] == [("Unit", 2, "ID unit"), ("Produk", 2, "ID produk")]
    assert "milik instansi lain, bukan “Pemerintah Kota Banjarmasin”. Impor tidak memindahkan unit" in found[0][3]
    assert "milik unit lain, bukan “DPMPTSP”" in found[1][3]


def test_the_same_id_twice_in_a_sheet_is_refused(cast: Any) -> None:
    row = {"Instansi": TABALONG, "Unit": DUKCAPIL, "ID produk": cast.ktp.pk}
    data = xlsx_bytes({"Produk": [{**row, "Nama produk": "KTP-el"}, {**row, "Nama produk": "KTP elektronik"}]})
    assert refused(cast.admin_tabalong, data) == [
        ("Produk", 3, "ID produk", f"ID {cast.ktp.pk} sudah ada di baris 2 lembar ini. Tulis setiap data satu kali "
                                   "saja.")]


def test_renaming_to_the_name_of_another_record_is_refused(cast: Any) -> None:
    data = xlsx_bytes({"Produk": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "PENERBITAN  ktp-el",
                                   "ID produk": None},
                                  ]})
    assert run(cast.admin_tabalong, data).ok  # no ID: found by its folded name, not added
    assert ServiceProduct.objects.filter(unit=cast.dukcapil).count() == 1
    other = ServiceProduct.objects.create(unit=cast.dukcapil, name="Akta Kelahiran")
    data = xlsx_bytes({"Produk": [{"Instansi": TABALONG, "Unit": DUKCAPIL, "Nama produk": "akta kelahiran",
                                   "ID produk": cast.ktp.pk}]})
    assert refused(cast.admin_tabalong, data) == [
        ("Produk", 2, "Nama produk", f"Nama ini sudah dipakai data lain di tempat yang sama (ID {other.pk}). "
                                     "Pakai nama lain.")]


@pytest.mark.parametrize("twin", ["izin usaha mikro", "Izin\u200b Usaha  Mikro", "ＩＺＩＮ USAHA MIKRO",
                                  "Izin Usаha Mikro"])  # the last with a Cyrillic а
def test_two_rows_whose_names_fold_to_the_same_name_are_refused(cast: Any, twin: str) -> None:
    row = {"Instansi": TABALONG, "Unit": "DPMPTSP"}
    data = xlsx_bytes({"Produk": [{**row, "Nama produk": "Izin Usaha Mikro"}, {**row, "Nama produk": twin}]})
    [(sheet, number, column, message)] = refused(cast.admin_tabalong, data)
    assert (sheet, number, column) == ("Produk", 3, "Nama produk")
    assert "sudah ada di baris 2 lembar ini" in message


def test_a_file_from_an_older_template_without_id_columns_still_imports_by_name(cast: Any) -> None:
    unit = [h for h in headers("Unit") if h != "ID unit"]
    data = xlsx_bytes({"Unit": [{"Instansi": TABALONG, "Nama unit": "DPMPTSP", "Jenis": "badan"}]},
                      header_override={"Unit": unit})
    result = run(cast.admin_tabalong, data)
    assert result.ok, result.problems
    cast.dpmptsp.refresh_from_db()
    assert cast.dpmptsp.kind == "badan" and ServiceUnit.objects.filter(institution=cast.tabalong).count() == 2


def test_the_template_carries_the_ids_of_the_users_institutions(cast: Any) -> None:
    out = io.BytesIO()
    write_registry(cast.head_kalsel, out, template=True)
    rows = read_back(out.getvalue())["Instansi"]
    assert {r["Nama instansi"]: r["ID instansi"] for r in rows} == {
        TABALONG: cast.tabalong.pk, "Pemerintah Kota Banjarmasin": cast.banjarmasin.pk}
    fh, size = upload(out.getvalue())
    assert import_registry(actor=cast.head_kalsel, upload=fh, size=size).ok
