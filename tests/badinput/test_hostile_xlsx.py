"""Hostile XLSX files through the real import page: no 500, a clear message, nothing written, quickly.

Each file is a real workbook (built with openpyxl) with one part rewritten to carry the attack, so
everything else about it is what Pantau's own template looks like. The registry API has no import
endpoint (imports are a web-page feature), so the page is the only way in.
"""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from pantau.registry import transfer
from pantau.registry.models import ServiceUnit
from pantau.registry.tests.workbooks import table_counts, xlsx_bytes
from pantau.reports import xlsx_reader
from pantau.reports.xlsx import XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db

TABALONG = "Pemerintah Kabupaten Tabalong"
UNIT_ROW = {"Instansi": TABALONG, "Nama unit": "Kecamatan Murung Pudak", "Jenis": "kecamatan"}
# The sheets of the template, in order: Instansi, Unit, Produk, Standar.
UNIT_PART = "xl/worksheets/sheet2.xml"
SECONDS = 5  # a loose sanity bound: each of these files is answered in well under a second
DOCTYPE = "DOCTYPE/ENTITY"


def rebuild(data: bytes, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """The workbook with some parts replaced (a callable gets the old part) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            change = parts.get(name)
            old = source.read(name)
            target.writestr(name, change(old) if callable(change) else (change if change is not None else old))
        for name, change in parts.items():
            if name not in source.namelist():
                assert isinstance(change, bytes)
                target.writestr(name, change)
    return out.getvalue()


def good() -> bytes:
    return xlsx_bytes({"Unit": [UNIT_ROW]})


def in_unit_sheet(rows: str, *, dimension: str = "A1:XFD1048576", prolog: str = "") -> bytes:
    """The good file with ``rows`` (sheet XML) added after its rows and its ``<dimension>`` replaced."""
    def patch(xml: bytes) -> bytes:
        text = xml.decode()
        text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', text)
        return (prolog + text.replace("</sheetData>", rows + "</sheetData>")).encode()
    return rebuild(good(), {UNIT_PART: patch})


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def zip_bomb() -> bytes:
    return rebuild(good(), {"xl/media/image1.png": b"\0" * (12 * 1024 * 1024)})


def lying_sizes() -> bytes:
    """A ZIP whose headers claim a 100-byte sheet that really inflates to 10 MB (it must not be read past)."""
    padded = rebuild(good(), {UNIT_PART: lambda xml: xml.replace(b"</sheetData>", b" " * 10_000_000 + b"</sheetData>")})
    data = bytearray(padded)
    info = zipfile.ZipFile(io.BytesIO(padded)).getinfo(UNIT_PART)
    data[info.header_offset + 22:info.header_offset + 26] = struct.pack("<I", 100)  # local header
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(UNIT_PART)] != UNIT_PART.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24:central + 28] = struct.pack("<I", 100)  # central directory
    return bytes(data)


def xxe(part: str) -> bytes:
    prolog = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    return rebuild(good(), {part: lambda xml: prolog.encode() + re.sub(rb"^<\?xml[^>]*\?>", b"", xml)})


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    strings = (f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    return rebuild(good(), {"xl/sharedStrings.xml": strings.encode()})


def shared_strings(count: int, text: str = "x") -> bytes:
    body = f"<si><t>{text}</t></si>" * count
    return (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}">'
            f"{body}</sst>").encode()


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "dimension bomb, one far row": (
        lambda: in_unit_sheet(f'<row r="1048576">{inline("XFD1048576", "x")}</row>'),
        "Lembar ini berisi lebih dari 10000 baris"),
    "dimension bomb, one far blank row": (
        lambda: in_unit_sheet('<row r="1048576" ht="30" customHeight="1"/>'), "lebih dari 10000 baris"),
    "ten thousand blank rows": (
        lambda: in_unit_sheet("".join(f'<row r="{i}"/>' for i in range(3, 10_004)), dimension="A1:C2"),
        "baris kosong yang masih tersimpan di berkas ikut dihitung"),
    "a filled cell in the last column": (
        lambda: in_unit_sheet(f'<row r="3">{inline("A3", TABALONG)}{inline("XFD3", "x")}</row>'),
        "Ada isian di kolom XFD, di luar batas 64 kolom"),
    "twenty thousand empty cells in one row": (
        lambda: in_unit_sheet('<row r="3">' + "<c/>" * 20_000 + "</row>"), "rusak atau tidak lengkap"),
    "the same row number over and over": (
        lambda: in_unit_sheet('<row r="3"/>' * 50_000), "rusak atau tidak lengkap"),
    "a cell longer than Excel allows": (
        lambda: in_unit_sheet(f'<row r="3">{inline("D3", "x" * 40_000)}</row>'), "lebih dari 32767 karakter"),
    "zip bomb": (zip_bomb, "Isi berkas terlalu besar setelah dibuka"),
    "a ZIP that lies about its sizes": (lying_sizes, "rusak atau tidak lengkap"),
    "huge shared-strings part": (
        lambda: rebuild(good(), {"xl/sharedStrings.xml": shared_strings(2_000_000)}), "terlalu besar setelah dibuka"),
    "XXE in a sheet": (lambda: xxe(UNIT_PART), DOCTYPE),
    "XXE in the workbook part": (lambda: xxe("xl/workbook.xml"), DOCTYPE),
    "billion laughs in the shared strings": (billion_laughs, DOCTYPE),
    "a PDF renamed .xlsx": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "Berkas ini bukan XLSX"),
    "a CSV renamed .xlsx": (lambda: b"Instansi;Nama unit;Jenis\nX;Y;dinas\n", "Berkas ini bukan XLSX"),
    "a truncated workbook": (lambda: good()[: len(good()) // 2], "rusak atau tidak lengkap"),
    "a Word document renamed .xlsx": (
        lambda: rebuild(good(), {}).replace(b"xl/workbook.xml", b"xl/workbooX.xml"), "bukan XLSX"),
    "a sheet that is not XML": (lambda: rebuild(good(), {UNIT_PART: b"<worksheet><sheetData><row"}),
                                "tidak dapat dibaca"),
}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(user: Any, data: bytes) -> str:
    """Upload ``data`` through the import page; assert it is refused (a 422 on the form when it is no
    readable XLSX at all, else its job fails), nothing written, a quick answer. Returns the page
    that says why (the form or the job page)."""
    before = table_counts()
    client, url = client_for(user), reverse("manage:import")  # the first reverse() loads every URLconf
    client.get(url)
    started = time.monotonic()
    response = client.post(url, {
        "file": SimpleUploadedFile("impor.xlsx", data, content_type=XLSX_CONTENT_TYPE), "action": "import"})
    elapsed = time.monotonic() - started
    assert table_counts() == before, "a refused file must write nothing"
    assert elapsed < SECONDS, f"answered in {elapsed:.1f} s"
    if response.status_code == 302:  # the job ran (at once in the test suite) and failed
        page = client.get(response["Location"])
        assert "<strong>Gagal</strong>" in page.content.decode()
        return str(page.content.decode())
    assert response.status_code == 422
    return str(response.content.decode())


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_workbook_is_refused_quickly_with_a_clear_message_and_nothing_written(
        cast: Any, case: str, monkeypatch: Any, settings: Any) -> None:
    # The files are built against a 10 MB upload and 10 000-row limit (the rules scale with them).
    monkeypatch.setattr(transfer, "MAX_ROWS", 10_000)
    settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_INFLATED_BYTES = 10 * 1024 * 1024, 100 * 1024 * 1024
    build, message = HOSTILE[case]
    assert message in refused(cast.admin_tabalong, build())


def test_the_far_row_is_named_by_its_sheet_and_row(cast: Any) -> None:
    html = refused(cast.admin_tabalong, in_unit_sheet(f'<row r="1048576">{inline("A1048576", "x")}</row>'))
    assert "<td>Unit</td><td>1048576</td>" in html


def test_a_filled_cell_under_no_header_is_reported_not_dropped(cast: Any) -> None:
    row = f'<row r="3">{inline("A3", TABALONG)}{inline("B3", "Kecamatan Tanjung")}{inline("C3", "kecamatan")}' \
          f'{inline("Z3", "catatan")}</row>'
    html = refused(cast.admin_tabalong, in_unit_sheet(row, dimension="A1:Z3"))
    assert "<td>Unit</td><td>3</td><td>Z</td><td>Sel ini berisi data di kolom tanpa judul" in html


def test_more_distinct_texts_than_allowed_are_refused(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 1000)
    html = refused(cast.admin_tabalong, rebuild(good(), {"xl/sharedStrings.xml": shared_strings(1001)}))
    assert "lebih dari 1000 teks berbeda" in html


@override_settings(IMPORT_MAX_SECONDS=0)
def test_a_file_that_runs_past_the_time_budget_is_stopped_and_nothing_is_written(cast: Any) -> None:
    rows = "".join(f'<row r="{i}">{inline(f"A{i}", TABALONG)}{inline(f"B{i}", f"Unit {i}")}'
                   f'{inline(f"C{i}", "dinas")}</row>' for i in range(3, 3000))
    assert "terlalu lama diproses (lebih dari 0 detik)" in refused(cast.admin_tabalong, in_unit_sheet(rows))


def test_a_lying_dimension_is_ignored_and_the_real_rows_are_imported(cast: Any) -> None:
    response = client_for(cast.admin_tabalong).post(reverse("manage:import"), {
        "file": SimpleUploadedFile("impor.xlsx", in_unit_sheet(""), content_type=XLSX_CONTENT_TYPE),
        "action": "import"})
    assert response.status_code == 302
    assert ServiceUnit.objects.filter(name="Kecamatan Murung Pudak").exists()


def test_a_formula_behind_a_control_character_is_stored_cleaned_and_exported_as_text(cast: Any) -> None:
    # Excel writes a control character as _xHHHH_; U+0001 then "=" must not survive as a formula.
    hostile = '_x0001_=HYPERLINK("http://contoh.invalid","klik")'
    data = xlsx_bytes({"Unit": [{**UNIT_ROW, "Alamat": hostile, "Telepon": "\t+62 526"}]})
    client = client_for(cast.admin_tabalong)
    response = client.post(reverse("manage:import"), {
        "file": SimpleUploadedFile("impor.xlsx", data, content_type=XLSX_CONTENT_TYPE), "action": "import"})
    assert response.status_code == 302
    unit = ServiceUnit.objects.get(name="Kecamatan Murung Pudak")
    assert (unit.address, unit.phone) == ('=HYPERLINK("http://contoh.invalid","klik")', "+62 526")

    job = client.post(reverse("manage:export"))
    export = client.get(job["Location"] + "unduh/")
    wb = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    address = next(c for c in cells if c.value == unit.address)
    assert address.data_type == "s" and address.quotePrefix
