"""The worked examples and published figures of shared/docs/methodology.md, to the cent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pantau.assessments import methodology, scoring
from pantau.assessments.tests.helpers import M2016, M2022, D, answers, raw

DIMS = ("input", "proses", "output", "pengaduan")


def _points(institution: str, unit: str, *values: str) -> scoring.PointsRow:
    return scoring.PointsRow(institution, unit, dict(zip(DIMS, map(Decimal, values), strict=True)))


def _records(card: scoring.Scorecard) -> list[tuple[str, str, str, str]]:
    return [(r["unit"], r["score"], r["category"], r["zone"]) for r in card.records()]


def test_the_worked_example_of_section_2_5_to_the_cent() -> None:
    """(20.00, 30.00, 22.00, 18.00), (15.50, 25.10, 20.00, 12.40), (10.00, 12.00, 15.00, 5.00):
    units 90.00 (A), 73.00 (C), 42.00 (D); Pemda (90.00 + 73.00 + 42.00) / 3 = 68.33 → C, yellow."""
    card = scoring.score_points(M2022, [
        _points("Pemda", "U1", "20.00", "30.00", "22.00", "18.00"),
        _points("Pemda", "U2", "15.50", "25.10", "20.00", "12.40"),
        _points("Pemda", "U3", "10.00", "12.00", "15.00", "5.00"),
    ])
    assert _records(card) == [("", "68.33", "C", "yellow"), ("U1", "90.00", "A", "green"),
                              ("U2", "73.00", "C", "yellow"), ("U3", "42.00", "D", "red")]
    pemda = card.institutions[0]
    assert pemda.score == D("68.33") and pemda.score.as_tuple() == D("68.33").as_tuple()
    assert pemda.step.formula == ("rata-rata 3 nilai (90.00, 73.00, 42.00) = 68.3333… → 68.33 "
                                  "(dibulatkan half-up, 2 desimal)")


@pytest.mark.parametrize(("score", "category", "zone"), [
    ("100", "A", "green"), ("88.00", "A", "green"), ("87.99", "B", "green"), ("78.00", "B", "green"),
    ("77.99", "C", "yellow"), ("54.00", "C", "yellow"), ("53.99", "D", "red"), ("32.00", "D", "red"),
    ("31.99", "E", "red"), ("0", "E", "red"),
])
def test_the_2022_bands_of_section_2_7_at_every_edge(score: str, category: str, zone: str) -> None:
    band = scoring.classify(M2022, D(score))
    assert (band.code, band.zone.code) == (category, zone)


@pytest.mark.parametrize(("score", "zone"), [
    ("100", "green"), ("81.00", "green"), ("80.99", "yellow"), ("51.00", "yellow"), ("50.99", "red"), ("0", "red"),
    # the same bands as published for 2018 (0–50 / 51–80 / 81–100) and 2021 (…/ 51–80.9 / 0–50.9), §1.4
    ("50", "red"), ("51", "yellow"), ("80", "yellow"), ("80.9", "yellow"), ("81", "green"), ("50.9", "red"),
])
def test_the_2016_zones_of_section_1_4_at_every_edge(score: str, zone: str) -> None:
    assert scoring.classify(M2016, D(score)).zone.code == zone


def test_79_36_is_b_green_in_2022_but_yellow_under_the_2016_bands() -> None:
    """§2.7: "a score of 79.36 is B (green) under these bands but would have been yellow under the
    2016–2021 bands"."""
    assert (scoring.classify(M2022, D("79.36")).code, scoring.classify(M2022, D("79.36")).zone.code) == ("B", "green")
    assert scoring.classify(M2016, D("79.36")).zone.code == "yellow"


def test_a_score_with_more_decimals_is_classified_after_rounding_half_up() -> None:
    assert scoring.classify(M2022, D("87.995")).code == "A"
    assert scoring.classify(M2022, D("87.9949")).code == "B"


def _checklist_of(n_items: int) -> methodology.Methodology:
    data: dict[str, Any] = raw("ombudsman-2016")
    template = data["dimensions"][0]["variables"][1]["items"][0]  # a yes-no unit item
    items = [{**template, "code": f"i{n}", "level": "product"} for n in range(n_items)]
    data["dimensions"][0]["variables"] = [{"code": "v", "title": "v", "items": items}]
    return methodology.from_dict(data)


@pytest.mark.parametrize(("visible", "score", "zone"), [
    (61, "81.33", "green"), (60, "80.00", "yellow"), (39, "52.00", "yellow"), (38, "50.67", "red"),
])
def test_the_2015_raw_bands_of_section_1_1_rescale_onto_the_later_cut_offs(visible: int, score: str, zone: str) -> None:
    """§1.1: 61–75 green, 39–60 yellow, 0–38 red on a 75-point scale; "61/75 ≈ 81.3, 60/75 = 80 and
    38/75 ≈ 50.7, which matches the later 81/51 cut-offs". A product with 75 equal checks."""
    checklist = _checklist_of(75)
    product_answers = [scoring.Answer("Pemkot", "Dukcapil", "KTP-el", f"i{n}", D(1 if n < visible else 0))
                       for n in range(75)]
    card = scoring.score_answers(checklist, product_answers)
    assert _records(card) == [("", score, card.institutions[0].band.code, zone),
                              ("Dukcapil", score, card.institutions[0].band.code, zone)]


def test_era_1_product_score_is_100_times_the_weighted_share_of_its_checks() -> None:
    def value(item: methodology.Item, product: str) -> Decimal:
        if item.code == "pt_terpadu":
            return None  # type: ignore[return-value]  # N/A: not a one-stop unit
        return item.points[0] if item.code in ("sp_biaya", "sp_waktu", "pk_laktasi") else item.maximum

    card = scoring.score_answers(M2016, answers(M2016, "Pemkab", "Dukcapil", ["KTP-el"], value))
    product = card.institutions[0].children[0].children[0]
    assert product.score == D(100) * 18 / 21  # 22 checks, 1 N/A, 3 not visible
    assert card.institutions[0].score == D("85.71")


def test_era_1_institution_is_the_mean_of_all_its_products_not_of_its_unit_means() -> None:
    """§1.3: "hasil nilai rata-rata dari seluruh jumlah nilai per-produk layanan"."""
    def none_visible(item: methodology.Item, product: str) -> Decimal:
        return item.minimum if item.level == "product" or product else item.minimum

    all_visible = answers(M2016, "Pemkab", "A", ["p1"])
    nothing = answers(M2016, "Pemkab", "B", ["p1", "p2", "p3"], none_visible)
    card = scoring.score_answers(M2016, all_visible + nothing)
    assert _records(card) == [("", "25.00", "rendah", "red"), ("A", "100.00", "tinggi", "green"),
                              ("B", "0.00", "rendah", "red")]


def test_a_half_cent_rounds_up_at_the_institution() -> None:
    card = scoring.score_given(M2022, [scoring.GivenRow("Pemda", "U1", D("70.12")),
                                       scoring.GivenRow("Pemda", "U2", D("70.13"))])
    assert card.institutions[0].score == D("70.13")  # 70.125: half-even would give 70.12


def test_a_given_score_is_classified_as_it_stands_and_units_are_averaged() -> None:
    card = scoring.score_given(M2022, [scoring.GivenRow("Pemprov", "", D("79.36")),
                                       scoring.GivenRow("Pemkab", "Dinsos", D("88")),
                                       scoring.GivenRow("Pemkab", "Disdik", D("53.99"))])
    assert [(r["institution"], r["unit"], r["score"], r["category"], r["zone"]) for r in card.records()] == [
        ("Pemkab", "", "71.00", "C", "yellow"),  # (88.00 + 53.99) / 2 = 70.995 → 71.00
        ("Pemkab", "Dinsos", "88.00", "A", "green"), ("Pemkab", "Disdik", "53.99", "D", "red"),
        ("Pemprov", "", "79.36", "B", "green")]


def test_era_2_contribution_is_weight_times_achieved_over_max() -> None:
    def three_of_five(item: methodology.Item, product: str) -> Decimal:
        return D(60) if item.answer == "numeric" else (D(1) if item.answer == "yes-no" else D(3))

    card = scoring.score_answers(M2022, answers(M2022, "Pemda", "Dinkes", ["P1", "P2"], three_of_five))
    unit = card.institutions[0].children[0]
    contributions = {s.name: s.value for s in unit.step.parts}
    assert contributions["dimensi input"] == D("21.85") * D("0.6")
    assert contributions["dimensi output"] == D("24.24") * D("0.6")
    # pengaduan: four 0–5 items at 3 and two yes-no items at 1 (equal item weights)
    assert contributions["dimensi pengaduan"] == D("21.54") * (4 * D("0.6") + 2) / 6
    assert unit.score == D("62.87")  # 13.11 + 19.422 + 14.544 + 15.796 = 62.872


def _unit(card: scoring.Scorecard) -> scoring.Result:
    return card.institutions[0].children[0]


def _parts(result: scoring.Result) -> dict[str, Decimal | None]:
    return {s.name: s.value for s in result.step.parts}


def test_a_product_level_item_counts_as_the_mean_of_the_unit_s_products() -> None:
    def biaya_only_on_ktp(item: methodology.Item, product: str) -> Decimal:
        return D(0) if item.code == "p_biaya" and product == "KK" else item.maximum

    unit = _unit(scoring.score_answers(M2022, answers(M2022, "Pemda", "Dukcapil", ["KTP-el", "KK"], biaya_only_on_ktp)))
    assert _parts(unit)["dimensi proses"] == D("32.37") * D("10.5") / 11
    biaya = next(s for d in unit.step.parts for s in d.parts if s.name == "item p_biaya")
    assert (biaya.value, biaya.formula) == (D("0.5"), "rata-rata produk (0, 1)")  # KK, KTP-el


def test_an_item_answered_na_leaves_both_achieved_and_max() -> None:
    def no_website(item: methodology.Item, product: str) -> Decimal | None:
        if item.code == "p_informasi_elektronik":
            return None
        return D(0) if item.code == "p_petugas_loket" else item.maximum

    unit = _unit(scoring.score_answers(M2022, answers(M2022, "Pemda", "Dukcapil", ["KTP-el"], no_website)))
    assert _parts(unit)["dimensi proses"] == D("32.37") * 9 / 10  # 10 applicable items, not 11
    assert "(10 item berlaku)" in unit.step.parts[1].formula
    assert unit.score == D("96.76")  # 100 − 32.37 / 10 = 96.763


def _all_pengaduan_na_allowed() -> methodology.Methodology:
    data = raw()
    for item in data["dimensions"][3]["variables"][0]["items"]:
        item["na"] = True
    return methodology.from_dict(data)


def test_a_dimension_wholly_na_is_left_out_and_the_score_rescaled_over_the_others() -> None:
    m = _all_pengaduan_na_allowed()

    def pengaduan_na(item: methodology.Item, product: str) -> Decimal | None:
        if item.dimension == "pengaduan":
            return None
        return D(60) if item.answer == "numeric" else D(3)

    unit = _unit(scoring.score_answers(m, answers(m, "Pemda", "Dinsos", ["P"], pengaduan_na)))
    assert _parts(unit)["dimensi pengaduan"] is None
    # (21.85 + 32.37 + 24.24) × 0.6 = 47.076 of 78.46 applicable points → 60.00 of 100
    assert unit.score == D("60.00")
    assert unit.step.formula.startswith("(13.110 + 19.422 + 14.544) × 100 / 78.46 (dimensi yang berlaku) = 60")


def test_a_unit_with_every_item_na_cannot_be_scored() -> None:
    data = raw()
    for dim in data["dimensions"]:
        for var in dim["variables"]:
            for item in var["items"]:
                item["na"] = True
    m = methodology.from_dict(data)
    with pytest.raises(scoring.ScoringError, match="Pemda / Dinsos: every item is N/A; there is nothing to score"):
        scoring.score_answers(m, answers(m, "Pemda", "Dinsos", ["P"], lambda item, product: None))


def test_na_needs_a_reason_and_an_item_that_allows_it() -> None:
    with pytest.raises(scoring.ScoringError, match="item p_biaya may not be answered N/A"):
        scoring.check_answer(M2022, scoring.Answer("I", "U", "P", "p_biaya", None, "gratis"))
    with pytest.raises(scoring.ScoringError, match="item p_informasi_elektronik answered N/A needs a reason"):
        scoring.check_answer(M2022, scoring.Answer("I", "U", "", "p_informasi_elektronik", None, " "))


def test_an_unanswered_item_is_named() -> None:
    given = [a for a in answers(M2022, "Pemda", "Dinsos", ["P"]) if a.item not in ("k_ombudsman", "p_waktu")]
    with pytest.raises(scoring.ScoringError, match=r"Pemda / Dinsos: no answer for item\(s\) k_ombudsman"):
        scoring.score_answers(M2022, given)


def test_the_breakdown_names_every_answer_weight_and_rounding() -> None:
    card = scoring.score_answers(M2022, answers(M2022, "Pemda", "Dinsos", ["P"]))
    text = "\n".join(card.institutions[0].step.lines())
    assert ("instansi Pemda = 100.00: rata-rata 1 nilai (100.00) = 100.00 → 100.00 (dibulatkan half-up, "
            "2 desimal)") in text
    assert "dimensi proses = 32.37: 32.37 × Σ bobot×capaian / Σ bobot = 32.37 × 11 / 11 (11 item berlaku)" in text
    assert "item o_imbalan = 1: (100 − 0) / (100 − 0)" in text
    assert sum(1 for line in text.splitlines() if line.strip().startswith("item ")) == 37


def test_the_2024_national_categories_give_the_published_zones() -> None:
    """§5.1, 2024: A 337 + B 157 = 494 green, C 70 yellow, D 14 + E 9 = 23 red, 587 entities."""
    by_code = {b.code: b for b in M2022.categories}
    bands = [by_code["A"]] * 337 + [by_code["B"]] * 157 + [by_code["C"]] * 70 + [by_code["D"]] * 14 + [by_code["E"]] * 9
    shares = scoring.distribution(M2022, bands)
    assert shares.total == 587 == 25 + 14 + 34 + 98 + 416
    assert [(z.code, z.count) for z in shares.zones] == [("green", 494), ("yellow", 70), ("red", 23)]


def test_the_2019_regency_shares_of_section_5_to_the_cent() -> None:
    """§5.1, 2019 regencies: 71 green (33.02 %), 87 yellow (40.47 %), 57 red (26.51 %) of 215."""
    by_code = {b.code: b for b in M2016.categories}
    bands = [by_code["tinggi"]] * 71 + [by_code["sedang"]] * 87 + [by_code["rendah"]] * 57
    shares = scoring.distribution(M2016, bands)
    assert [(z.code, z.count, z.percent) for z in shares.zones] == [
        ("green", 71, D("33.02")), ("yellow", 87, D("40.47")), ("red", 57, D("26.51"))]


@pytest.mark.parametrize(("year", "green", "yellow", "red", "total"), [
    (2021, 179, 316, 92, 587), (2022, 272, 250, 64, 586), (2023, 414, 133, 39, 586), (2024, 494, 70, 23, 587)])
def test_the_national_zone_counts_of_section_5_add_up(year: int, green: int, yellow: int, red: int, total: int) -> None:
    m = M2016 if year == 2021 else M2022
    zone_band = {b.zone.code: b for b in reversed(m.categories)}
    shares = scoring.distribution(m, [zone_band["green"]] * green + [zone_band["yellow"]] * yellow
                                  + [zone_band["red"]] * red)
    assert shares.total == total
    assert sum(z.percent for z in shares.zones) in (D("99.99"), D("100.00"), D("100.01"))
