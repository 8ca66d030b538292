"""The rapor PDF: a real PDF read back with pypdf; its content bounded whatever the input; hostile text."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pantau.assessments import rapor
from pantau.assessments.rapor import DimensionPoints, PeriodResult, RaporData, UnitGaps, UnmetItem

D = Decimal
ERA2 = "2022-2024"


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader, " ".join(text.split())


def item(n: int, unit: int = 0, **kw: object) -> UnmetItem:
    defaults: dict[str, object] = {"code": f"PR{n:02d}", "text": f"Maklumat pelayanan terpampang {unit}-{n}",
                                   "fix": f"Pasang maklumat di ruang tunggu {unit}-{n}",
                                   "url": f"https://pantau.example/layanan/{unit}/{n}"}
    defaults.update(kw)
    return UnmetItem(**defaults)  # type: ignore[arg-type]


def data(units: list[UnitGaps] | Iterator[UnitGaps] | None = None, **kw: object) -> RaporData:
    defaults: dict[str, object] = {
        "institution": "Pemerintah Kabupaten Tabalong", "methodology_title": "Opini Pengawasan 2022–2024",
        "methodology_version": "ombudsman-2022@1.0",
        "current": PeriodResult(2023, D("85.50"), "B", "green", ERA2), "category_label": "Kualitas Tinggi",
        "dimensions": [DimensionPoints("input", "Input", D("20.10"), D("21.85")),
                       DimensionPoints("proses", "Proses", D("30.00"), D("32.37")),
                       DimensionPoints("output", "Output", None, D("24.24"))],
        "units": units if units is not None else [
            UnitGaps("Dinas Kependudukan dan Pencatatan Sipil", [item(1), item(2)], D("82.10"), "green"),
            UnitGaps("RSUD H. Badaruddin", [item(7, 1)], D("60.00"), "yellow")],
    }
    defaults.update(kw)
    return RaporData(**defaults)  # type: ignore[arg-type]


def big(units: int, items: int) -> list[UnitGaps]:
    return [UnitGaps(f"Unit layanan {u}", [item(i, u) for i in range(items)], D("70.00"), "yellow")
            for u in range(units)]


@pytest.mark.django_db
def test_it_prints_the_scores_dimensions_and_unmet_items_by_unit() -> None:
    reader, text = read(rapor.render(data(previous=PeriodResult(2022, D("80.25"), "B", "green", ERA2))))
    assert len(reader.pages) == 1
    for expected in ("Pemerintah Kabupaten Tabalong", "Tahun penilaian 2023", "85,50", "B — Kualitas Tinggi",
                     "Hijau", "Input 20,10 21,85", "Output tidak berlaku 24,24", "3 butir belum terpenuhi",
                     "Dinas Kependudukan dan Pencatatan Sipil · 82,10 · Hijau",
                     "PR01 Maklumat pelayanan terpampang 0-1",
                     "Perbaiki: Pasang maklumat di ruang tunggu 0-1", "https://pantau.example/layanan/0/1",
                     "RSUD H. Badaruddin · 60,00 · Kuning", "PR07",
                     "2022 80,25 B Hijau", "Perubahan sejak 2022: +5,25"):
        assert expected in text, expected
    assert "PENILAIAN MANDIRI" not in text and "Dikoreksi" not in text
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert "https://pantau.example/layanan/0/1" in links


@pytest.mark.django_db
def test_last_period_of_another_era_is_shown_but_not_compared() -> None:
    _reader, text = read(rapor.render(data(previous=PeriodResult(2021, D("79.00"), "", "yellow", "2016-2021"))))
    assert "2021 79,00" in text and "Kuning" in text
    assert "tidak dapat dibandingkan" in text and "Perubahan sejak" not in text


@pytest.mark.django_db
def test_a_self_assessment_has_its_banner_and_a_correction_its_note() -> None:
    _reader, text = read(rapor.render(data(self_assessment=True, corrected=True,
                                           correction_note="Butir PR03 dinilai ulang setelah sanggahan.")))
    assert "PENILAIAN MANDIRI — bukan hasil resmi Ombudsman." in text
    assert "Dikoreksi: hasil ini menggantikan versi yang diterbitkan sebelumnya. Butir PR03 dinilai ulang" in text


@pytest.mark.django_db
def test_it_is_available_in_english() -> None:
    _reader, text = read(rapor.render(data(self_assessment=True), "en"))
    assert "What to fix" in text and "SELF-ASSESSMENT" in text and "Green" in text


@pytest.mark.django_db
def test_nothing_unmet_says_so() -> None:
    _reader, text = read(rapor.render(data(units=[UnitGaps("Dinas", [])])))
    assert "Semua butir terpenuhi." in text and "0 butir" not in text


def test_fitting_caps_items_per_unit_and_in_all_taking_units_in_turn() -> None:
    fitted = rapor.fit(data(big(60, 30)))
    assert fitted.total_items == 1800
    assert fitted.shown_items <= rapor.TOTAL_ITEMS and fitted.hidden_items == 1800 - fitted.shown_items
    assert all(len(u.items) <= rapor.UNIT_ITEMS for u in fitted.units)
    assert all(u.items for u in fitted.units)  # every unit shows its first items before any shows more
    assert max(len(u.items) for u in fitted.units) - min(len(u.items) for u in fitted.units) <= 1
    assert sum(u.hidden for u in fitted.units) == fitted.hidden_items


def test_fitting_shows_the_costliest_items_first_and_counts_units_past_the_cap() -> None:
    items = [item(i, points_lost=D(i % 5)) for i in range(40)]
    fitted = rapor.fit(data([UnitGaps("A", items)]))
    assert [i.code for i in fitted.units[0].items][:3] == ["PR04", "PR09", "PR14"]
    many = rapor.fit(data(iter(big(rapor.MAX_UNITS + 5, 2))))
    assert len(many.units) == rapor.MAX_UNITS and many.hidden_units == 5 and many.hidden_units_items == 10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), max_size=40), max_size=rapor.MAX_UNITS + 10))
def test_fitting_keeps_within_its_caps_and_counts_what_it_leaves_out(costs: list[list[int]]) -> None:
    units = [UnitGaps(f"U{u}", [item(i, u, points_lost=D(c)) for i, c in enumerate(cs)]) for u, cs in enumerate(costs)]
    fitted = rapor.fit(data(units))
    assert fitted.total_items == sum(len(cs) for cs in costs)
    assert fitted.shown_items == sum(len(u.items) for u in fitted.units) <= rapor.TOTAL_ITEMS
    assert fitted.chars <= rapor.TOTAL_CHARS and len(fitted.units) <= rapor.MAX_UNITS
    assert fitted.hidden_items == sum(u.hidden for u in fitted.units) + fitted.hidden_units_items
    for shown, cs in zip(fitted.units, costs, strict=False):
        assert len(shown.items) <= rapor.UNIT_ITEMS
        costs_shown = [cs[int(i.code[2:])] for i in shown.items]
        assert costs_shown == sorted(cs, reverse=True)[: len(shown.items)]  # the costliest first


@pytest.mark.django_db
def test_a_huge_rapor_stays_within_its_page_and_time_bounds() -> None:
    started = time.perf_counter()
    reader, text = read(rapor.render(data(big(200, 300))))
    seconds = time.perf_counter() - started
    assert len(reader.pages) <= 12
    assert seconds < 10  # bench/rapor.py holds the 2 s budget; this only catches runaway layout
    assert "butir lagi — lihat berkas XLSX" in text and "unit lagi" in text
    assert "60000 butir belum terpenuhi" in text


HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.django_db
def test_hostile_text_does_not_break_it() -> None:
    long_word = "x" * 50_000
    units = [UnitGaps(f"<script>alert(1)</script>\x00\x07{long_word}", [
        item(1, code="\x1b[31m", text=HOSTILE + " \u202e\u200b" + long_word, fix="@SUM(A1)\r\n" * 5000,
             url="javascript:alert(1)"),
        item(2, url="file:///etc/passwd"), item(3, url="//evil.example/x"), item(4, url="/layanan/4/"),
        item(5, url="https://ok.example/" + "a" * 5000),
    ], None, "<b>ungu</b>")]
    reader, text = read(rapor.render(data(units, institution="=1+1 " + long_word,
                                          correction_note="\x00" * 10_000, corrected=True)))
    assert HOSTILE in text and "@SUM(A1)" in text
    assert "<script>" in text  # printed as text, not run (there is nothing to run in a PDF anyway)
    assert "\x00" not in text and "\x07" not in text and "\u202e" not in text
    assert len(reader.pages) <= 3
    links = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])]
    assert not any(str(u).startswith(("javascript", "file")) or "evil" in str(u) for u in links)
    assert any(str(u).endswith("/layanan/4/") for u in links)  # a path on this site is linked
    fitted = rapor.fit(data(units))
    shown = fitted.units[0].items
    assert [i.url for i in shown] == ["", "", "", "/layanan/4/", ""]
    assert len(fitted.units[0].name) <= rapor.NAME_CHARS and len(shown[0].text) <= rapor.ITEM_CHARS
    assert len(shown[0].fix) <= rapor.FIX_CHARS


@pytest.mark.parametrize(("url", "kept"), [
    ("https://pantau.example/layanan/1/", True), ("http://a.example/x?y=1", True), ("/layanan/1/", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,x", False),
    ("//evil.example/", False), ("https://", False), ("layanan/1", False), ("https://a.example/x y", False),
])
def test_only_http_links_and_site_paths_are_kept(url: str, kept: bool) -> None:
    assert (rapor.safe_url(url) == url) is kept
