"""Properties of the scoring engine over generated answers: range, monotonicity, order, determinism."""

from __future__ import annotations

import decimal
import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.assessments import methodology, scoring
from pantau.assessments.tests.helpers import M2016, M2022

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def answer_sets(draw: st.DrawFn, m: methodology.Methodology) -> list[scoring.Answer]:
    """1–2 institutions × 1–3 units × 1–2 products, every item answered (N/A where allowed)."""
    out = []
    for inst in range(draw(st.integers(1, 2))):
        for unit in range(draw(st.integers(1, 3))):
            products = [f"P{n}" for n in range(draw(st.integers(1, 2)))]
            for item in m.items.values():
                for product in (products if item.level == "product" else [""]):
                    out.append(scoring.Answer(f"I{inst}", f"U{unit}", product, item.code, draw(_value(item)), "alasan"))
    return out


def _value(item: methodology.Item) -> st.SearchStrategy[Decimal | None]:
    if item.points:
        values: st.SearchStrategy[Decimal | None] = st.sampled_from(item.points)
    else:
        values = st.decimals(item.minimum, item.maximum, places=2, allow_nan=False, allow_infinity=False)
    return st.one_of(st.none(), values) if item.na_allowed else values


def _every_result(card: scoring.Scorecard) -> list[scoring.Result]:
    out = []
    stack = list(card.institutions)
    while stack:
        result = stack.pop()
        out.append(result)
        stack.extend(result.children)
    return out


def _check_ranges_and_bands(m: methodology.Methodology, card: scoring.Scorecard) -> None:
    for result in _every_result(card):
        assert Decimal(0) <= result.score <= Decimal(100)
        published = result.score.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
        assert result.band.minimum <= published <= result.band.maximum
        assert result.zone == result.band.zone
        if result.level in m.aggregation.round_at:
            assert result.score == published and result.score.as_tuple().exponent == -2
    for record in card.records():
        assert record["zone"] in ("green", "yellow", "red")
        assert record["score"].count(".") == 1 and len(record["score"].split(".")[1]) == 2


@SETTINGS
@given(st.data())
def test_scores_stay_in_0_100_with_the_band_of_their_published_value(data: st.DataObject) -> None:
    for m in (M2016, M2022):
        _check_ranges_and_bands(m, scoring.score_answers(m, data.draw(answer_sets(m))))


@SETTINGS
@given(st.data(), st.randoms(use_true_random=False))
def test_a_better_answer_never_lowers_any_score(data: st.DataObject, rnd: random.Random) -> None:
    for m in (M2016, M2022):
        given_answers = data.draw(answer_sets(m))
        improvable = [n for n, a in enumerate(given_answers)
                      if a.value is not None and a.value < m.items[a.item].maximum]
        if not improvable:
            continue
        n = rnd.choice(improvable)
        old = given_answers[n]
        item = m.items[old.item]
        better = (next(p for p in item.points if p > old.value) if item.points  # type: ignore[operator]
                  else min(item.maximum, old.value + Decimal(rnd.choice(["0.01", "1", "37.5"]))))  # type: ignore[operator]
        improved = [*given_answers[:n], scoring.Answer(old.institution, old.unit, old.product, old.item, better),
                    *given_answers[n + 1:]]
        before = {(r.level, r.institution, r.unit, r.product): r.score
                  for r in _every_result(scoring.score_answers(m, given_answers))}
        after = {(r.level, r.institution, r.unit, r.product): r.score
                 for r in _every_result(scoring.score_answers(m, improved))}
        assert before.keys() == after.keys()
        assert all(after[k] >= before[k] for k in before)
        assert after[("institution", old.institution, "", "")] >= before[("institution", old.institution, "", "")]


@SETTINGS
@given(st.data(), st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_the_order_of_the_rows(data: st.DataObject, rnd: random.Random) -> None:
    for m in (M2016, M2022):
        given_answers = data.draw(answer_sets(m))
        shuffled = list(given_answers)
        rnd.shuffle(shuffled)
        assert scoring.score_answers(m, shuffled) == scoring.score_answers(m, given_answers)


@SETTINGS
@given(st.data())
def test_a_score_recomputes_to_the_same_decimal_whatever_the_callers_decimal_context(data: st.DataObject) -> None:
    for m in (M2016, M2022):
        given_answers = data.draw(answer_sets(m))
        first = scoring.score_answers(m, given_answers)
        with decimal.localcontext(decimal.Context(prec=6, rounding=decimal.ROUND_DOWN)):
            again = scoring.score_answers(m, given_answers)
        assert again == first
        assert [r.score.as_tuple() for r in _every_result(again)] == [r.score.as_tuple() for r in _every_result(first)]


_points = st.fixed_dictionaries({
    d.code: st.decimals(0, d.points, places=2, allow_nan=False, allow_infinity=False) for d in M2022.dimensions})


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["Pemkab A", "Pemkab B"]), st.text("abcdef", min_size=1, max_size=4),
                          _points), min_size=1, max_size=12, unique_by=lambda r: (r[0], r[1])),
       st.randoms(use_true_random=False))
def test_published_points_give_a_unit_equal_to_their_rounded_sum_in_any_order(rows, rnd: random.Random) -> None:
    point_rows = [scoring.PointsRow(i, u, p) for i, u, p in rows]
    card = scoring.score_points(M2022, point_rows)
    _check_ranges_and_bands(M2022, card)
    units = {(r.institution, r.unit): r.score for inst in card.institutions for r in inst.children}
    for row in point_rows:
        assert units[(row.institution, row.unit)] == sum(row.points.values()).quantize(Decimal("0.01"))
    rnd.shuffle(point_rows)
    assert scoring.score_points(M2022, point_rows) == card
