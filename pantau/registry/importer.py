"""Import institutions, units, products and standards from the registry workbook (see ``transfer``).

All or nothing: every row of the file is checked and written through the registry's rules (the
services' steps, ``bulk.Writer``) inside ONE transaction, so each write is checked by the same
rules as the forms and recorded in the audit trail. If anything at all is wrong — a cell, a
reference, a row outside the user's scope, or a service refusing a row — the transaction is rolled
back and the user gets the full list of problems by sheet, row and column (the first
``import_run.KEPT_PROBLEMS``, and the count of all). A dry run does the same and always rolls back.

The file is never held in memory: the headers of every sheet are checked first, then each sheet
is read as a stream and checked and written ``CHUNK_ROWS`` rows at a time (``import_run``), a few
queries per chunk. A problem in the last chunk still rolls back what the first ones wrote. What
lives from chunk to chunk is compact (names and ids, the keys seen, the problems).

Rows that would change nothing are skipped (no write, no audit event), so importing an export, or
the same file twice, changes nothing.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.core.search import index as search_index
from pantau.registry import completeness, transfer
from pantau.registry.import_run import Run
from pantau.registry.import_sheets import Counts
from pantau.registry.transfer import SHEET_ORDER
from pantau.reports import xlsx
from pantau.reports.xlsx import FileProblem, Problem, Row, SheetRefused

__all__ = ["CHUNK_ROWS", "Counts", "ImportResult", "Progress", "import_registry"]

# Rows of a sheet checked and written together (a few queries each; what they need is loaded at once).
CHUNK_ROWS = 2000
# The cyclic garbage collector's thresholds during an import (Python's default: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 100)


@dataclass
class ImportResult:
    problems: list[Problem]
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in SHEET_ORDER})
    dry_run: bool = False
    # Problems found in all (``problems`` keeps the first ``import_run.KEPT_PROBLEMS``); None: as many.
    problem_count: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_problems(self) -> int:
        return len(self.problems) if self.problem_count is None else self.problem_count

    def summary(self) -> list[dict[str, Any]]:
        """Counts per sheet as plain data (kept in the session between the upload and the next page)."""
        return [{"sheet": name, **vars(self.counts[name])} for name in SHEET_ORDER]


class Progress(Protocol):
    def progress(self, *, total: int | None = None, checked: int | None = None, written: int | None = None,
                 errors: int | None = None, message: str | None = None, save: bool = False) -> None: ...


class _Discard(Exception):
    """Leaves the transaction rolled back, skipping the deferred summaries and search documents."""


def import_registry(*, actor: Any, upload: IO[bytes], size: int, dry_run: bool = False,
                    progress: Progress | None = None) -> ImportResult:
    """Check the file and, when all of it is valid (and not a dry run), write it. Raises ``FileProblem``.

    ``progress`` (a job's ``Work``) hears of the rows read, checked and written."""
    sheets = transfer.build_sheets()
    book = xlsx.open_workbook(upload, size=size, max_bytes=settings.IMPORT_MAX_BYTES,
                              max_inflated=settings.IMPORT_MAX_INFLATED_BYTES, seconds=settings.IMPORT_MAX_SECONDS)
    try:
        found = {name: xlsx.find_sheet(book, name) for name in SHEET_ORDER}
        if not any(found.values()):
            raise FileProblem(_("Berkas ini bukan templat impor Pantau: lembar Instansi, Unit, Produk dan Standar "
                                "tidak ditemukan. Unduh templat dari halaman ini, lalu isi."))
        streams: dict[str, Iterator[Row]] = {}
        structure: list[Problem] = []
        for name, title in found.items():
            if title is None:
                structure.append(Problem(name, None, "", _("Lembar “%s” tidak ada. Pakai templat dari Pantau; "
                                                           "lembar yang tidak dipakai boleh dibiarkan kosong.")
                                         % name))
                continue
            streams[name], header_problems = xlsx.stream_sheet(book, title, sheets[name],
                                                               max_rows=transfer.MAX_ROWS)
            structure.extend(header_problems)
        if structure:
            return ImportResult(problems=structure, dry_run=dry_run)
        if progress is not None:
            counted = [book.count_rows(title) for title in found.values() if title is not None]
            total = None if None in counted else sum(max(n - 1, 0) for n in counted if n is not None)
            progress.progress(total=total, checked=0, errors=0, message=_("Memeriksa baris…"), save=True)
        run = Run(actor, sheets, book.budget, progress)
        refused: list[Problem] = []
        try:
            # The completeness summaries and the search documents: written once per object at the end,
            # and only when the import is kept.
            with _fewer_collections(), transaction.atomic(), completeness.deferred(), search_index.deferred():
                refused = _check(run, streams)
                if refused or run.problem_count or dry_run:
                    raise _Discard
        except _Discard:
            pass
    finally:
        book.close()
    if refused:
        # A sheet too long or too wide is refused whole, before its rows are looked at (as a header is).
        return ImportResult(problems=refused, dry_run=dry_run)
    order = {name: i for i, name in enumerate(SHEET_ORDER)}
    problems = sorted(run.problems, key=lambda p: (order.get(p.sheet, 9), p.row or 0))
    result = ImportResult(problems=problems, dry_run=dry_run, problem_count=run.problem_count)
    if not problems:
        result.counts = run.counts
    if progress is not None:
        written = 0 if problems or dry_run else sum(c.created + c.updated for c in run.counts.values())
        progress.progress(checked=run.checked, written=written, errors=run.problem_count, message="", save=True)
    return result


def _check(run: Run, streams: dict[str, Iterator[Row]]) -> list[Problem]:
    """Check and write every sheet chunk by chunk; the problems of sheets refused whole, if any (then
    the other sheets are only read, for their own refusals)."""
    refused: list[Problem] = []
    for name in SHEET_ORDER:
        if name not in streams:
            continue
        run.begin(name)
        try:
            for chunk in _chunks(streams[name], CHUNK_ROWS):
                if not refused:
                    run.chunk(name, chunk)
        except SheetRefused as exc:
            refused.append(exc.problem)
        run.end(name)
    return refused


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The import makes and drops millions of short-lived objects (cells, rows, records, audit
    events), next to the hundred thousand long-lived ones of Django: the garbage collector then
    spends a sixth of the import's time walking them. So, for the import, what exists before it is
    left out of the collections (``gc.freeze``) and the young objects are collected less often
    (memory is bounded by the chunks anyway)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk
