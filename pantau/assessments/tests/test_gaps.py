"""What a self-assessment still lacks: the projection (unanswered = not met), the points each
item costs, and their order (``gaps.py``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given

from pantau.assessments import gaps, methodology, scoring
from pantau.assessments.tests.helpers import M2016, M2022, answers
from pantau.assessments.tests.test_scoring_properties import SETTINGS, answer_sets

SELF = methodology.load_shipped("self-assessment")
D = Decimal


def _unit_scores(m: methodology.Methodology, given_answers: list[scoring.Answer]) -> dict[str, scoring.Result]:
    card = scoring.score_answers(m, given_answers)
    return {u.unit: u for inst in card.institutions for u in inst.children}


def _check_sum(m: methodology.Methodology, given_answers: list[scoring.Answer]) -> None:
    found = gaps.lacking(m, given_answers)
    card = scoring.score_answers(m, given_answers)
    for result in (u for inst in card.institutions for u in inst.children):
        lost = gaps.total_lost(found, result.unit, result.institution)
        assert scoring.publish(m, "unit", D(100) - lost) == result.score
        assert all(g.lost > 0 for g in found)


def test_a_unit_with_every_item_met_lacks_nothing_and_projects_100_in_the_top_band() -> None:
    full = answers(SELF, "I", "U", ["P1", "P2"])
    assert gaps.lacking(SELF, full) == []
    unit = _unit_scores(SELF, full)["U"]
    assert unit.score == D("100.00") and unit.band.code == "A" and unit.zone.code == "green"


def test_an_unanswered_item_counts_as_not_met() -> None:
    slots = [gaps.UnitSlots("I", "U", ("P1",))]
    full = answers(SELF, "I", "U", ["P1"])
    first = next(iter(SELF.items.values()))
    partial = [a for a in full if a.item != first.code]
    projected, filled = gaps.projected_answers(SELF, slots, partial)
    assert len(projected) == len(full)
    key = ("U", "P1" if first.level == "product" else "", first.code)
    assert filled == {key}
    found = gaps.lacking(SELF, projected, filled)
    assert [(g.item, g.answered, g.share) for g in found] == [(first.code, False, D(0))]
    assert _unit_scores(SELF, projected)["U"].score < D(100)


def test_nothing_answered_projects_zero_and_every_item_is_lacking() -> None:
    projected, filled = gaps.projected_answers(SELF, [gaps.UnitSlots("I", "U", ("P1",))], [])
    assert _unit_scores(SELF, projected)["U"].score == D("0.00")
    found = gaps.lacking(SELF, projected, filled)
    assert len(found) == len(projected) and not any(g.answered for g in found)
    assert gaps.total_lost(found, "U") == D(100)


def test_answers_of_units_or_products_no_longer_sampled_are_dropped() -> None:
    extra = answers(SELF, "I", "OLD", ["P9"]) + answers(SELF, "I", "U", ["P1", "P2"])
    projected, filled = gaps.projected_answers(SELF, [gaps.UnitSlots("I", "U", ("P1",))], extra)
    assert {a.unit for a in projected} == {"U"} and {a.product for a in projected} <= {"", "P1"}
    assert filled == frozenset()


def test_the_points_lost_of_one_item_follow_its_dimension_and_weight() -> None:
    item = next(i for i in SELF.items.values() if i.level == "unit")
    dim = next(d for d in SELF.dimensions if d.code == item.dimension)
    live = [i for i in dim.items]
    given_answers = answers(SELF, "I", "U", ["P1"], lambda i, p: i.minimum if i.code == item.code else i.maximum)
    (gap,) = gaps.lacking(SELF, given_answers)
    assert gap.lost == dim.points * item.weight / sum((i.weight for i in live), D(0))


def test_a_product_item_costs_its_share_split_over_the_products() -> None:
    item = next(i for i in SELF.items.values() if i.level == "product")
    given_answers = answers(SELF, "I", "U", ["P1", "P2"],
                            lambda i, p: i.minimum if (i.code == item.code and p == "P1") else i.maximum)
    (gap,) = gaps.lacking(SELF, given_answers)
    assert gap.product == "P1"
    both = answers(SELF, "I", "U", ["P1", "P2"], lambda i, p: i.minimum if i.code == item.code else i.maximum)
    assert sorted(g.product for g in gaps.lacking(SELF, both)) == ["P1", "P2"]
    assert sum(g.lost for g in gaps.lacking(SELF, both)) == 2 * gap.lost


@pytest.mark.parametrize("m", [SELF, M2022, M2016], ids=lambda m: m.id)
def test_points_lost_sum_to_100_minus_the_score_of_a_half_met_unit(m: methodology.Methodology) -> None:
    _check_sum(m, answers(m, "I", "U", ["P1", "P2"], lambda i, p: i.points[len(i.points) // 2] if i.points
                          else (i.minimum + i.maximum) / 2))


@SETTINGS
@given(answer_sets(M2022))
def test_points_lost_sum_to_100_minus_the_projected_score_era_2(given_answers: list[scoring.Answer]) -> None:
    try:
        scoring.score_answers(M2022, given_answers)
    except scoring.ScoringError:
        assume(False)
    _check_sum(M2022, given_answers)


@SETTINGS
@given(answer_sets(M2016))
def test_points_lost_sum_to_100_minus_the_projected_score_era_1(given_answers: list[scoring.Answer]) -> None:
    try:
        scoring.score_answers(M2016, given_answers)
    except scoring.ScoringError:
        assume(False)
    _check_sum(M2016, given_answers)


def _gap(unit: str, item: str, lost: str, product: str = "") -> gaps.Gap:
    return gaps.Gap("I", unit, product, item, "input", D(0), True, D(lost))


def test_the_list_puts_the_most_points_lost_first_and_breaks_ties_by_unit_name_then_item_order() -> None:
    codes = list(SELF.items)
    found = [_gap("2", codes[0], "1.5"), _gap("1", codes[3], "2"), _gap("1", codes[1], "1.5"),
             _gap("2", codes[1], "1.5"), _gap("1", codes[2], "0.25", product="9"), _gap("1", codes[2], "0.25",
                                                                                      product="8")]
    names = {"1": "Dinas Sosial", "2": "Disdukcapil"}
    ordered = gaps.prioritise(SELF, found, names, {"8": "Akta", "9": "KTP"})
    assert [(g.unit, g.item, g.product) for g in ordered] == [
        ("1", codes[3], ""),  # 2 points
        ("1", codes[1], ""), ("2", codes[0], ""), ("2", codes[1], ""),  # 1.5: Dinas Sosial, then Disdukcapil
        ("1", codes[2], "8"), ("1", codes[2], "9"),  # 0.25: Akta, then KTP
    ]
    assert ordered[0].lost == D(2)
    tied = [g for g in ordered if g.lost == D("1.5")]
    assert [(names[g.unit], codes.index(g.item)) for g in tied] == [("Dinas Sosial", 1), ("Disdukcapil", 0),
                                                                    ("Disdukcapil", 1)]
    assert [g.product for g in ordered if g.lost == D("0.25")] == ["8", "9"]  # Akta before KTP


def test_the_order_is_the_same_whatever_order_the_gaps_come_in() -> None:
    codes = list(SELF.items)
    found = [_gap(str(n % 3), codes[n % 5], str(n % 4 + 1)) for n in range(12)]
    assert gaps.prioritise(SELF, found) == gaps.prioritise(SELF, list(reversed(found)))
