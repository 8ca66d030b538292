"""The streaming reader gives the values Excel wrote: shared and inline text, numbers, dates, booleans."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from pantau.reports import xlsx
from pantau.reports.xlsx_reader import FileProblem

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def excel_like(*, date1904: bool = False, index: int = 3) -> bytes:
    """A workbook written the way Excel writes one: shared strings (rich text, phonetic runs),
    a custom date format, a prefixed namespace, a formula with its cached value."""
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{RELS}">'
                           f'<x:workbookPr date1904="{int(date1904)}"/><x:sheets>'
                           '<x:sheet name="Data" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      'relationships"><Relationship Id="rId7" Target="/xl/worksheets/data.xml" '
                                      'Type="worksheet"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
                         'formatCode="dd/mm/yyyy"/></numFmts><cellStyleXfs><xf numFmtId="164"/></cellStyleXfs>'
                         '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>Nama</t></si><si><t>Tanggal</t></si>'
                                '<si><r><t>Dinas </t></r><r><t>Kesehatan</t></r><rPh><t>ふりがな</t></rPh></si>'
                                "<si><t>_x0001_=1+1</t></si></sst>",
        "xl/worksheets/data.xml": f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
                                  '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                                  '<row><c t="s"><v>2</v></c><c s="1"><v>45688</v></c><c t="b"><v>1</v></c>'
                                  '<c t="str"><f>A2&amp;"!"</f><v>Dinas Kesehatan!</v></c></row>'
                                  f'<row r="5"><c r="A5" t="s"><v>{index}</v></c><c r="B5" s="2"><v>45688.5</v></c>'
                                  '<c r="C5"><v>-2.5</v></c><c r="D5" t="inlineStr"><is><t>baris\nbaru</t></is></c>'
                                  "</row></sheetData><mergeCells/></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def rows_of(data: bytes) -> list[tuple[int, dict[int, object]]]:
    book = xlsx.open_workbook(io.BytesIO(data), size=len(data), max_bytes=1024 * 1024)
    try:
        return list(book.rows("Data"))
    finally:
        book.close()


def test_cells_are_read_as_excel_wrote_them_whatever_the_dimension_claims() -> None:
    assert rows_of(excel_like()) == [
        (1, {1: "Nama", 2: "Tanggal"}),
        (2, {1: "Dinas Kesehatan", 2: dt.datetime(2025, 1, 31), 3: True, 4: "Dinas Kesehatan!"}),
        (5, {1: "\x01=1+1", 2: dt.datetime(2025, 1, 31, 12), 3: -2.5, 4: "baris\nbaru"}),
    ]


def test_the_1904_date_system_is_followed() -> None:
    assert rows_of(excel_like(date1904=True))[1][1][2] == dt.datetime(2029, 2, 1)


def test_a_shared_string_index_out_of_range_is_a_damaged_file() -> None:
    with pytest.raises(FileProblem, match="rusak"):
        rows_of(excel_like(index=99))
