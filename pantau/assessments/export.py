"""Every answer and score of one assessment period as XLSX: one sheet per level.

Sheets: a notes sheet (the period, the methodology, what each sheet holds), then Instansi
(institutions), Unit, Produk (products) and Jawaban (answers). The rows are plain dataclasses taken
from iterables and written through the shared writer (``pantau.reports.xlsx``: rows spooled to disk
as sheet XML, memory flat, text cleaned and never written as a formula), so a background task can
stream them straight from the database (``values_list(...).iterator()``) without building a list.

The unit sheet has one column per dimension of the methodology (its points as published). Headers
are part of the file format and stay Indonesian; the notes and header comments are translated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from pantau.reports import xlsx
from pantau.reports.xlsx import FLOAT, INT, Column, Sheet

NOTES, INSTITUTIONS, UNITS, PRODUCTS, ANSWERS = "Catatan", "Instansi", "Unit", "Produk", "Jawaban"
TEXT_CHARS = 2000  # a note, a reason or an item's text in one cell (a cell holds 32 767)


@dataclass(frozen=True)
class PeriodInfo:
    year: int
    methodology: str  # id@version
    methodology_title: str
    dimensions: tuple[tuple[str, str], ...]  # (code, title) in the methodology's order
    official: bool = True  # False: a self-assessment, never an official result
    generated: str = ""  # when the file was made, as text


@dataclass(frozen=True)
class InstitutionRow:
    institution_id: int | str
    name: str
    kind: str
    province: str
    score: Decimal | None
    category: str
    zone: str
    rank_national: int | None = None
    rank_province: int | None = None
    corrected: bool = False


@dataclass(frozen=True)
class UnitRow:
    institution: str
    unit_id: int | str
    name: str
    score: Decimal | None
    category: str
    zone: str
    points: tuple[Decimal | None, ...] = ()  # per dimension, in ``PeriodInfo.dimensions`` order


@dataclass(frozen=True)
class ProductRow:
    institution: str
    unit: str
    product_id: int | str
    name: str
    score: Decimal | None  # era 1 scores each product; None where the unit is the scored level


@dataclass(frozen=True)
class AnswerRow:
    institution: str
    unit: str
    product: str  # "" for an item answered per unit
    item: str
    dimension: str
    variable: str
    text: str
    value: Decimal | None  # None: not applicable
    reason: str = ""  # why N/A
    status: str = ""  # e.g. draft, approved, contested
    note: str = ""


def _score(**kw: Any) -> Column:
    return Column(kind=FLOAT, minimum=0, maximum=100, width=10, **kw)


def sheets(period: PeriodInfo) -> dict[str, Sheet]:
    zone_help = _("Zona: green = hijau, yellow = kuning, red = merah.")
    dims = tuple(Column(f"Poin {code}", f"dim_{code}", FLOAT, width=10,
                        help=_("Poin dimensi %(title)s seperti dipublikasikan.") % {"title": title})
                 for code, title in period.dimensions)
    return {
        INSTITUTIONS: Sheet(INSTITUTIONS, (
            Column("ID", "id", INT, width=10), Column("Instansi", "name", width=40),
            Column("Jenis", "kind", width=14), Column("Provinsi", "province", width=12),
            _score(header="Nilai", key="score"), Column("Kategori", "category", width=10),
            Column("Zona", "zone", width=10, help=zone_help),
            Column("Peringkat nasional", "rank_national", INT, width=12,
                   help=_("Peringkat di antara instansi sejenis secara nasional (nilai sama, peringkat sama).")),
            Column("Peringkat provinsi", "rank_province", INT, width=12),
            Column("Dikoreksi", "corrected", width=10),
        )),
        UNITS: Sheet(UNITS, (
            Column("Instansi", "institution", width=34), Column("ID unit", "id", INT, width=10),
            Column("Unit", "name", width=40), _score(header="Nilai", key="score"),
            Column("Kategori", "category", width=10), Column("Zona", "zone", width=10, help=zone_help), *dims,
        )),
        PRODUCTS: Sheet(PRODUCTS, (
            Column("Instansi", "institution", width=34), Column("Unit", "unit", width=34),
            Column("ID produk", "id", INT, width=10), Column("Produk", "name", width=40),
            _score(header="Nilai", key="score", help=_("Kosong bila nilai dihitung per unit, bukan per produk.")),
        )),
        ANSWERS: Sheet(ANSWERS, (
            Column("Instansi", "institution", width=30), Column("Unit", "unit", width=30),
            Column("Produk", "product", width=30, help=_("Kosong untuk item yang dijawab per unit.")),
            Column("Item", "item", width=10), Column("Dimensi", "dimension", width=12),
            Column("Variabel", "variable", width=12), Column("Pertanyaan", "text", width=50),
            Column("Jawaban", "value", FLOAT, width=10, help=_("Kosong bila item tidak berlaku.")),
            Column("Alasan tidak berlaku", "reason", width=30), Column("Status", "status", width=12),
            Column("Catatan", "note", width=40),
        )),
    }


def _text(value: str) -> str:
    return value if len(value) <= TEXT_CHARS else value[: TEXT_CHARS - 1] + "…"


def _yes(flag: bool) -> str:
    return xlsx.yes_no(flag)


def _institution_rows(rows: Iterable[InstitutionRow]) -> Iterator[list[Any]]:
    for r in rows:
        yield [r.institution_id, _text(r.name), r.kind, r.province, r.score, r.category, r.zone, r.rank_national,
               r.rank_province, _yes(r.corrected)]


def _unit_rows(rows: Iterable[UnitRow], width: int) -> Iterator[list[Any]]:
    for r in rows:
        if len(r.points) > width:
            raise ValueError(f"unit {r.unit_id}: {len(r.points)} dimension points for {width} dimensions")
        yield [_text(r.institution), r.unit_id, _text(r.name), r.score, r.category, r.zone, *r.points]


def _product_rows(rows: Iterable[ProductRow]) -> Iterator[list[Any]]:
    for r in rows:
        yield [_text(r.institution), _text(r.unit), r.product_id, _text(r.name), r.score]


def _answer_rows(rows: Iterable[AnswerRow]) -> Iterator[list[Any]]:
    for r in rows:
        yield [_text(r.institution), _text(r.unit), _text(r.product), r.item, r.dimension, r.variable,
               _text(r.text), r.value, _text(r.reason), r.status, _text(r.note)]


class _Counter:
    def __init__(self) -> None:
        self.rows = 0

    def wrap(self, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            self.rows += 1
            yield row


def notes(period: PeriodInfo) -> list[str]:
    lines = [
        _("Hasil penilaian kepatuhan tahun %(year)s: semua nilai dan jawaban.") % {"year": period.year},
        _("Metodologi: %(title)s (%(id)s).") % {"title": period.methodology_title, "id": period.methodology},
        _("Lembar Instansi, Unit dan Produk berisi nilai tiap tingkat; lembar Jawaban berisi setiap jawaban item. "
          "Nilai dibulatkan seperti dipublikasikan (2 desimal)."),
    ]
    if not period.official:
        lines.insert(0, _("PENILAIAN MANDIRI — bukan hasil resmi Ombudsman."))
    if period.generated:
        lines.append(_("Dibuat: %(when)s") % {"when": period.generated})
    return lines


def write_period(out: IO[bytes], period: PeriodInfo, *, institutions: Iterable[InstitutionRow],
                 units: Iterable[UnitRow], products: Iterable[ProductRow], answers: Iterable[AnswerRow]) -> int:
    """Write the period's workbook to ``out``; return the number of data rows written.

    Each iterable is read once, row by row, while its sheet is written (nothing is kept in memory)."""
    layout = sheets(period)
    counter = _Counter()
    wb = xlsx.new_workbook()
    xlsx.add_notes_sheet(wb, NOTES, notes(period))
    sources: Sequence[tuple[str, Iterator[list[Any]]]] = (
        (INSTITUTIONS, _institution_rows(institutions)),
        (UNITS, _unit_rows(units, len(period.dimensions))),
        (PRODUCTS, _product_rows(products)),
        (ANSWERS, _answer_rows(answers)),
    )
    for name, rows in sources:
        xlsx.add_sheet(wb, layout[name], counter.wrap(rows))
    xlsx.save(wb, out)
    return counter.rows
