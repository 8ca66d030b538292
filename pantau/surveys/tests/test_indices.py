"""The survey formulas against the worked examples of shared/docs/surveys.md §1.8 and the
Krejcie & Morgan table, with hypothesis properties."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.surveys import indices
from pantau.surveys.indices import PROFILES, SKM_2017, Element, SurveyError, ikm, sample_size

CODES = [e.code for e in SKM_2017]


def answers_from_totals(totals: list[int], n: int) -> list[dict[str, int]]:
    """n questionnaires whose element sums are ``totals`` (each answer 1–4)."""
    rows: list[dict[str, int]] = [{} for _ in range(n)]
    for code, total in zip(CODES, totals, strict=True):
        base, extra = divmod(total, n)
        for i in range(n):
            rows[i][code] = base + (1 if i < extra else 0)
    return rows


V2 = answers_from_totals([105, 101, 100, 116, 102, 105, 106, 105, 115], 29)


def test_v2_the_published_worked_example_under_each_profile() -> None:
    exact = ikm(V2, SKM_2017)
    assert [r.nrr.quantize(D("0.0001")) for r in exact.elements] == [
        D("3.6207"), D("3.4828"), D("3.4483"), D("4.0000"), D("3.5172"), D("3.6207"), D("3.6552"), D("3.6207"),
        D("3.9655")]
    assert exact.ikm_exact.quantize(D("0.0001")) == D("91.4751") and exact.ikm == D("91.48")
    assert (exact.mutu, exact.label, exact.profile) == ("A", "Sangat Baik", "permenpanrb-14-2017")
    literal = ikm(V2, SKM_2017, PROFILES["permenpanrb-14-2017-w0111"])
    assert literal.ikm_exact.quantize(D("0.0001")) == D("91.3836") and literal.ikm == D("91.38")
    assert ikm(V2, SKM_2017, PROFILES["permenpanrb-14-2017-nrr-2dp"]).ikm == D("91.50")
    assert exact.respondents == 29 and exact.weakest[0] == "waktu"


def test_v3_an_all_four_survey_is_100_by_default_and_99_90_with_the_literal_weight() -> None:
    one = [dict.fromkeys(CODES, 4)]
    assert ikm(one, SKM_2017).ikm == D("100.00")
    assert ikm(one, SKM_2017, PROFILES["permenpanrb-14-2017-w0111"]).ikm == D("99.90")


@pytest.mark.parametrize("mean, exact_ikm, exact_class, literal_ikm, literal_class", [
    ("3.5324", "88.31", "A", "88.22", "B"),
    ("3.0644", "76.61", "B", "76.53", "C"),
    ("2.6", "65.00", "C", "64.94", "D"),
    ("1", "25.00", "D", "24.98", "D"),
    ("4", "100.00", "A", "99.90", "A"),
])
def test_v5_the_class_boundaries(mean: str, exact_ikm: str, exact_class: str, literal_ikm: str,
                                 literal_class: str) -> None:
    n, value = 10_000, D(mean)  # every element's NRR is ``mean``: n answers, some one point higher
    low = int(value)
    higher = int((value - low) * n)
    rows = [dict.fromkeys(CODES, low + 1 if i < higher else low) for i in range(n)]
    exact = ikm(rows, SKM_2017)
    literal = ikm(rows, SKM_2017, PROFILES["permenpanrb-14-2017-w0111"])
    assert (exact.ikm, exact.mutu) == (D(exact_ikm), exact_class)
    assert (literal.ikm, literal.mutu) == (D(literal_ikm), literal_class)


def test_the_table_gaps_fall_to_the_lower_class() -> None:
    assert indices.classify(D("88.30")).mutu == "B" and indices.classify(D("88.31")).mutu == "A"
    assert indices.classify(D("76.60")).mutu == "C" and indices.classify(D("64.99")).mutu == "D"


def test_v6_the_2004_index_as_published_and_exactly() -> None:
    values = ["3.06", "2.98", "3.06", "2.90", "3.06", "3.14", "3.04", "3.06", "3.18", "3.08", "3.20", "3.18",
              "3.10", "3.04"]
    elements = [Element(f"u{i}") for i in range(1, 15)]
    rows: list[dict[str, int]] = [{} for _ in range(50)]  # 50 questionnaires whose averages are those values
    for i, v in enumerate(values, start=1):
        total = int(D(v) * 50)
        base, extra = divmod(total, 50)
        for k in range(50):
            rows[k][f"u{i}"] = base + (1 if k < extra else 0)
    literal = ikm(rows, elements, PROFILES["kepmenpan-25-2004-w0071"])
    assert literal.ni == D("3.059") and literal.ikm == D("76.475") and literal.mutu == "B"
    exact = ikm(rows, elements, PROFILES["kepmenpan-25-2004"])
    assert exact.ikm == D("76.93") and exact.mutu == "B"


@pytest.mark.parametrize("population, minimum", [
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44), (55, 48), (60, 52),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169),
    (320, 175), (340, 181), (1200, 291), (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313),
    (1800, 317), (1900, 320), (2000, 322), (2200, 327), (100, 80), (200, 132), (500, 217), (1000, 278),
    (5000, 357), (10000, 370), (1_000_000, 384), (1, 1),
])
def test_krejcie_morgan_reproduces_the_published_table(population: int, minimum: int) -> None:
    assert sample_size(population).minimum == minimum


@pytest.mark.parametrize("bad", [0, -5, True, 10**13])
def test_a_bad_population_is_refused(bad: Any) -> None:
    with pytest.raises(SurveyError):
        sample_size(bad)


@pytest.mark.parametrize("elements, message", [
    ([Element("a", D("0.5")), Element("b", D("0.4"))], "Jumlah bobot unsur harus 1"),
    ([Element("a", D("0.5")), Element("b")], "semua unsur atau tidak sama sekali"),
    ([Element("a", D("1.5")), Element("b", D("-0.5"))], "lebih dari 0"),
    ([Element("a"), Element("a")], "Kode unsur ganda: a"),
    ([], "tanpa unsur"),
])
def test_bad_weights_are_refused_with_the_reason(elements: list[Element], message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        ikm([{"a": 4}], elements)


def test_thirds_written_with_three_decimals_are_accepted_and_used_as_written() -> None:
    elements = [Element("a", D("0.333")), Element("b", D("0.333")), Element("c", D("0.334"))]
    assert ikm([{"a": 4, "b": 4, "c": 4}], elements).ikm == D("100.00")


@pytest.mark.parametrize("answer, message", [
    ({"persyaratan": 5}, "di luar skala"), ({"persyaratan": 0}, "di luar skala"),
    ({"persyaratan": "4"}, "di luar skala"), ({"persyaratan": True}, "di luar skala"),
    ({"planet": 4}, "unsur tidak dikenal: planet"),
])
def test_bad_answers_are_refused_with_the_questionnaire_and_element(answer: dict[str, Any], message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        ikm([dict.fromkeys(CODES, 4), answer], SKM_2017)


def test_an_element_nobody_answered_is_named() -> None:
    rows = [{c: 4 for c in CODES if c != "pengaduan"}]
    with pytest.raises(SurveyError, match="Belum ada jawaban untuk unsur: pengaduan"):
        ikm(rows, SKM_2017)


def test_an_unanswered_element_is_left_out_of_its_own_average_only() -> None:
    rows = [dict.fromkeys(CODES, 4), {**dict.fromkeys(CODES, 2), "biaya": None}]
    result = ikm(rows, SKM_2017)
    by_code = {r.code: r for r in result.elements}
    assert by_code["biaya"].nrr == 4 and by_code["biaya"].answered == 1 and by_code["waktu"].nrr == 3


def test_the_perception_score_is_the_share_of_answers_without_maladministration() -> None:
    assert indices.perception_score([True, True, False, None]) == D("66.67")
    with pytest.raises(SurveyError):
        indices.perception_score([None, None])


questionnaire = st.fixed_dictionaries({c: st.integers(1, 4) for c in CODES})


PROFILES_2017 = ["permenpanrb-14-2017", "permenpanrb-14-2017-w0111", "permenpanrb-14-2017-nrr-2dp"]


@given(st.lists(questionnaire, min_size=1, max_size=30), st.sampled_from(PROFILES_2017))
def test_the_index_stays_in_range_and_does_not_depend_on_order(rows: list[dict[str, int]], name: str) -> None:
    profile = PROFILES[name]
    result = ikm(rows, SKM_2017, profile)
    floor = D("24.97") if profile.weight is not None else D(25)
    assert floor <= result.ikm <= 100
    assert ikm(list(reversed(rows)), SKM_2017, profile) == result


@given(st.lists(questionnaire, min_size=1, max_size=20), st.data())
def test_a_better_answer_never_lowers_the_index(rows: list[dict[str, int]], data: Any) -> None:
    before = ikm(rows, SKM_2017)
    i = data.draw(st.integers(0, len(rows) - 1))
    code = data.draw(st.sampled_from(CODES))
    if rows[i][code] == 4:
        return
    better = [dict(r) for r in rows]
    better[i][code] += 1
    assert ikm(better, SKM_2017).ikm_exact > before.ikm_exact


def test_the_formulas_import_no_django() -> None:
    import subprocess
    import sys

    code = ("import sys; import pantau.surveys.indices, pantau.surveys.questionnaires; "
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "False"


def test_totals_path_equals_answers_path_and_interval_narrows_with_n() -> None:
    from pantau.surveys.indices import Moments, ikm_from_totals, interval, perception_from_totals, post_stratified

    rows = [{e.code: (i + j) % 4 + 1 for j, e in enumerate(SKM_2017)} for i in range(40)]
    by_answers = ikm(rows, SKM_2017)
    totals = {e.code: sum(r[e.code] for r in rows) for e in SKM_2017}
    counts = {e.code: len(rows) for e in SKM_2017}
    by_totals = ikm_from_totals(totals, counts, len(rows), SKM_2017)
    assert by_totals.ikm == by_answers.ikm and by_totals.elements == by_answers.elements
    assert by_answers.ci is not None and by_answers.ci[0] < by_answers.ikm < by_answers.ci[1]
    # The finite-population correction narrows it; a census (n = N) has no sampling error.
    narrower = ikm(rows, SKM_2017, population=50).ci
    assert narrower is not None and narrower[1] - narrower[0] < by_answers.ci[1] - by_answers.ci[0]
    assert ikm(rows, SKM_2017, population=40).ci == (by_answers.ikm, by_answers.ikm)
    assert interval(Moments(1, 3.0, 9.0), D("75")) is None
    with pytest.raises(SurveyError):
        ikm_from_totals({**totals, "persyaratan": 5}, counts, len(rows), SKM_2017)  # not 1–4 answers
    assert perception_from_totals(7, 8) == D("87.50")
    assert post_stratified([(100, D("80")), (300, D("90")), (0, D("10"))]) == D("87.50")
    assert post_stratified([]) is None
