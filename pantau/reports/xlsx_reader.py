"""Read an uploaded XLSX without trusting anything it says about itself.

An XLSX is a ZIP of XML parts. A hostile one can claim a sheet size of A1:XFD1048576 in its
``<dimension>`` (openpyxl then pads a million rows of 16 384 cells), hold one row at 1 048 576,
a cell in column XFD, a million empty ``<c/>`` in one row, a part that inflates a thousand times
(a "zip bomb"), a ``DOCTYPE`` with entities (XXE, "billion laughs"), or a huge shared-strings
table. So this reader:

- checks the ZIP before parsing anything: the declared uncompressed size of all members together
  is bounded (``max_inflated``) and so is the inflation ratio; ``zipfile`` never inflates a member
  past its declared size (it fails on the CRC instead), so the declared sizes are a real bound;
- parses every part it reads with expat, streaming, and refuses any ``DOCTYPE`` or entity
  declaration before it has any effect;
- ignores ``<dimension>``: rows and cells are taken as they come, each ``<row>`` element is
  handed to the caller (blank or not) so the caller can count it against its limit, and no
  empty cell is ever stored (a row costs what its filled cells cost);
- checks a time budget between chunks of XML, so no file can hold a worker longer than that.

Values come back typed as openpyxl would give them with ``data_only=True``: text, int/float,
bool, and ``datetime`` for numbers in a date format (read from the styles part).
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, suppress
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601


class FileProblem(Exception):
    """The upload is not a workbook that can be read at all (the message says why, in plain words)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A ZIP that inflates to more than this many times its size is refused (a "zip bomb"), unless it
# stays under the upload limit (small files compress well); ``Budget.max_inflated`` bounds it anyway.
MAX_INFLATION = 40
# Excel's own limit: a cell holds at most 32 767 characters (a sheet has 16 384 columns).
MAX_CELL_CHARS = 32_767
# Distinct texts in the shared-strings part (a file of 200 000 products holds fewer).
MAX_SHARED_STRINGS = 1_000_000
CHUNK = 64 * 1024
# Excel writes characters XML cannot hold (control characters) as _xHHHH_ (ECMA-376 ST_Xstring).
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})?$")
# A ``<row>`` start tag, with or without a namespace prefix (``count_rows``).
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?row[\s/>]")
_ROW_TAG_MAX = 40


class Budget:
    """How much one file may cost: uncompressed bytes and seconds of work."""

    def __init__(self, *, max_bytes: int, max_inflated: int, seconds: float) -> None:
        self.max_bytes = max_bytes
        self.max_inflated = max_inflated
        self.seconds = seconds
        self.started = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise FileProblem(_("Berkas ini terlalu lama diproses (lebih dari %d detik). Bagi datanya ke beberapa "
                                "berkas yang lebih kecil, lalu unggah satu per satu.") % self.seconds)


def _damaged() -> FileProblem:
    return FileProblem(_("Berkas XLSX rusak atau tidak lengkap. Simpan ulang dari Excel, lalu unggah."))


def _unreadable() -> FileProblem:
    return FileProblem(_("Berkas XLSX tidak dapat dibaca. Simpan ulang dari Excel, lalu unggah."))


def _refuse_doctype(*_args: Any) -> int:
    raise FileProblem(_("Berkas ini memuat deklarasi DOCTYPE/ENTITY yang tidak pernah dibuat Excel dan dapat "
                        "dipakai untuk menyerang server. Berkas ditolak; simpan ulang dari Excel, lalu unggah."))


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


class Book:
    """An opened upload: the sheet names and, on request, the rows of one sheet, streamed."""

    def __init__(self, upload: IO[bytes], *, size: int, budget: Budget) -> None:
        self.budget = budget
        upload.seek(0)
        try:
            self.archive = zipfile.ZipFile(upload)
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _damaged() from exc
        self.names = {info.filename for info in infos}
        if "xl/workbook.xml" not in self.names:
            self.close()
            raise FileProblem(_("Berkas ini bukan XLSX (misalnya dokumen Word atau arsip ZIP biasa)."))
        inflated = sum(info.file_size for info in infos)
        if inflated > budget.max_inflated or (inflated > max(size, 1) * MAX_INFLATION and inflated > budget.max_bytes):
            self.close()
            raise FileProblem(_("Isi berkas terlalu besar setelah dibuka. Bagi datanya ke beberapa berkas."))
        try:
            self.sheets = self._sheet_paths()
            self.date_styles = self._date_styles()
            self.strings = self._shared_strings()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.archive.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    # Parsing.

    def _stream(self, path: str, start: Callable[[str, dict[str, str]], None],
                end: Callable[[str], None] | None = None,
                text: Callable[[str], None] | None = None) -> Generator[None, None, None]:
        """Feed one part to expat chunk by chunk, yielding after each chunk (budget checked)."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
        parser.ExternalEntityRefHandler = _refuse_doctype
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.buffer_text = True
        parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
        if end is not None:
            parser.EndElementHandler = lambda name: end(_local(name))
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            with self.archive.open(path) as fh:
                while chunk := fh.read(CHUNK):
                    parser.Parse(chunk, False)
                    self.budget.check()
                    yield None
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _unreadable() from exc
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError) as exc:
            raise _damaged() from exc

    def _parse(self, path: str, start: Callable[[str, dict[str, str]], None],
               end: Callable[[str], None] | None = None, text: Callable[[str], None] | None = None) -> None:
        for _chunk in self._stream(path, start, end, text):
            pass

    def _part(self, path: str) -> str | None:
        return path if path in self.names else None

    def _sheet_paths(self) -> dict[str, str]:
        self.epoch = CALENDAR_WINDOWS_1900
        sheets: list[tuple[str, str]] = []

        def workbook(name: str, attrs: dict[str, str]) -> None:
            if name == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif name == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                sheets.append((attrs.get("name", ""), rid))

        self._parse("xl/workbook.xml", workbook)
        targets: dict[str, str] = {}

        def rels(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                targets[attrs.get("Id", "")] = path

        if self._part("xl/_rels/workbook.xml.rels"):
            self._parse("xl/_rels/workbook.xml.rels", rels)
        out = {}
        for title, rid in sheets:
            path = targets.get(rid, "")
            if title and path in self.names:
                out[title] = path
        return out

    def _date_styles(self) -> frozenset[int]:
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        styles: list[int] = []
        where = {"in_xfs": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "numFmt":
                with suppress(ValueError):
                    formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            elif name == "cellXfs":
                where["in_xfs"] = True
            elif name == "xf" and where["in_xfs"]:
                try:
                    styles.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    styles.append(0)

        def end(name: str) -> None:
            if name == "cellXfs":
                where["in_xfs"] = False

        if self._part("xl/styles.xml"):
            self._parse("xl/styles.xml", start, end)
        return frozenset(i for i, fmt in enumerate(styles) if fmt in formats and is_date_format(formats[fmt]))

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        state: dict[str, Any] = {"parts": None, "take": False, "phonetic": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "si":
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise FileProblem(_("Berkas ini memuat lebih dari %d teks berbeda. Bagi datanya ke beberapa "
                                        "berkas.") % MAX_SHARED_STRINGS)
                state["parts"] = []
            elif name == "rPh":
                state["phonetic"] += 1
            elif name == "t" and state["parts"] is not None and not state["phonetic"]:
                state["take"] = True

        def end(name: str) -> None:
            if name == "si":
                strings.append(unescape("".join(state["parts"] or ())))
                state["parts"] = None
            elif name == "rPh":
                state["phonetic"] -= 1
            elif name == "t":
                state["take"] = False

        def text(data: str) -> None:
            if state["take"]:
                state["parts"].append(data)
                if sum(len(p) for p in state["parts"]) > MAX_CELL_CHARS:
                    raise _too_long()

        path = "xl/sharedStrings.xml"
        if self._part(path):
            self._parse(path, start, end, text)
        return strings

    # Rows.

    def count_rows(self, title: str) -> int | None:
        """How many ``<row>`` elements the sheet holds, blank ones included, counted in the raw XML
        without parsing it: an estimate for a progress bar (None when the part cannot be read)."""
        count, tail = 0, b""
        try:
            with self.archive.open(self.sheets[title]) as fh:
                while chunk := fh.read(CHUNK * 16):
                    data = tail + chunk
                    cut = max(len(data) - _ROW_TAG_MAX, 0)  # a tag starting later is counted next time
                    count += sum(1 for m in _ROW_TAG.finditer(data) if m.start() < cut)
                    tail = data[cut:]
                    self.budget.check()
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError):
            return None
        return count + len(_ROW_TAG.findall(tail))

    def rows(self, title: str) -> Iterator[tuple[int, dict[int, Any]]]:
        """Every ``<row>`` of the sheet, in file order: (row number, {column number: value}) with
        only the filled cells. Row and column numbers come from the cells, never from ``<dimension>``."""
        reader = _SheetReader(self)
        with closing(self._stream(self.sheets[title], reader.start, reader.end, reader.text)) as chunks:
            for _chunk in chunks:
                yield from reader.done
                reader.done.clear()
                if reader.finished:  # what follows the rows (validations, merged cells) is not needed
                    return
        yield from reader.done


def unescape(text: str) -> str:
    """Excel's _xHHHH_ escapes decoded (``_x0001_`` is the control character U+0001, which the
    services' cleaning then removes: a control character hidden this way is treated like any other)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _too_long() -> FileProblem:
    return FileProblem(_("Berkas ini memuat sel berisi lebih dari %d karakter, melebihi batas Excel. Periksa "
                         "berkasnya, lalu unggah lagi.") % MAX_CELL_CHARS)


class _SheetReader:
    """expat handlers for one sheet's XML: collects finished rows in ``done``."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.done: list[tuple[int, dict[int, Any]]] = []
        self.finished = False
        self.in_data = False
        self.row: dict[int, Any] | None = None
        self.number = 0
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.parts: list[str] | None = None
        self.size = 0
        self.inline = 0
        self.phonetic = 0
        self.take = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif name == "row":
            number = self.number + 1
            if "r" in attrs:
                number = int(attrs["r"]) if attrs["r"].isdigit() and len(attrs["r"]) <= 7 else 0
            if number <= self.number or number > 1_048_576:
                raise _damaged()
            self.number, self.row, self.column = number, {}, 0
        elif name == "c" and self.row is not None:
            column = self.column + 1
            if "r" in attrs:
                match = _REF.match(attrs["r"])
                if match is None:
                    raise _damaged()
                column = column_index(match.group(1))
            if column <= self.column or column > 16_384:
                raise _damaged()
            self.column, self.kind, self.parts, self.size, self.take = column, attrs.get("t", "n"), None, 0, False
            style = attrs.get("s", "0")
            self.style = int(style) if style.isdigit() and len(style) <= 9 else 0
        elif name == "v":
            self.parts, self.take = [], True
        elif name == "is":
            self.inline += 1
            self.parts = []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and self.inline and not self.phonetic:
            self.take = True

    def end(self, name: str) -> None:
        if name == "sheetData":
            self.in_data, self.finished = False, True
        elif name in ("v", "t"):
            self.take = False
        elif name == "is":
            self.inline -= 1
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c" and self.row is not None:
            value = self.value()
            if value is not None and value != "":
                self.row[self.column] = value
            self.parts = None
        elif name == "row" and self.row is not None:
            self.done.append((self.number, self.row))
            self.row = None

    def text(self, data: str) -> None:
        if self.take and self.parts is not None:
            self.parts.append(data)
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise _too_long()

    def value(self) -> Any:
        if self.parts is None:
            return None
        text = "".join(self.parts)
        kind = self.kind
        if kind == "s":
            try:
                return self.book.strings[int(text)]
            except (ValueError, IndexError) as exc:
                raise _damaged() from exc
        if kind in ("inlineStr", "str", "e"):
            return unescape(text)
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(text)
            except (ValueError, TypeError):
                return text
        return self.number_value(text.strip())

    def number_value(self, text: str) -> Any:
        if not text:
            return None
        try:
            number: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            return text
        if isinstance(number, float) and not math.isfinite(number):
            return text
        if self.style in self.book.date_styles:
            try:
                converted: dt.datetime | dt.timedelta | dt.time = from_excel(number, self.book.epoch)
            except (ValueError, OverflowError, TypeError):
                return number
            return converted
        return number
