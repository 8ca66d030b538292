"""The rapor (report card) of one institution for one period, as PDF through ``pantau.reports.pdf``.

What it shows (issue 8, "Results"; ``shared/docs/methodology.md`` §6: "a rapor listing what must be
fixed, which becomes the benchmark for next year"): the score, category and zone; each dimension's
points out of its maximum; the unmet items grouped by unit, each with what to fix and a link to
the standard page where it is fixed; last period's score and zone beside this one (compared only
within one methodology era); a banner when it is a self-assessment (never official) and a note
when the result was corrected.

Why bounded: WeasyPrint's layout cost grows with the content, and more than linearly for a grid,
flex or table container split over pages (see ``pantau.registry.board``). The input is not
bounded (a large regency: 60 units × 30 unmet items), so ``fit`` keeps at most ``UNIT_ITEMS``
items per unit, ``TOTAL_ITEMS`` in all and ``MAX_UNITS`` units, each text cut to its bound
(``clip``) — taking items from the units in turn, so each unit shows its costliest first —
and says what it left out: "N butir lagi — lihat berkas XLSX". Fitting reads the
input once (linear), and what is laid out is bounded whatever the input, so the render time is
too. The list is laid out with blocks only (no table, grid or flex across pages); the only table
is the score summary at the top, which never breaks. ``bench/rapor.py`` measures it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils import translation

from pantau.core.text import clean_text, clip
from pantau.reports.pdf import render_pdf

TEMPLATE = "assessments/rapor.html"
LANGUAGES = ("id", "en")
NAME_CHARS = 150  # an institution, unit or product name
TITLE_CHARS = 200  # the methodology's title
ITEM_CHARS = 300  # an item's text
FIX_CHARS = 400  # what to fix
NOTE_CHARS = 600  # the correction note
URL_CHARS = 300  # a link longer than this is not printed (nor linked)
UNIT_ITEMS = 10  # unmet items shown per unit
TOTAL_ITEMS = 60  # unmet items shown in all (about 6 A4 pages)
TOTAL_CHARS = 18_000  # and the characters of the items shown in all (about 6 A4 pages of 10 pt text)
ITEM_OVERHEAD_CHARS = 80  # what an item's code, labels and spacing cost in this budget
MAX_UNITS = 60  # units listed (each with its count, even when its items no longer fit)
MAX_DIMENSIONS = 12


@dataclass(frozen=True)
class DimensionPoints:
    code: str
    title: str
    points: Decimal | None  # None: not applicable (rescaled over the other dimensions)
    maximum: Decimal


@dataclass(frozen=True)
class UnmetItem:
    code: str
    text: str
    fix: str  # what to fix
    url: str = ""  # the standard page where it is fixed (absolute, or a path on this site)
    product: str = ""  # "" for an item answered per unit
    points_lost: Decimal | None = None  # for ordering by what it costs; None: unknown


@dataclass(frozen=True)
class UnitGaps:
    name: str
    items: Sequence[UnmetItem]
    score: Decimal | None = None
    zone: str = ""


@dataclass(frozen=True)
class PeriodResult:
    year: int
    score: Decimal
    category: str
    zone: str  # green, yellow, red
    era: str


@dataclass(frozen=True)
class RaporData:
    institution: str
    methodology_title: str
    methodology_version: str  # id@version
    current: PeriodResult
    category_label: str = ""
    dimensions: Sequence[DimensionPoints] = ()
    units: Iterable[UnitGaps] = ()
    previous: PeriodResult | None = None
    self_assessment: bool = False
    corrected: bool = False
    correction_note: str = ""


@dataclass(frozen=True)
class ShownItem:
    code: str
    text: str
    fix: str
    url: str  # "" when not linkable
    product: str


@dataclass
class ShownUnit:
    name: str
    score: Decimal | None
    zone: str
    total: int
    items: list[ShownItem] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.total - len(self.items)


@dataclass
class Fitted:
    institution: str
    methodology_title: str
    methodology_version: str
    current: PeriodResult
    category_label: str
    dimensions: list[DimensionPoints]
    previous: PeriodResult | None
    comparable: bool  # previous is of the same era
    change: Decimal | None
    self_assessment: bool
    corrected: bool
    correction_note: str
    units: list[ShownUnit]
    total_items: int = 0
    shown_items: int = 0
    hidden_units: int = 0  # units past MAX_UNITS
    hidden_units_items: int = 0
    chars: int = 0  # of the items shown (see TOTAL_CHARS)

    @property
    def hidden_items(self) -> int:
        return self.total_items - self.shown_items


def text(value: str, limit: int) -> str:
    """Text for the PDF: control and invisible characters removed, white space collapsed, cut to ``limit``."""
    return clip(clean_text(str(value)[: limit * 4], multiline=False), limit)


def safe_url(value: str) -> str:
    """A link the PDF may carry: http(s) or a path on this site, not too long; "" otherwise."""
    if len(value) > URL_CHARS * 4:
        return ""
    url = clean_text(value.strip(), multiline=False)
    if not url or len(url) > URL_CHARS or any(c.isspace() for c in url):
        return ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and not parts.netloc and url.startswith("/") and not url.startswith("//"):
        return url
    return ""


def _first(items: Sequence[UnmetItem]) -> list[UnmetItem]:
    """A unit's first ``UNIT_ITEMS`` items to show: those costing the most points first (items of
    unknown cost after them), otherwise in the order given. Linear in the unit's items."""
    if not any(i.points_lost is not None for i in items):
        return list(items[:UNIT_ITEMS])
    return heapq.nsmallest(UNIT_ITEMS, items, key=lambda i: (i.points_lost is None, -(i.points_lost or 0)))


def _period(result: PeriodResult) -> PeriodResult:
    return PeriodResult(result.year, result.score, text(result.category, 20), text(result.zone, 20),
                        text(result.era, 40))


def fit(data: RaporData) -> Fitted:
    """What the rapor shows: every text cut to its bound, the items capped per unit and in all."""
    previous = None if data.previous is None else _period(data.previous)
    comparable = data.previous is not None and data.previous.era == data.current.era
    f = Fitted(
        institution=text(data.institution, NAME_CHARS), methodology_title=text(data.methodology_title, TITLE_CHARS),
        methodology_version=text(data.methodology_version, 80), current=_period(data.current),
        category_label=text(data.category_label, 80),
        dimensions=[DimensionPoints(text(d.code, 20), text(d.title, 80), d.points, d.maximum)
                    for d in data.dimensions[:MAX_DIMENSIONS]],
        previous=previous, comparable=comparable,
        change=data.current.score - previous.score if previous is not None and comparable else None,
        self_assessment=data.self_assessment, corrected=data.corrected,
        correction_note=text(data.correction_note, NOTE_CHARS), units=[],
    )
    candidates: list[list[UnmetItem]] = []
    for unit in data.units:  # read once: a generator from the database works
        count = len(unit.items)
        f.total_items += count
        if len(f.units) >= MAX_UNITS:
            f.hidden_units += 1
            f.hidden_units_items += count
            continue
        f.units.append(ShownUnit(text(unit.name, NAME_CHARS), unit.score, text(unit.zone, 20), count))
        candidates.append(_first(unit.items))
    # Round robin over the units, so that every unit shows its costliest items before any shows more
    # (at most MAX_UNITS × UNIT_ITEMS steps), until TOTAL_ITEMS or TOTAL_CHARS is reached.
    for round_ in range(UNIT_ITEMS):
        for shown, items in zip(f.units, candidates, strict=True):
            if f.shown_items >= TOTAL_ITEMS:
                return f
            if round_ >= len(items):
                continue
            item = items[round_]
            kept = ShownItem(text(item.code, 20), text(item.text, ITEM_CHARS), text(item.fix, FIX_CHARS),
                             safe_url(item.url), text(item.product, NAME_CHARS))
            cost = ITEM_OVERHEAD_CHARS + sum(len(t) for t in (kept.code, kept.text, kept.fix, kept.url, kept.product))
            if f.chars + cost > TOTAL_CHARS:
                return f
            f.chars += cost
            f.shown_items += 1
            shown.items.append(kept)
    return f


def language_of(requested: str | None) -> str:
    """Indonesian unless English is asked for explicitly."""
    return requested if requested in LANGUAGES else LANGUAGES[0]


def render(data: RaporData, language: str = "id") -> bytes:
    """The rapor as PDF bytes (A4), in Indonesian or English."""
    with translation.override(language_of(language)):
        return render_pdf(TEMPLATE, {"r": fit(data)})
