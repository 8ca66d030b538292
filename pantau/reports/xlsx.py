"""XLSX files with openpyxl: write workbooks with a header row, read rows back checked cell by cell.

Writing: openpyxl's write-only mode builds the workbook's skeleton (each sheet's header row,
frozen, with a comment explaining the column and, where a column has a fixed list of values, a
drop-down list (data validation); styles, widths, the notes and choice sheets). The data rows of
``add_sheet`` are not openpyxl cells: they are written here as sheet XML, row by row, to a
temporary file (about 1.5 µs a cell instead of openpyxl's 15-20 µs), and ``save`` splices them
into the sheet openpyxl wrote, copying the rest of the ZIP unchanged (memory stays flat: the
spooled rows are copied in chunks).

Reading streams each sheet (``xlsx_reader``) and yields each row as a dict of typed values plus the
problems found in its cells, in plain words, with the sheet, row and column they belong to.

Nothing here knows about the registry: modules describe their sheets with ``Column``/``Sheet``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import math
import re
import shutil
import tempfile
import weakref
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation

from pantau.reports import cells
from pantau.reports.xlsx_reader import Book, Budget
from pantau.reports.xlsx_reader import FileProblem as FileProblem

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES_SHEET = "Pilihan"
# Drop-down lists and the like cover this many data rows below the header.
VALIDATION_ROWS = 5000
# Filled cells past this column are refused (the widest sheet of a module's layout is far narrower).
MAX_COLUMNS = 64

TEXT, CHOICE, DATE, BOOL, INT, FLOAT, URL = "text", "choice", "date", "bool", "int", "float", "url"
YES, NO = "ya", "tidak"
_YES = {"ya", "y", "yes", "true", "1", "benar"}
_NO = {"tidak", "t", "no", "n", "false", "0", "salah", "bukan"}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file. ``row`` is the spreadsheet's row number (1 = header)."""

    sheet: str
    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class Column:
    """One column of a sheet. ``header`` is part of the file format (not translated)."""

    header: str
    key: str
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    # CHOICE: (value written in the file, meaning shown in the header comment).
    choices: tuple[tuple[str, str], ...] = ()
    # Drop-down suggestions that do not restrict the cell (e.g. region names; codes also work).
    suggestions: str | None = None
    help: str | Promise = ""
    width: int = 20
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    # A code typed as a number keeps this many decimals (63.1 is read back as "63.10").
    decimals: int | None = None
    # The header may be missing (a column added to the layout later: older files still import).
    optional: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


@dataclass
class Row:
    """A data row read from a sheet: its number, typed values by column key, and cell problems."""

    number: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


# Writing.

def new_workbook() -> WorkbookType:
    return Workbook(write_only=True)


def cell(ws: Any, value: Any) -> WriteOnlyCell:
    """A cell for a write-only sheet. Text is cleaned, then written as a string, never as a formula
    (``reports.cells``); text that a spreadsheet would run also gets the quote prefix."""
    if isinstance(value, str | Promise):
        text = cells.xlsx_text(value)
        c = WriteOnlyCell(ws, value=text)
        c.data_type = "s"
        if cells.looks_like_formula(text):
            c.quotePrefix = True
        return c
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.date):
        c.number_format = "yyyy-mm-dd"
    return c


def _comment(column: Column) -> str:
    lines = [str(column.help)] if column.help else []
    if column.required:
        lines.append(_("Wajib diisi."))
    if column.choices:
        lines.append(_("Pilihan:") + " " + "; ".join(f"{v} = {label}" for v, label in column.choices))
    if column.kind == DATE:
        lines.append(_("Format tanggal: TTTT-BB-HH, misalnya 2025-01-31."))
    if column.kind == BOOL:
        lines.append(_("Isi 'ya' atau 'tidak'."))
    return "\n".join(lines)


def add_sheet(wb: WorkbookType, sheet: Sheet, rows: Iterable[Sequence[Any]],
              choice_ranges: Mapping[str, str] | None = None) -> Any:
    """Write one sheet: a bold, frozen header row with comments and drop-downs, then ``rows``."""
    ws = wb.create_sheet(sheet.name)
    ws.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        area = f"{letter}2:{letter}{VALIDATION_ROWS + 1}"
        if column.choices or column.kind == BOOL:
            values = [v for v, _label in column.choices] if column.choices else [YES, NO]
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=_("Pilihan tidak dikenal"),
                                error=_("Pilih salah satu isian dari daftar."))
            dv.add(area)
            ws.data_validations.append(dv)
        elif column.suggestions and choice_ranges and column.suggestions in choice_ranges:
            dv = DataValidation(type="list", formula1=choice_ranges[column.suggestions], allow_blank=True,
                                showErrorMessage=False)
            dv.add(area)
            ws.data_validations.append(dv)
    header = []
    for column in sheet.columns:
        c = cell(ws, column.header)
        c.font = Font(bold=True)
        c.fill = _HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
        text = _comment(column)
        if text:
            c.comment = Comment(text, "Pantau", width=300, height=160)
        header.append(c)
    ws.append(header)
    spooled: list[tuple[Any, IO[bytes]]] | None = wb.__dict__.get(_SPOOLED)
    if spooled is None:
        spooled = wb.__dict__[_SPOOLED] = []
        weakref.finalize(wb, _close_spools, spooled)  # a workbook dropped unsaved leaves no open files
    spooled.append((ws, _spool_rows(ws, rows, first=2)))
    return ws


# The data rows of ``add_sheet``: written as sheet XML to a temporary file, spliced in by ``save``.
_SPOOLED = "_pantau_spooled_rows"
_SHEET_DATA_END = b"</sheetData>"
_COPY_CHUNK = 1 << 20
_FLUSH_ROWS = 256
# A sheet part larger than this needs ZIP64 headers (only then: some programs dislike them needlessly).
_ZIP64_ABOVE = zipfile.ZIP64_LIMIT
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Characters XML 1.0 refuses that ``cells.xlsx_text`` keeps (it drops controls and surrogates).
_NOT_XML = re.compile("[\ufffe\uffff]")


def _style_id(ws: Any, *, number_format: str | None = None, quote: bool = False) -> int:
    """The index of a cell format in the workbook's styles (registered by openpyxl, so styles.xml has it)."""
    c = WriteOnlyCell(ws)
    if number_format is not None:
        c.number_format = number_format
    if quote:
        c.quotePrefix = True
    return int(c.style_id)


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        text = text.translate(_XML_ESCAPES)
    if "\ufffe" in text or "\uffff" in text:
        text = _NOT_XML.sub("", text)
    return text


def _spool_rows(ws: Any, rows: Iterable[Sequence[Any]], *, first: int) -> IO[bytes]:
    """``rows`` as ``<row>`` elements numbered from ``first``, in a temporary file. The same cells as
    ``cell`` would make: text cleaned, written inline as a string (never a formula), with the quote
    prefix when it looks like a formula; dates as serial numbers formatted yyyy-mm-dd; blanks left out."""
    date_style = f' s="{_style_id(ws, number_format="yyyy-mm-dd")}"'
    quote_style = f' s="{_style_id(ws, quote=True)}"'
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (returned open; ``save`` closes it)
    try:
        _write_rows(spool, rows, first, date_style, quote_style)
    except BaseException:
        spool.close()
        raise
    return spool


def _write_rows(spool: IO[bytes], rows: Iterable[Sequence[Any]], first: int, date_style: str,
                quote_style: str) -> None:
    letters: list[str] = []
    pending: list[str] = []
    number = first
    for data in rows:
        if len(data) > len(letters):
            letters.extend(get_column_letter(i) for i in range(len(letters) + 1, len(data) + 1))
        out = [f'<row r="{number}">']
        for letter, value in zip(letters, data, strict=False):  # letters may be longer
            if value is None:
                continue
            if isinstance(value, str | Promise):
                text = cells.xlsx_text(value)
                if not text:
                    continue
                style = quote_style if cells.looks_like_formula(text) else ""
                # (cleaned text never starts or ends with white space: no xml:space="preserve" needed)
                out.append(f'<c r="{letter}{number}"{style} t="inlineStr"><is><t>{_escape(text)}</t></is></c>')
            elif isinstance(value, bool):
                out.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | decimal.Decimal):
                if not math.isfinite(value):  # no spreadsheet cell holds NaN or infinity
                    raise ValueError(f"cannot write {value} to a spreadsheet cell")
                out.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            elif isinstance(value, dt.date):
                serial = to_excel(value)
                if isinstance(serial, float) and serial.is_integer():
                    serial = int(serial)
                out.append(f'<c r="{letter}{number}"{date_style}><v>{serial}</v></c>')
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet cell")
        out.append("</row>")
        pending.append("".join(out))
        number += 1
        if len(pending) >= _FLUSH_ROWS:
            spool.write("".join(pending).encode())
            pending.clear()
    spool.write("".join(pending).encode())


def _close_spools(spooled: list[tuple[Any, IO[bytes]]]) -> None:
    for _ws, spool in spooled:
        spool.close()
    spooled.clear()


def choice_ranges(lists: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Where ``add_choice_sheet`` puts each list (computable before writing the sheets that use them)."""
    ranges = {}
    for index, name in enumerate(lists, start=1):
        letter = get_column_letter(index)
        ranges[name] = f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${max(len(lists[name]), 1) + 1}"
    return ranges


def add_choice_sheet(wb: WorkbookType, lists: Mapping[str, Sequence[str]]) -> None:
    """A hidden sheet holding long drop-down lists, one per column (see ``choice_ranges``)."""
    ws = wb.create_sheet(CHOICES_SHEET)
    ws.sheet_state = "hidden"
    names = list(lists)
    longest = max((len(v) for v in lists.values()), default=0)
    ws.append([cell(ws, n) for n in names])
    for i in range(longest):
        ws.append([cell(ws, lists[n][i]) if i < len(lists[n]) else None for n in names])


def add_notes_sheet(wb: WorkbookType, title: str, lines: Iterable[str]) -> None:
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 110
    heading = cell(ws, title)
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    for line in lines:
        c = cell(ws, line)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([c])


def save(wb: WorkbookType, out: IO[bytes]) -> None:
    """Write the workbook to ``out``: openpyxl's file, with each sheet's spooled data rows spliced in
    before its ``</sheetData>`` (every other part copied unchanged)."""
    spooled: list[tuple[Any, IO[bytes]]] = wb.__dict__.get(_SPOOLED, [])
    if not spooled:
        wb.save(out)
        return
    try:
        with tempfile.TemporaryFile() as skeleton:
            wb.save(skeleton)
            rows = {ws.path.lstrip("/"): spool for ws, spool in spooled}
            skeleton.seek(0)
            with zipfile.ZipFile(skeleton) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    data = zin.read(info)
                    spool = rows.get(info.filename)
                    if spool is None:
                        zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                    else:
                        _splice(zout, info, data, spool)
    finally:
        _close_spools(spooled)


def _splice(zout: zipfile.ZipFile, part: zipfile.ZipInfo, sheet_xml: bytes, spool: IO[bytes]) -> None:
    at = sheet_xml.rfind(_SHEET_DATA_END)
    if at < 0:
        raise ValueError(f"{part.filename}: no </sheetData> to put the rows before")
    size = len(sheet_xml) + spool.tell()
    spool.seek(0)
    info = zipfile.ZipInfo(part.filename, date_time=part.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zout.open(info, "w", force_zip64=size > _ZIP64_ABOVE) as member:
        member.write(sheet_xml[:at])
        shutil.copyfileobj(spool, member, _COPY_CHUNK)
        member.write(sheet_xml[at:])


# Reading (see ``xlsx_reader``: nothing the file says about its own size is trusted).

def open_workbook(upload: IO[bytes], *, size: int, max_bytes: int, max_inflated: int | None = None,
                  seconds: float = 60) -> Book:
    """Open an uploaded XLSX for streaming reads, or raise ``FileProblem`` saying what is wrong.
    ``max_inflated`` bounds the uncompressed size of the ZIP's parts, ``seconds`` the work on the file."""
    if size > max_bytes:
        raise FileProblem(
            _("Berkas terlalu besar (%(size)s). Batasnya %(limit)s; bagi datanya ke beberapa berkas.")
            % {"size": human_size(size), "limit": human_size(max_bytes)}
        )
    if size == 0:
        raise FileProblem(_("Berkas kosong. Pilih berkas XLSX yang berisi data."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Ini berkas Excel lama (.xls). Simpan dulu sebagai Excel Workbook (.xlsx), lalu unggah."))
    if not head.startswith(b"PK\x03\x04"):
        raise FileProblem(_("Berkas ini bukan XLSX. Unduh templat dari halaman ini, isi, lalu simpan sebagai .xlsx."))
    budget = Budget(max_bytes=max_bytes, max_inflated=max_inflated or max_bytes * 10, seconds=seconds)
    return Book(upload, size=size, budget=budget)


def human_size(size: int) -> str:
    """1536 → '1,5 KB'; 10485760 → '10 MB' (Indonesian decimal comma)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"
    return f"{size} B"


def find_sheet(book: Book, name: str) -> str | None:
    """The title of the sheet called ``name`` (case and outer spaces ignored), or None."""
    wanted = name.strip().lower()
    for title in book.sheetnames:
        if title.strip().lower() == wanted:
            return title
    return None


def _header_text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class SheetRefused(Exception):
    """Raised while iterating a sheet's rows: the whole sheet is refused; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_sheet(book: Book, title: str, sheet: Sheet, *, max_rows: int,
               max_columns: int = MAX_COLUMNS) -> tuple[list[Row], list[Problem]]:
    """``stream_sheet``'s rows all at once (``([], [problem])`` when the sheet is refused)."""
    rows, problems = stream_sheet(book, title, sheet, max_rows=max_rows, max_columns=max_columns)
    if problems:
        return [], problems
    try:
        return list(rows), []
    except SheetRefused as exc:
        return [], [exc.problem]


def stream_sheet(book: Book, title: str, sheet: Sheet, *, max_rows: int,
                 max_columns: int = MAX_COLUMNS) -> tuple[Iterator[Row], list[Problem]]:
    """Check the header row; then the data rows with their cell problems, one at a time as the
    file is read (nothing is kept). ``(rows, [])``, or ``(no rows, header problems)``.

    Every row the file holds counts against ``max_rows``, blank or not, and so does its number (a
    single row at 1 048 576 is refused, not padded); blank rows are then skipped. A filled cell past
    ``max_columns``, or under no header, is reported rather than dropped. Past ``max_rows``, or at a
    filled cell past ``max_columns``, iterating raises ``SheetRefused``."""
    rows_iter = book.rows(title)
    first = next(rows_iter, None)
    header = first[1] if first is not None and first[0] == 1 else {}
    problems: list[Problem] = []
    too_wide = [c for c in header if c > max_columns]
    if too_wide:
        return iter(()), [_too_wide(sheet, 1, max(too_wide), max_columns)]
    known = {c.header.lower(): c for c in sheet.columns}
    positions: dict[str, int] = {}
    for index in sorted(header):
        text = _header_text(header[index])
        if not text:
            continue
        column = known.get(text.lower())
        letter = get_column_letter(index)
        if column is None:
            problems.append(Problem(sheet.name, 1, letter, _("Kolom “%s” tidak dikenal. Pakai judul kolom "
                                                            "persis seperti di templat.") % text))
        elif column.key in positions:
            problems.append(Problem(sheet.name, 1, letter, _("Kolom “%s” muncul dua kali.") % column.header))
        else:
            positions[column.key] = index
    missing = [c.header for c in sheet.columns if c.key not in positions and not c.optional]
    if missing:
        problems.append(Problem(sheet.name, 1, "", _("Kolom berikut tidak ada di baris judul: %s. Pakai templat "
                                                    "terbaru dari Pantau.") % ", ".join(missing)))
    if problems:
        return iter(()), problems
    pending = [] if first is None or first[0] == 1 else [first]
    return _data_rows(sheet, itertools.chain(pending, rows_iter), positions, max_rows, max_columns), []


def _data_rows(sheet: Sheet, source: Iterator[tuple[int, dict[int, Any]]], positions: dict[str, int],
               max_rows: int, max_columns: int) -> Iterator[Row]:
    headed = set(positions.values())
    columns = [(column, positions.get(column.key, 0)) for column in sheet.columns]
    read = 1
    for number, filled in source:
        read += 1
        if number > max_rows + 1 or read > max_rows + 1:
            raise SheetRefused(Problem(sheet.name, number, "", _(
                "Lembar ini berisi lebih dari %d baris (baris kosong yang masih tersimpan di berkas ikut "
                "dihitung). Hapus baris kosong di bawah data, atau bagi datanya ke beberapa berkas.") % max_rows))
        if any(c > max_columns for c in filled):
            raise SheetRefused(_too_wide(sheet, number, max(filled), max_columns))
        if all(_blank(v) for v in filled.values()):
            continue
        row = Row(number=number, values={})
        for index in sorted(set(filled) - headed):
            if not _blank(filled[index]):
                row.problems.append(Problem(sheet.name, number, get_column_letter(index),
                                            _("Sel ini berisi data di kolom tanpa judul, jadi tidak dapat dibaca. "
                                              "Pindahkan isinya ke kolom yang benar atau hapus.")))
        for column, index in columns:
            value = filled.get(index)
            try:
                row.values[column.key] = parse(column, value)
            except ValidationError as exc:
                row.values[column.key] = None
                row.problems.append(Problem(sheet.name, number, column.header, " ".join(exc.messages)))
        yield row


def _too_wide(sheet: Sheet, number: int, column: int, max_columns: int) -> Problem:
    return Problem(sheet.name, number, get_column_letter(column),
                   _("Ada isian di kolom %(col)s, di luar batas %(max)d kolom. Lembar ini cukup memakai kolom "
                     "dari templat; hapus isian di kolom lain.")
                   % {"col": get_column_letter(column), "max": max_columns})


# Cell values.

def text_of(value: Any) -> str:
    """A cell as text: numbers without a trailing '.0', line breaks as '\\n', outer spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()


def parse(column: Column, value: Any) -> Any:
    """The typed value of a cell for ``column``; ``ValidationError`` with a plain message if it is wrong."""
    if column.decimals is not None and isinstance(value, float) and not value.is_integer():
        value = f"{value:.{column.decimals}f}"
    text = text_of(value)
    if not text:
        if column.required:
            raise ValidationError(_("Wajib diisi."))
        return column.default if column.default is not None else ("" if column.kind in (TEXT, URL) else None)
    if column.kind == TEXT:
        if column.max_length is not None and len(text) > column.max_length:
            raise ValidationError(_("Terlalu panjang: %(n)d karakter, paling banyak %(max)d.")
                                  % {"n": len(text), "max": column.max_length})
        return text
    if column.kind == CHOICE:
        lowered = text.lower()
        for code, label in column.choices:
            if lowered in (code.lower(), label.lower()):
                return code
        raise ValidationError(_("“%(v)s” bukan pilihan yang dikenal. Pilih salah satu: %(c)s.")
                              % {"v": text, "c": ", ".join(code for code, _label in column.choices)})
    if column.kind == BOOL:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise ValidationError(_("Isi “ya” atau “tidak”, bukan “%s”.") % text)
    if column.kind == DATE:
        return _date(value, text)
    if column.kind in (INT, FLOAT):
        return _number(column, value, text)
    if column.kind == URL:
        url = text if "://" in text else f"https://{text}"
        if column.max_length is not None and len(url) > column.max_length:
            raise ValidationError(_("Alamat terlalu panjang (paling banyak %d karakter).") % column.max_length)
        try:
            URLValidator()(url)
        except ValidationError as exc:
            raise ValidationError(_("“%s” bukan alamat situs web yang sah.") % text) from exc
        return url
    raise ValueError(f"unknown column kind {column.kind}")


def _date(value: Any, text: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise ValidationError(_("“%s” bukan tanggal yang sah. Tulis sebagai TTTT-BB-HH, misalnya 2025-01-31.") % text)


_NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


def _number(column: Column, value: Any, text: str) -> int | float:
    number: float
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif _NUMBER_RE.match(text):
        number = float(text.replace(",", "."))
    else:
        raise ValidationError(_("“%s” bukan angka.") % text)
    if column.kind == INT and not number.is_integer():
        raise ValidationError(_("Tulis bilangan bulat, bukan “%s”.") % text)
    if column.minimum is not None and number < column.minimum:
        raise ValidationError(_("Paling kecil %s.") % _plain(column.minimum))
    if column.maximum is not None and number > column.maximum:
        raise ValidationError(_("Paling besar %s.") % _plain(column.maximum))
    return int(number) if column.kind == INT else number


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def yes_no(value: bool) -> str:
    return YES if value else NO
