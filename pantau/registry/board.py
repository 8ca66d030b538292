"""The counter board's content fitted to one A3 page, rendered, and kept where every process finds it.

Why fitted: WeasyPrint's layout of a board that runs over many pages costs more than linear time
(a CSS grid or flex container split over pages is laid out again for every page: 75 lines took
4 s, 300 lines 25 s). The board therefore never runs over: before rendering, every text is cut to
what one A3 page holds — each item to ``ITEM_CHARS`` characters, each section to the rows it is
given — and a section that lost something ends with "… selengkapnya di <public address>". The
rows are estimated from the page geometry of ``board.css`` (column widths, font sizes); the
rendered document is then checked, and when it still has more than one page it is fitted again
with less room (``ROOMS``), finally keeping the first page only. The layout itself uses only
tables and blocks (no grid or flex over page breaks). Rendering time is bounded whatever the
input; ``bench/board.py`` measures it.

Where kept: ``render_and_store`` (run by ``pantau.registry.tasks.render_board``, off the request
path) puts the bytes in the ``boards`` storage (``STORAGES["boards"]``, files shared by every
process on the machine) and in Django's cache (shared between machines when ``CACHE_URL`` is), both
under the board's fingerprint. A failed render is recorded too, so it is not tried again on every
request (``FAILURE_RETRY_SECONDS``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from pantau.core import hooks
from pantau.core.text import clip
from pantau.registry import components as comp
from pantau.registry.models import ServiceProduct, ServiceStandard
from pantau.reports.pdf import StaticOnlyFetcher, base_url
from pantau.reports.qr import qr_svg_data_uri

log = logging.getLogger("pantau.board")

LAYOUT_VERSION = "2"  # bump when the template, the CSS or the fitting changes: boards are rendered anew
CACHE_SECONDS = 24 * 3600
FAILURE_RETRY_SECONDS = 6 * 3600
LANGUAGES = ("id", "en")
ITEM_CHARS = 240  # one requirement, step or channel on the board
NAME_CHARS = 100  # a unit, institution or office name where the board repeats it
MAX_ITEMS = 80  # items of one section considered for the page (it holds far fewer)
ITEM_ROOM_MM = 1000.0  # "more than a page" for the items beyond MAX_ITEMS
ROOMS = (1.0, 0.8)  # the room given to the texts: first try, then after an overflow

# Page geometry of board.css (A3 portrait, 12 mm margins top and bottom, 13 mm left and right).
PAGE_MM = 420 - 24
WIDTH_MM = 297 - 26
SAFETY = 1.0  # the estimates run about a tenth high (measured); an overflow is fitted again with less room


def public_url(product: ServiceProduct) -> str:
    """The short public address of a product, printed on the board and encoded in its QR code."""
    return settings.SITE_URL + reverse("public:product_short", args=[product.pk])


def board_language(requested: str | None) -> str:
    """The board is Indonesian unless English is asked for explicitly (``?lang=en``)."""
    return requested if requested in LANGUAGES else LANGUAGES[0]


BOARD_PAGE = "public_board"  # other modules' parts of the board (core.hooks.page_panel): in its page margin


def fingerprint(product: ServiceProduct, standard: ServiceStandard, language: str) -> str:
    """Everything the board shows, hashed: a new version, a renamed unit … is a new board."""
    unit = product.unit
    institution = unit.institution
    parts: list[Any] = [
        LAYOUT_VERSION, settings.SITE_URL, language, product.pk, product.name, standard.pk,
        standard.published_at, unit.name, unit.address, unit.phone, unit.maklumat, unit.maklumat_date,
        unit.vulnerable_facilities, institution.name, institution.office.name,
        hooks.page_stamps(BOARD_PAGE, product.pk),
    ]
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


# Fitting ---------------------------------------------------------------------------------------

@dataclass
class Block:
    """One section's text as items (lines), and how it is printed: characters per row, row height."""

    items: list[str]
    cpl: int  # characters per printed row
    row_mm: float
    gap_mm: float = 0.0  # below each item
    prose: bool = False  # prose may be cut inside an item; lists stop at an item
    shown: list[str] = field(default_factory=list)
    hidden: int = 0
    total: int = 0
    heights: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.total = len(self.items)
        self.items = self.items[:MAX_ITEMS]  # more never fit on one page: fitting stays O(1) in the input
        self.heights = [self.rows(i) * self.row_mm + self.gap_mm for i in self.items]

    def rows(self, text: str) -> int:
        return max(1, math.ceil(len(text) / self.cpl))

    def more_mm(self, more: str) -> float:
        """The height of the "… selengkapnya di <address>" line (13 pt)."""
        return max(1, math.ceil(len(more) / (self.cpl * 16 / 13))) * _row(13) + 1

    def need(self) -> float:
        return sum(self.heights) + (0 if self.total == len(self.items) else ITEM_ROOM_MM)

    def fit(self, room_mm: float, more: str) -> float:
        """Keep what fits in ``room_mm`` (with the "more" line when something is left); the height used."""
        self.shown, self.hidden = list(self.items), self.total - len(self.items)
        if not self.hidden and self.need() <= room_mm:
            return self.need()
        room = room_mm - self.more_mm(more)
        used, shown = 0.0, []
        for item, height in zip(self.items, self.heights, strict=True):
            if used + height > room:
                rows_left = int((room - used - self.gap_mm) // self.row_mm)
                if self.prose and rows_left >= 1:
                    shown.append(clip(item, rows_left * self.cpl))
                    used += rows_left * self.row_mm + self.gap_mm
                break
            shown.append(item)
            used += height
        self.shown, self.hidden = shown, self.total - len(shown)
        if len(shown) == self.total and shown and shown[-1] != self.items[-1]:
            self.hidden = 1  # the last item was cut
        return used + self.more_mm(more)


def _cpl(width_mm: float, font_pt: float, em: float = 0.56) -> int:
    return max(8, int(width_mm / (font_pt * 0.3528 * em)))


def _row(font_pt: float, line_height: float = 1.35) -> float:
    return font_pt * 0.3528 * line_height


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _header_mm(f: Fitted, title_chars: int) -> float:
    text_mm = WIDTH_MM - 50 - 7 - 14
    kicker = math.ceil((len(f.institution_name) + 20) / _cpl(text_mm, 13, 0.7))
    title = math.ceil(title_chars / _cpl(text_mm, f.title_pt, 0.6))
    place = math.ceil((len(f.unit_name) + len(f.address) + 3) / _cpl(text_mm, 14))
    text = kicker * _row(13) + title * f.title_pt * 0.3528 * 1.1 + 4 + place * _row(14) + 2 * _row(13) + 3
    return max(text, 62) + 12 + 6


def title_size(name: str) -> float:
    """A long product name is printed smaller, so the header keeps its height."""
    return 34.0 if len(name) <= 60 else 26.0 if len(name) <= 120 else 20.0


@dataclass
class Fitted:
    requirements: Block
    steps: Block
    cost: Block
    output: Block
    vulnerable: Block
    channels: Block
    maklumat: Block
    completion_time: str
    big_time: bool
    title_pt: float
    address: str
    unit_name: str
    institution_name: str
    office_name: str

    @property
    def title_class(self) -> str:
        return f"t{int(self.title_pt)}"

    @property
    def cut(self) -> bool:
        return any(b.hidden for b in self.blocks())

    def blocks(self) -> list[Block]:
        return [self.requirements, self.steps, self.cost, self.output, self.vulnerable, self.channels,
                self.maklumat]


def fit(product: ServiceProduct, standard: ServiceStandard, url: str, *, room: float = 1.0) -> Fitted:
    """The board's texts cut to what one page holds (``room`` < 1 leaves more of the page free)."""
    unit = product.unit
    left, right = (WIDTH_MM - 9) * 0.58, (WIDTH_MM - 9) * 0.42
    half, body = (WIDTH_MM - 9) / 2, _row(16)
    time_text = clip(standard.completion_time, 80)
    big_time = len(time_text) <= 40
    f = Fitted(
        requirements=Block([clip(i, ITEM_CHARS) for i in comp.lines(standard.requirements)],
                           _cpl(left - 11, 16), body, 2),
        steps=Block([clip(i, ITEM_CHARS) for i in comp.lines(standard.procedure)], _cpl(left - 12, 16), body, 2),
        cost=Block(_paragraphs(standard.cost), _cpl(right - 12, 16), body, prose=True),
        output=Block(_paragraphs(standard.output), _cpl(half - 12, 16), body, prose=True),
        vulnerable=Block(_paragraphs(unit.vulnerable_facilities), _cpl(half - 12, 16), body, prose=True),
        channels=Block([clip(i, ITEM_CHARS) for i in comp.lines(standard.complaints)],
                       _cpl((WIDTH_MM - 9) * 0.45 - 7, 16), body, 1),
        maklumat=Block(_paragraphs(unit.maklumat), _cpl(WIDTH_MM - 16, 16, 0.52), _row(16, 1.45), prose=True),
        completion_time=time_text, big_time=big_time, title_pt=title_size(product.name),
        address=clip(unit.address or "", NAME_CHARS), unit_name=clip(unit.name, NAME_CHARS),
        institution_name=clip(unit.institution.name, NAME_CHARS),
        office_name=clip(unit.institution.office.name, NAME_CHARS),
    )
    h2, box, section = 13.5, 11.0 + 7.0, 5.0  # a heading; a boxed heading with the box's padding
    escalate_cpl = _cpl((WIDTH_MM - 9) * 0.55 - 8, 16)
    escalate = sum(math.ceil(n / escalate_cpl) for n in (
        len(f.unit_name) + 60, 75, len(f.office_name) + 45)) * body + 3
    time_text_mm = (math.ceil(len(time_text) / _cpl(right - 12, 22, 0.6)) * _row(22) if big_time
                    else math.ceil(len(time_text) / _cpl(right - 12, 16)) * body)
    cost_extra = 2 * _row(13) + 3 + (20 + body + 2 if standard.is_free else 0)
    header = _header_mm(f, len(product.name))
    budget = PAGE_MM * SAFETY * room
    more = _("… selengkapnya di %(url)s") % {"url": url} + " (+000)"

    def total(cap: float) -> float:
        left_mm = 2 * (h2 + section) + f.requirements.fit(cap, more) + f.steps.fit(cap, more)
        right_mm = (box + section + time_text_mm) + (box + section + cost_extra + f.cost.fit(cap, more))
        pair = box + section + max(f.output.fit(cap, more), f.vulnerable.fit(cap, more), body)
        ways = h2 + section + max(f.channels.fit(cap, more), escalate)
        maklumat = box + section + body + 3 + max(f.maklumat.fit(cap, more), body)
        return header + max(left_mm, right_mm) + pair + ways + maklumat

    low, high = 0.0, max((b.need() for b in f.blocks()), default=0.0)
    if total(high) > budget:
        for _step in range(24):  # binary search for the largest per-section height that fits
            middle = (low + high) / 2
            low, high = (middle, high) if total(middle) <= budget else (low, middle)
        total(low)
    return f


# Rendering -------------------------------------------------------------------------------------

def board_context(product: ServiceProduct, standard: ServiceStandard, *, room: float = 1.0,
                  panels: list[tuple[str, dict[str, Any]]] | None = None) -> dict[str, Any]:
    url = public_url(product)
    fitted = fit(product, standard, url, room=room)
    return {
        "product": product, "unit": product.unit, "institution": product.unit.institution,
        "standard": standard, "fit": fitted, "public_url": url, "qr": qr_svg_data_uri(url),
        "panels": hooks.page_contexts(BOARD_PAGE, product.pk) if panels is None else panels,
    }


def render(product: ServiceProduct, standard: ServiceStandard, language: str,
           panels: list[tuple[str, dict[str, Any]]] | None = None) -> bytes:
    """The board as PDF bytes: one A3 page, whatever the length of the texts (``panels``: the other
    modules' margin parts, read through ``core.hooks`` when not given)."""
    from django.template.loader import render_to_string

    with translation.override(language):
        for room in ROOMS:
            html = render_to_string("registry/board.html", board_context(product, standard, room=room, panels=panels))
            document = HTML(string=html, base_url=base_url(), url_fetcher=StaticOnlyFetcher()).render()
            if len(document.pages) <= 1:
                break
            log.warning("board of product %s ran over one page (room %.1f)", product.pk, room)
        else:
            document = document.copy(document.pages[:1])  # the texts are cut already: keep the page
        pdf: bytes = document.write_pdf()
    return pdf


# Storage ---------------------------------------------------------------------------------------

def _storage() -> Storage:
    return storages["boards"]


def _name(product_id: int, language: str, print_: str, suffix: str) -> str:
    return f"{product_id}/{language}-{print_}.{suffix}"


def _cache_key(product_id: int, language: str, print_: str) -> str:
    return f"board:{product_id}:{language}:{print_}"


def stored(product_id: int, language: str, print_: str) -> bytes | None:
    """The rendered board, from the cache or the boards storage; None when it is not ready."""
    key = _cache_key(product_id, language, print_)
    pdf: bytes | None = cache.get(key)
    if pdf is not None:
        return pdf
    storage, name = _storage(), _name(product_id, language, print_, "pdf")
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as fh:
        pdf = fh.read()
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def failed(product_id: int, language: str, print_: str) -> bool:
    """Whether rendering this board failed recently (then it is not tried again on every request)."""
    storage, name = _storage(), _name(product_id, language, print_, "failed")
    if not storage.exists(name):
        return False
    with storage.open(name, "rb") as fh:
        try:
            when = float(fh.read().split(b" ", 1)[0])
        except ValueError:
            return True
    return time.time() - when < FAILURE_RETRY_SECONDS


def _replace(product_id: int, language: str, keep: str) -> None:
    """Remove the product's other boards (and failure records) in ``language``: they are out of date."""
    storage = _storage()
    folder = str(product_id)
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        if name.startswith(f"{language}-") and name != keep:
            storage.delete(f"{folder}/{name}")


def _save(name: str, content: bytes) -> None:
    storage = _storage()
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(content))


def render_and_store(product: ServiceProduct, standard: ServiceStandard, language: str) -> str:
    """Render the board unless it is stored already; record a failure. Returns what happened."""
    print_ = fingerprint(product, standard, language)
    if stored(product.pk, language, print_) is not None:
        return "ready"
    name = _name(product.pk, language, print_, "pdf")
    started = time.perf_counter()
    try:
        pdf = render(product, standard, language)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded; the next request must not retry it
        log.exception("board of product %s could not be rendered", product.pk)
        _save(_name(product.pk, language, print_, "failed"), f"{time.time()} {type(exc).__name__}".encode())
        return "failed"
    _save(name, pdf)
    _replace(product.pk, language, keep=name.split("/", 1)[1])
    cache.set(_cache_key(product.pk, language, print_), pdf, CACHE_SECONDS)
    log.info("board of product %s rendered in %.0f ms", product.pk, (time.perf_counter() - started) * 1000)
    return "rendered"
