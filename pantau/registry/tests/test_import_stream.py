"""The import streams the workbook a chunk of rows at a time and stays all or nothing: a problem in
the last chunk leaves nothing of the first ones written, and the check's memory does not grow with
the rows."""

from __future__ import annotations

import gc
import io
import tracemalloc
from typing import Any

import pytest

from pantau.registry import import_run, importer, transfer
from pantau.registry.importer import import_registry
from pantau.registry.models import ServiceProduct, ServiceUnit
from pantau.registry.tests.workbooks import STANDARD, table_counts, xlsx_bytes
from pantau.reports import xlsx

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"


def chunked_file(units: int, products: int, *, bad: dict[str, Any] | None = None) -> bytes:
    """New units, their products and published standards; ``bad`` replaces the last standard row."""
    unit = [f"UPT Uji Alir {u}" for u in range(units)]
    standards: list[dict[str, Any]] = [
        {"Instansi": TABALONG, "Unit": unit[i % units], "Produk": f"Layanan Alir {i}", **STANDARD, "Terbitkan": "ya"}
        for i in range(products)]
    if bad is not None:
        standards[-1] = {**standards[-1], **bad}
    return xlsx_bytes({
        "Unit": [{"Instansi": TABALONG, "Nama unit": name, "Jenis": "kantor"} for name in unit],
        "Produk": [{"Instansi": TABALONG, "Unit": unit[i % units], "Nama produk": f"Layanan Alir {i}"}
                   for i in range(products)],
        "Standar": standards,
    })


def run(actor: Any, data: bytes, **kwargs: Any) -> importer.ImportResult:
    return import_registry(actor=actor, upload=io.BytesIO(data), size=len(data), **kwargs)


def test_a_file_of_many_chunks_is_written_whole(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)
    result = run(cast.admin_tabalong, chunked_file(5, 23))
    assert result.ok, result.problems
    assert [(c.created, c.published) for c in result.counts.values()] == [(0, 0), (5, 0), (23, 0), (23, 23)]
    new = ServiceProduct.objects.filter(unit__name__startswith="UPT Uji Alir")
    assert new.count() == 23 and new.filter(current_standard__isnull=False).count() == 23
    assert ServiceProduct.objects.get(name="Layanan Alir 22").unit.name == "UPT Uji Alir 2"
    # Importing it again, chunk by chunk, finds every row as it is.
    again = run(cast.admin_tabalong, chunked_file(5, 23))
    assert again.ok and [c.unchanged for c in again.counts.values()] == [0, 5, 23, 23]


@pytest.mark.parametrize(("bad", "column", "message"), [
    ({"Produk": "Layanan Entah"}, "Produk", "Produk “Layanan Entah” tidak ada di unit"),
    ({"Jangka waktu (hari kerja)": "lama"}, "Jangka waktu (hari kerja)", "“lama” bukan angka."),
])
def test_a_problem_in_the_last_chunk_leaves_nothing_of_the_earlier_chunks_written(
        cast: Any, monkeypatch: Any, bad: dict[str, Any], column: str, message: str) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)
    before = table_counts()
    result = run(cast.admin_tabalong, chunked_file(5, 23, bad=bad))
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Standar", 24, column)]
    assert message in result.problems[0].message
    assert table_counts() == before
    assert not ServiceUnit.objects.filter(name__startswith="UPT Uji Alir").exists()


def test_the_problems_kept_are_capped_and_all_are_counted(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 3)
    monkeypatch.setattr(import_run, "KEPT_PROBLEMS", 4)
    data = xlsx_bytes({"Unit": [{"Instansi": TABALONG, "Nama unit": f"Unit {i}", "Jenis": "kerajaan"}
                                for i in range(10)]})
    result = run(cast.admin_tabalong, data)
    assert not result.ok and result.total_problems == 10
    assert [p.row for p in result.problems] == [2, 3, 4, 5]


def products_book(n: int) -> bytes:
    """``n`` new products of one existing unit (written by the project's fast XLSX writer)."""
    sheets = transfer.build_sheets()
    columns = sheets[transfer.PRODUCTS].columns
    rows = ([{"institution": TABALONG, "unit": "Dinas Kependudukan dan Pencatatan Sipil",
              "name": f"Layanan Memori {i}", "category": "lainnya", "is_active": "ya"}.get(c.key) for c in columns]
            for i in range(n))
    wb = xlsx.new_workbook()
    for name in transfer.SHEET_ORDER:
        xlsx.add_sheet(wb, sheets[name], rows if name == transfer.PRODUCTS else [], {})
    out = io.BytesIO()
    xlsx.save(wb, out)
    return out.getvalue()


def peak_of_dry_run(actor: Any, data: bytes) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = run(actor, data, dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok, result.problems[:3]
    return peak


def test_the_checks_memory_does_not_grow_with_the_rows(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 100)
    peaks = [peak_of_dry_run(cast.admin_tabalong, products_book(n)) for n in (400, 1600)]
    # Per row only its keys and id stay (under 1 kB; the importer that held every row until the end
    # grew by 5 kB a row here: 6 MB for the 1 200 more rows).
    assert peaks[1] - peaks[0] < 1200 * 2000, peaks
    assert not ServiceProduct.objects.filter(name__startswith="Layanan Memori").exists()
