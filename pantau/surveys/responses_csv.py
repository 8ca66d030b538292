"""Survey answers from a CSV file, tallied as they stream past: pure, no Django (``pantau ikm``).

The file has one questionnaire per row and a column per element, ``U1``…``U9`` for the 2017
profiles (U1 persyaratan … U8 sarana, U9 pengaduan, as ``indices.SKM_2017``) and ``U1``…``U14`` for
``kepmenpan-25-2004*`` (in the order of ``data/ikm-2004.toml``). Other columns are ignored.

- **Encoding**: UTF-8, with or without BOM. A line that is not valid UTF-8 is read as cp1252 (bytes
  cp1252 leaves undefined as latin-1), line by line, so a Windows Excel export is accepted without
  a second pass; only the ASCII digits of the U columns count, so the fallback can never change a
  result (``Tally.encoding`` says when it was used). UTF-16, a NUL byte or old-Mac CR-only line ends
  are refused: not a CSV text file.
- **Layout**: the header is line 1; its names are trimmed and matched case-insensitively (`` u1 ``).
  The delimiter is ``;`` when the header line has more semicolons than commas (Indonesian Excel),
  else ``,``. A U column missing from the header, or given twice, is an error naming it.
- **Values**: blank (or whitespace) = not answered; ``1``…``4``, also written ``4.0`` / ``4,0``;
  anything else is an error naming the line (of the file, header = 1) and the column. A row
  shorter than the header leaves its missing cells blank. A row with no answer at all is skipped
  and counted (``Tally.skipped``).
- **Limits**: file size, line length, physical lines per record (an unclosed quote) and rows, each
  refused with the reason. The first ``MAX_ERRORS`` problems are collected before giving up.

Only sums are kept (per element the total and count of answers, the respondents and their score
moments), never the rows: ``Tally.result`` gives the ``indices.IndexResult`` via
``indices.ikm_from_totals``, the same arithmetic as ``indices.ikm`` over the same answers.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO, cast

from pantau.surveys import indices, questionnaires
from pantau.surveys.messages import gettext_noop

MAX_BYTES = 200 * 1024 * 1024
MAX_LINE_BYTES = 64 * 1024
MAX_RECORD_LINES = 50  # a quoted cell may hold line breaks, but not the rest of the file
MAX_ROWS = 2_000_000
MAX_ERRORS = 20
MAX_PATTERNS = 50_000  # distinct answer patterns counted before folding them into the sums

PROFILE_2004 = "kepmenpan-25-2004"
VALUES: dict[str, int | None] = {"": None, "1": 1, "2": 2, "3": 3, "4": 4}
FAST = {"": 0, "1": 1, "2": 2, "3": 3, "4": 4}  # a trimmed cell; 0 = not answered
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?", re.ASCII)
WHOLE = re.compile(r"([1-4])[.,]0+", re.ASCII)
LONE_CR = re.compile(rb"\r(?!\n)")
BOM = b"\xef\xbb\xbf"

Source = str | os.PathLike[str] | BinaryIO


class ResponsesError(ValueError):
    """The file cannot be tallied: ``problems`` lists each reason, one line each (Indonesian
    ``messages.Message``s, translatable where they are shown)."""

    def __init__(self, problems: list[str], stopped: bool = False) -> None:
        self.problems = tuple(problems)
        self.stopped = stopped  # True: reading stopped at MAX_ERRORS, more may follow
        super().__init__("\n".join(problems))


class _Stop(Exception):
    """A problem after which the file is not read further (``args``: its messages)."""


def elements_for(profile: indices.Profile) -> tuple[indices.Element, ...]:
    """The elements the columns U1, U2, … stand for, in order, under ``profile``."""
    if profile.name.startswith(PROFILE_2004):
        return questionnaires.load(questionnaires.DATA / "ikm-2004.toml").index_elements()
    return indices.SKM_2017


@dataclass(frozen=True)
class Tally:
    """The sums of a file's answers, enough for the index and its interval."""

    profile: indices.Profile
    columns: tuple[str, ...]  # U1, U2, …
    elements: tuple[indices.Element, ...]  # the element each column stands for
    totals: dict[str, int]  # element code → sum of its answers
    counts: dict[str, int]  # element code → answers given
    respondents: int  # rows with at least one answer
    moments: indices.Moments
    skipped: int  # rows without any answer
    rows: int  # data rows read (the header not counted)
    delimiter: str
    encoding: str  # "utf-8", or "cp1252" when some line was not UTF-8

    def result(self, population: int | None = None) -> indices.IndexResult:
        return indices.ikm_from_totals(self.totals, self.counts, self.respondents, self.elements, self.profile,
                                       self.moments, population)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _shown(value: str, limit: int = 20) -> str:
    """A cell as quoted in a message: trimmed, cut short, control characters escaped."""
    text = value.strip()
    text = text if len(text) <= limit else text[:limit] + "…"
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return '"' + text.replace('"', '\\"') + '"'


def parse_value(raw: str) -> int | None:
    """An answer cell: None when blank, else 1–4; ``ValueError`` with the reason (Indonesian)."""
    text = raw.strip()
    if text in VALUES:
        return VALUES[text]
    whole = WHOLE.fullmatch(text)
    if whole:
        return int(whole.group(1))
    if NUMBER.fullmatch(text):
        try:
            whole_number = Decimal(text.replace(",", ".")) % 1 == 0
        except InvalidOperation:  # pragma: no cover - NUMBER admits only plain decimals
            whole_number = False
        if whole_number:
            raise ValueError(gettext_noop("nilai %(value)s di luar skala 1–4", value=_shown(raw)))
        raise ValueError(gettext_noop("nilai %(value)s bukan bilangan bulat 1–4", value=_shown(raw)))
    raise ValueError(gettext_noop("nilai %(value)s bukan angka 1–4", value=_shown(raw)))


class _Lines:
    """The file's physical lines as text, numbered from 1, within the limits."""

    def __init__(self, stream: BinaryIO, max_bytes: int, max_line: int, max_record_lines: int) -> None:
        self.stream = stream
        self.max_bytes, self.max_line, self.max_record_lines = max_bytes, max_line, max_record_lines
        self.number = 0  # lines read so far
        self.record_start = 1  # the line the current record began on
        self.read = 0
        self.fallback = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self.stream.readline(self.max_line + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        self.read += len(raw)
        if self.read > self.max_bytes:
            raise _Stop(gettext_noop("berkas lebih besar dari %(most)s byte", most=_thousands(self.max_bytes)))
        if self.number == 1:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise _Stop(gettext_noop("berkas berformat UTF-16; simpan ulang sebagai CSV UTF-8"))
            raw = raw.removeprefix(BOM)
        if b"\0" in raw:
            raise _Stop(gettext_noop("baris %(line)s: berisi byte NUL — bukan berkas teks CSV", line=self.number))
        if LONE_CR.search(raw.rstrip(b"\r")):
            raise _Stop(gettext_noop("baris %(line)s: akhir baris CR saja (format Mac lama) tidak didukung; "
                                     "simpan ulang sebagai CSV UTF-8", line=self.number))
        if len(raw) > self.max_line:
            raise _Stop(gettext_noop("baris %(line)s: lebih panjang dari %(most)s byte", line=self.number,
                                     most=self.max_line))
        if self.number - self.record_start >= self.max_record_lines:
            raise _Stop(gettext_noop("baris %(line)s: rekaman melewati %(most)s baris berkas (tanda kutip tidak "
                                     "ditutup?)", line=self.record_start, most=self.max_record_lines))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.fallback = True
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                return raw.decode("latin-1")


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _header(names: list[str], wanted: tuple[str, ...]) -> list[int]:
    """The position of each wanted column; ``_Stop`` naming the missing or (one message each) repeated ones."""
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        seen.setdefault(name.strip().upper(), []).append(position)
    missing = [c for c in wanted if c not in seen]
    if missing:
        found = ", ".join(_shown(n) for n in names[:8] if n.strip())
        raise _Stop(gettext_noop(
            "baris 1: kolom %(missing)s tidak ditemukan (judul kolom yang ada: %(found)s%(more)s); perlu "
            "%(first)s…%(last)s, dipisah koma atau titik koma", missing=", ".join(missing),
            found=found or gettext_noop("tidak ada"), more=", …" if len(names) > 8 else "", first=wanted[0],
            last=wanted[-1]))
    twice = [c for c in wanted if len(seen[c]) > 1]
    if twice:
        raise _Stop(*(gettext_noop("baris 1: kolom %(column)s muncul %(times)s kali (kolom %(positions)s)",
                                   column=c, times=len(seen[c]),
                                   positions=[gettext_noop("ke-%(number)s", number=p + 1) for p in seen[c]])
                      for c in twice))
    return [seen[c][0] for c in wanted]


def _open(source: Source, max_bytes: int) -> tuple[BinaryIO, bool]:
    """The binary stream and whether it is ours to close; ``_Stop`` when it cannot be read or is too big."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise _Stop(gettext_noop("%(name)s: bukan berkas, melainkan folder", name=path.name))
            if size > max_bytes:
                raise _Stop(_too_big(size, max_bytes))
            return path.open("rb"), True
        except OSError as exc:
            raise _Stop(gettext_noop("berkas tidak dapat dibuka: %(error)s", error=str(exc.strerror or exc))) from None
    try:
        size = os.fstat(source.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        size = 0  # a pipe or an in-memory stream: counted while read
    if size > max_bytes:
        raise _Stop(_too_big(size, max_bytes))
    return source, False


def _too_big(size: int, max_bytes: int) -> str:
    return gettext_noop("berkas %(size)s byte, lebih besar dari batas %(most)s byte", size=_thousands(size),
                        most=_thousands(max_bytes))


def read(source: Source, profile: indices.Profile = indices.DEFAULT_PROFILE, *, max_bytes: int = MAX_BYTES,
         max_line: int = MAX_LINE_BYTES, max_rows: int = MAX_ROWS, max_errors: int = MAX_ERRORS,
         max_record_lines: int = MAX_RECORD_LINES) -> Tally:
    """Tally the answers of a CSV file (a path or a binary stream, read once, never whole).
    ``ResponsesError`` lists what is wrong (the first ``max_errors`` problems)."""
    try:
        stream, ours = _open(source, max_bytes)
    except _Stop as exc:
        raise ResponsesError(list(exc.args)) from None
    try:
        return _tally(stream, profile, max_bytes, max_line, max_rows, max_errors, max_record_lines)
    finally:
        if ours:
            stream.close()


class _Sums:
    """The running sums. Rows are first counted by answer pattern (a tuple, 0 = not answered), then
    folded into the totals, so each distinct pattern is scored once (``indices.respondent_score``)."""

    def __init__(self, elements: tuple[indices.Element, ...], profile: indices.Profile) -> None:
        self.codes = [e.code for e in elements]
        self.weight = indices.weights(elements, profile)
        self.totals = [0] * len(elements)
        self.counts = [0] * len(elements)
        self.respondents = 0
        self.score_sum = self.score_squares = 0.0
        self.patterns: dict[tuple[int, ...], int] = {}

    def add(self, key: tuple[int, ...]) -> None:
        self.patterns[key] = self.patterns.get(key, 0) + 1
        if len(self.patterns) >= MAX_PATTERNS:
            self.fold()

    def fold(self) -> None:
        for key, times in self.patterns.items():
            answer = {code: value or None for code, value in zip(self.codes, key, strict=True)}
            score = indices.respondent_score(answer, self.weight)
            if score is None:  # never added: rows without an answer are skipped before
                continue
            self.respondents += times
            self.score_sum += score * times
            self.score_squares += score * score * times
            for i, value in enumerate(key):
                if value:
                    self.totals[i] += value * times
                    self.counts[i] += times
        self.patterns.clear()


def _tally(stream: BinaryIO, profile: indices.Profile, max_bytes: int, max_line: int, max_rows: int,
           max_errors: int, max_record_lines: int) -> Tally:
    elements = elements_for(profile)
    columns = tuple(f"U{i}" for i in range(1, len(elements) + 1))
    sums = _Sums(elements, profile)
    lines = _Lines(stream, max_bytes, max_line, max_record_lines)
    problems: list[str] = []
    skipped = rows = 0
    try:
        try:
            first = next(lines)
        except StopIteration:
            raise _Stop(gettext_noop("berkas kosong: tidak ada baris judul maupun jawaban")) from None
        delimiter = _delimiter(first)
        try:
            header = next(csv.reader([first], delimiter=delimiter, strict=True), [])
        except csv.Error as exc:
            raise _Stop(gettext_noop("baris 1: judul kolom rusak (%(error)s)", error=str(exc))) from None
        positions = _header(header, columns)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        while len(problems) < max_errors:
            lines.record_start = lines.number + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise _Stop(gettext_noop("baris %(line)s: CSV rusak (%(error)s)", line=lines.record_start,
                                         error=str(exc))) from None
            rows += 1
            if rows > max_rows:
                raise _Stop(gettext_noop("berkas berisi lebih dari %(most)s baris jawaban", most=_thousands(max_rows)))
            width = len(row)
            cells = [row[p].strip() if p < width else "" for p in positions]
            found = tuple(map(FAST.get, cells))
            # Not only plain digits and blanks: the slow path reads 4,0 or says what is wrong.
            key = _slow(cells, columns, lines.record_start, problems, max_errors) if None in found else \
                cast("tuple[int, ...]", found)
            if key is None:
                continue
            if any(key):
                sums.add(key)
            else:
                skipped += 1
    except _Stop as exc:
        problems.extend(exc.args)
        raise ResponsesError(problems[:max_errors + 1]) from None
    if problems:
        raise ResponsesError(problems, stopped=len(problems) >= max_errors)
    if rows == 0:
        raise ResponsesError([gettext_noop("berkas hanya berisi baris judul, tanpa jawaban")])
    sums.fold()
    if sums.respondents == 0:
        raise ResponsesError([gettext_noop("tidak ada baris berjawaban (%(skipped)s baris kosong dilewati)",
                                           skipped=skipped)])
    unanswered: list[str] = [
        gettext_noop("kolom %(column)s (%(code)s): tidak ada satu pun jawaban", column=column, code=code)
        for column, code, count in zip(columns, sums.codes, sums.counts, strict=True) if count == 0]
    if unanswered:
        raise ResponsesError(unanswered)
    return Tally(profile, columns, elements, dict(zip(sums.codes, sums.totals, strict=True)),
                 dict(zip(sums.codes, sums.counts, strict=True)), sums.respondents,
                 indices.Moments(sums.respondents, sums.score_sum, sums.score_squares), skipped, rows, delimiter,
                 "cp1252" if lines.fallback else "utf-8")


def _slow(cells: list[str], columns: tuple[str, ...], line: int, problems: list[str],
          max_errors: int) -> tuple[int, ...] | None:
    """A row's answers (0 = not answered) by ``parse_value``; None after noting each bad cell."""
    values = []
    for column, cell in zip(columns, cells, strict=True):
        try:
            values.append(parse_value(cell) or 0)
        except ValueError as exc:
            problems.append(gettext_noop("baris %(line)s, kolom %(column)s: %(reason)s", line=line, column=column,
                                         reason=exc.args[0]))
            if len(problems) >= max_errors:
                return None
    return tuple(values) if len(values) == len(cells) else None
