"""A provider admin imports the template with one bad row, sees the error and nothing written, fixes it, imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Site, log_in_through_form, no_horizontal_scroll

pytestmark = pytest.mark.browser

TABALONG = "Pemerintah Kabupaten Tabalong"


def registry_counts() -> dict[str, int]:
    from pantau.registry.tests.workbooks import table_counts

    return table_counts()


def fill_template(template: Path, out: Path, *, hospital_kind: str) -> Path:
    """Add two units and a product to the downloaded template, as a person would in Excel."""
    wb = load_workbook(template)
    assert [r[0].value for r in wb["Instansi"].iter_rows(min_row=2)] == [TABALONG]  # prefilled with their scope
    units = wb["Unit"]
    columns = [c.value for c in units[1]]
    for name, kind in [("Kecamatan Murung Pudak", "kecamatan"), ("RSUD H. Badaruddin Kasim", hospital_kind)]:
        units.append([{"Instansi": TABALONG, "Nama unit": name, "Jenis": kind}.get(h) for h in columns])
    products = wb["Produk"]
    columns = [c.value for c in products[1]]
    products.append([{"Instansi": TABALONG, "Unit": "RSUD H. Badaruddin Kasim", "Nama produk": "Surat keterangan sehat",
                      "Kategori": "kesehatan"}.get(h) for h in columns])
    wb.save(out)
    return out


def test_an_institution_admin_imports_the_template_fixing_a_bad_row(
        phone: Page, site: Site, log_in: Callable[..., None], tmp_path: Path) -> None:
    log_in(phone, "admin_tabalong")
    phone.get_by_role("link", name="Impor dari XLSX").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Impor dan ekspor XLSX")
    no_horizontal_scroll(phone)

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Unduh templat impor").click()
    download = download_info.value
    assert download.suggested_filename == "pantau-templat-impor.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)
    assert template.read_bytes()[:4] == b"PK\x03\x04"  # a real XLSX (a ZIP package) ...
    assert load_workbook(template, read_only=True).sheetnames[:5] == [  # ... that openpyxl opens
        "Petunjuk", "Instansi", "Unit", "Produk", "Standar"]

    # One bad row: "rumah sakit" is not one of the unit kinds.
    before = registry_counts()
    bad = fill_template(template, tmp_path / "isian-salah.xlsx", hospital_kind="rumah sakit")
    phone.get_by_label("Berkas XLSX").set_input_files(bad)
    phone.get_by_role("button", name="Impor", exact=True).click()

    expect(phone.get_by_role("alert")).to_contain_text("Ditemukan 1 kesalahan. Tidak ada data yang disimpan")
    problems = phone.get_by_role("table", name="Kesalahan per lembar, baris dan kolom")
    row = problems.get_by_role("row").nth(1)
    expect(row.get_by_role("cell")).to_have_text(
        ["Unit", "3", "Jenis", "“rumah sakit” bukan pilihan yang dikenal. Pilih salah satu: dinas, badan, "
         "kecamatan, kelurahan, rsud, puskesmas, mpp, sekolah, kantor, lainnya."])
    no_horizontal_scroll(phone)
    assert registry_counts() == before, "the good rows of a refused file must not be written either"

    # Fixed: the same file with "rsud", uploaded again from the import page (the refused import's
    # job page links back to it).
    phone.get_by_role("link", name="Kembali ke impor dan ekspor").click()
    good = fill_template(template, tmp_path / "isian-benar.xlsx", hospital_kind="rsud")
    phone.get_by_label("Berkas XLSX").set_input_files(good)
    phone.get_by_role("button", name="Impor", exact=True).click()

    expect(phone.get_by_role("status")).to_contain_text("Impor selesai. Semua baris tersimpan.")
    summary = phone.get_by_role("table", name="Yang tersimpan, per lembar")
    expect(summary.get_by_role("row", name="Unit")).to_contain_text("2")
    expect(summary.get_by_role("row", name="Produk").get_by_role("cell").first).to_have_text("1")
    after = registry_counts()
    assert (after["ServiceUnit"], after["ServiceProduct"]) == (before["ServiceUnit"] + 2, before["ServiceProduct"] + 1)

    phone.goto(site.at(f"/kelola/instansi/{site.cast.tabalong.pk}/"))
    expect(phone.get_by_role("link", name="RSUD H. Badaruddin Kasim")).to_be_visible()


def test_the_import_page_has_no_serious_accessibility_violation(
        site: Site, axe_context: BrowserContext, axe: Callable[[Page], None], tmp_path: Path) -> None:
    page = axe_context.new_page()
    log_in_through_form(page, site, "admin_tabalong")
    page.goto(site.at("/kelola/impor/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)

    # With the table of problems showing.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh templat impor").click()
    template = tmp_path / "templat.xlsx"
    download_info.value.save_as(template)
    page.get_by_label("Berkas XLSX").set_input_files(fill_template(template, tmp_path / "salah.xlsx",
                                                                   hospital_kind="istana"))
    page.get_by_role("button", name="Impor", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe(page)
