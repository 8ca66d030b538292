"""The CSV files ``pantau score`` reads (methodology.md §8), checked row by row, read as a stream.

Three shapes, told apart by the header (case and outer spaces ignored; ``,`` or ``;`` separated,
UTF-8 with or without a BOM):

- **dimension points**: ``institution``, optional ``unit``, and one column per dimension code
  (``input, proses, output, pengaduan``) holding the points as published (0 up to the weight);
- **a single score**: ``institution``, optional ``unit``, ``score`` (0–100);
- **item rows**: ``institution, unit, product, item, value`` and optional ``reason`` (required for
  an N/A answer); ``product`` is empty for an item answered per unit.

Any problem stops the reading with ``InputError`` naming the file, the row (the header is row 1,
as in a spreadsheet) and the column. Pure Python.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from pantau.assessments import scoring
from pantau.assessments.methodology import Methodology, parse_number

MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 500_000
MAX_FIELD = 500  # characters in one field

ITEM_COLUMNS = ("institution", "unit", "product", "item", "value")


class InputError(ValueError):
    """A file that cannot be scored; the message names the file, row and column."""


def score_file(methodology: Methodology, path: Path, *, max_bytes: int | None = None,
               max_rows: int | None = None) -> scoring.Scorecard:
    """Score a CSV file (see the module docstring); InputError if it cannot be, before any output."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_rows = MAX_ROWS if max_rows is None else max_rows
    name = path.name
    try:
        size = path.stat().st_size
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    with raw:
        if size > max_bytes:
            raise InputError(f"{name}: {size:,} bytes is more than the limit of {max_bytes:,}; split the file")
        if b"\x00" in raw.read(8192):
            raise InputError(f"{name}: is not a CSV text file (it holds binary data); save it as CSV UTF-8")
        raw.seek(0)
        reader = _Reader(name, _decoded(name, raw), max_rows)
        header = reader.header()
        try:
            if "item" in header or "value" in header:
                return _items(methodology, reader, header)
            if "score" in header:
                return _given(methodology, reader, header)
            return _points(methodology, reader, header)
        except scoring.ScoringError as exc:
            raise InputError(f"{name}: {exc}") from exc


def _decoded(name: str, raw: BinaryIO) -> Iterator[str]:
    """The file's lines as text, so that a byte that is not UTF-8 is reported with its line."""
    for number, line in enumerate(raw, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}, line {number}: is not UTF-8 text ({exc.reason} at byte {exc.start + 1} of "
                             "the line); save the file as CSV UTF-8") from exc


class _Reader:
    """Rows of a CSV stream as (row number, {column: text}), with the limits checked on the way."""

    def __init__(self, name: str, text: Iterator[str], max_rows: int) -> None:
        self.name = name
        self.text = text
        self.max_rows = max_rows
        self.columns: tuple[str, ...] = ()
        self.row = 1

    def where(self, column: str | None = None, row: int | None = None) -> str:
        at = f"{self.name}, row {self.row if row is None else row}"
        return f"{at}, column {column!r}" if column else at

    def fail(self, reason: str, column: str | None = None, row: int | None = None) -> InputError:
        return InputError(f"{self.where(column, row)}: {reason}")

    def header(self) -> tuple[str, ...]:
        first = next(self.text, "")
        if not first.strip():
            raise InputError(f"{self.name}: is empty (no header row)")
        self.delimiter = ";" if first.count(";") > first.count(",") else ","
        self.lines = itertools.chain([first], self.text)
        self.reader = csv.reader(self.lines, delimiter=self.delimiter)
        raw = self._next()
        if raw is None:
            raise InputError(f"{self.name}: is empty (no header row)")
        columns = tuple(c.strip().lower() for c in raw)
        for n, column in enumerate(columns):
            if not column:
                raise self.fail(f"column {n + 1} has no name")
            if column in columns[:n]:
                raise self.fail("this column appears twice", column)
        self.columns = columns
        return columns

    def _next(self) -> list[str] | None:
        try:
            return next(self.reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise self.fail(f"is not valid CSV ({exc})") from exc

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        seen = 0
        while (fields := self._next()) is not None:
            self.row += 1
            if not any(f.strip() for f in fields):
                continue  # a blank line
            seen += 1
            if seen > self.max_rows:
                raise self.fail(f"more than {self.max_rows:,} data rows; split the file")
            if len(fields) != len(self.columns):
                raise self.fail(f"has {len(fields)} fields but the header has {len(self.columns)}")
            for column, field in zip(self.columns, fields, strict=True):
                if len(field) > MAX_FIELD:
                    raise self.fail(f"longer than {MAX_FIELD} characters", column)
            yield self.row, {c: f.strip() for c, f in zip(self.columns, fields, strict=True)}
        if not seen:
            raise InputError(f"{self.name}: has a header but no data rows")

    def check_columns(self, allowed: tuple[str, ...], required: tuple[str, ...], shape: str) -> None:
        for column in self.columns:
            if column not in allowed:
                raise InputError(f"{self.where(column, 1)}: unknown column; a file of {shape} has the columns "
                                 f"{', '.join(allowed)}")
        for column in required:
            if column not in self.columns:
                raise InputError(f"{self.name}, row 1: no column {column!r}; a file of {shape} needs "
                                 f"{', '.join(required)}")

    def number(self, row: dict[str, str], column: str) -> Decimal:
        value = parse_number(row[column])
        if value is None:
            shown = repr(row[column]) if row[column] else "an empty field"
            raise self.fail(f"{shown} is not a number", column)
        return value

    def names(self, row: dict[str, str], seen: dict[tuple[str, ...], int], *extra: str) -> tuple[str, str]:
        institution, unit = row["institution"], row.get("unit", "")
        if not institution:
            raise self.fail("empty; every row names its institution", "institution")
        if "unit" in self.columns and not unit:
            raise self.fail("empty; with a unit column every row names its unit", "unit")
        key = (institution, unit, *extra)
        if key in seen:
            raise self.fail(f"{' / '.join(k for k in key if k)} is already given in row {seen[key]}")
        seen[key] = self.row
        return institution, unit


def _points(methodology: Methodology, reader: _Reader, header: tuple[str, ...]) -> scoring.Scorecard:
    codes = tuple(d.code for d in methodology.dimensions)
    reader.check_columns(("institution", "unit", *codes), ("institution", *codes),
                         f"dimension points under {methodology.id}")
    seen: dict[tuple[str, ...], int] = {}
    rows = []
    for _, row in reader.rows():
        institution, unit = reader.names(row, seen)
        points = {}
        for code in codes:
            value = reader.number(row, code)
            try:
                scoring.check_points(methodology, code, value)
            except ValueError as exc:
                raise reader.fail(str(exc), code) from exc
            points[code] = value
        rows.append(scoring.PointsRow(institution, unit, points))
    return scoring.score_points(methodology, rows)


def _given(methodology: Methodology, reader: _Reader, header: tuple[str, ...]) -> scoring.Scorecard:
    reader.check_columns(("institution", "unit", "score"), ("institution", "score"), "scores")
    seen: dict[tuple[str, ...], int] = {}
    rows = []
    for _, row in reader.rows():
        institution, unit = reader.names(row, seen)
        value = reader.number(row, "score")
        try:
            scoring.check_score(value)
        except ValueError as exc:
            raise reader.fail(str(exc), "score") from exc
        rows.append(scoring.GivenRow(institution, unit, value))
    return scoring.score_given(methodology, rows)


def _items(methodology: Methodology, reader: _Reader, header: tuple[str, ...]) -> scoring.Scorecard:
    reader.check_columns((*ITEM_COLUMNS, "reason"), ITEM_COLUMNS, "item answers")
    seen: dict[tuple[str, ...], int] = {}
    answers = []
    for _, row in reader.rows():
        code, product = row["item"], row["product"]
        item = methodology.items.get(code)
        if item is None:
            raise reader.fail(f"unknown item {code!r}; {methodology.id} has "
                              f"{', '.join(list(methodology.items)[:6])}, …", "item")
        if item.level == "product" and not product:
            raise reader.fail(f"item {code} is answered per product: name the product", "product")
        if item.level == "unit" and product:
            raise reader.fail(f"item {code} is answered per unit: leave the product empty", "product")
        institution, unit = reader.names(row, seen, product, code)
        try:
            value = item.parse(row["value"])
        except ValueError as exc:
            raise reader.fail(str(exc), "value") from exc
        reason = row.get("reason", "")
        if value is None and not reason:
            raise reader.fail(f"item {code} answered NA needs a reason" +
                              ("" if "reason" in reader.columns else ": add a reason column"),
                              "reason" if "reason" in reader.columns else "value")
        answers.append(scoring.Answer(institution, unit, product, code, value, reason))
    return scoring.score_answers(methodology, answers)
