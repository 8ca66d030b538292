"""Rankings per kind, nationally and within a province: competition ranks on the published score,
movement only within one methodology era, and the distribution per zone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.assessments import ranking
from pantau.assessments.ranking import Entry

D = Decimal
ERA2 = "2022-2024"
ERA1 = "2016-2021"


def entry(id_: int, score: str, *, name: str | None = None, kind: str = "pemkab", province: str = "63",
          zone: str = "green", era: str = ERA2) -> Entry:
    return Entry(id_, name or f"Kabupaten {id_:03d}", kind, province, D(score), "B", zone, era)


def national(entries: list[Entry], kind: str = "pemkab", previous: list[Entry] | None = None) -> ranking.Ranking:
    return ranking.rank(entries, previous).national[kind]


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    rows = national([entry(1, "90.00"), entry(2, "85.50"), entry(3, "85.50"), entry(4, "70.00")]).rows
    assert [(r.entry.institution, r.rank, r.tied) for r in rows] == [
        (1, 1, False), (2, 2, True), (3, 2, True), (4, 4, False)]


def test_a_tie_is_on_the_published_rounded_score_and_shown_by_name() -> None:
    rows = national([entry(1, "85.504", name="Tabalong"), entry(2, "85.495", name="Balangan")]).rows
    assert [(r.entry.name, r.rank, str(r.score)) for r in rows] == [("Balangan", 1, "85.50"), ("Tabalong", 1, "85.50")]


def test_each_kind_is_ranked_apart_nationally_and_within_its_province() -> None:
    entries = [entry(1, "80", province="63"), entry(2, "90", province="16"), entry(3, "70", kind="pemkot"),
               entry(4, "95", kind="kementerian", province="")]
    result = ranking.rank(entries)
    assert set(result.national) == {"pemkab", "pemkot", "kementerian"}
    assert [r.entry.institution for r in result.national["pemkab"].rows] == [2, 1]
    assert set(result.provincial) == {("63", "pemkab"), ("16", "pemkab"), ("63", "pemkot")}
    assert result.provincial[("63", "pemkab")].rows[0].rank == 1  # first in its province, second nationally


def test_movement_counts_places_within_one_era() -> None:
    before = [entry(1, "90"), entry(2, "80"), entry(3, "70")]
    now = [entry(1, "70"), entry(2, "80"), entry(3, "90"), entry(4, "85")]
    moves = {r.entry.institution: r.movement for r in national(now, previous=before).rows}
    assert moves[3] == ranking.Movement("up", 2, 3, D("70.00"))
    assert moves[1] == ranking.Movement("down", -3, 1, D("90.00"))
    assert moves[2] is not None and moves[2].kind == "down" and moves[2].places == -1
    assert moves[4] == ranking.Movement("new")


def test_movement_across_eras_is_not_comparable_and_carries_no_number() -> None:
    before = [entry(1, "90", era=ERA1), entry(2, "80", era=ERA1)]
    now = [entry(1, "70"), entry(2, "80"), entry(3, "75")]
    for row in national(now, previous=before).rows:
        assert row.movement == ranking.Movement("not-comparable")
        assert row.movement.places is None and row.movement.previous_rank is None and not row.movement.comparable


def test_no_previous_period_means_no_movement() -> None:
    assert all(r.movement is None for r in national([entry(1, "90"), entry(2, "80")]).rows)


def test_same_rank_is_same() -> None:
    move = national([entry(1, "91")], previous=[entry(1, "60")]).rows[0].movement
    assert move == ranking.Movement("same", 0, 1, D("60.00"))


def test_an_institution_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        ranking.rank([entry(1, "90"), entry(1, "80")])


def test_distribution_counts_and_shares_per_zone() -> None:
    shares = ranking.distribution([entry(1, "90"), entry(2, "60", zone="yellow"), entry(3, "59", zone="yellow")])
    assert [(s.code, s.count, str(s.percent)) for s in shares] == [
        ("green", 1, "33.33"), ("yellow", 2, "66.67"), ("red", 0, "0.00")]
    assert ranking.distribution([]) == tuple(ranking.Share(z, z, 0, D("0.00")) for z in ranking.ZONES)
    labelled = ranking.distribution([entry(1, "90"), entry(2, "10", zone="purple")], labels={"green": "Hijau"})
    assert [(s.code, s.label, s.count) for s in labelled] == [
        ("green", "Hijau", 1), ("yellow", "yellow", 0), ("red", "red", 0), ("purple", "purple", 1)]


def test_the_pure_modules_import_no_django() -> None:
    import ast
    from pathlib import Path

    for name in ("ranking", "trend", "scoring", "methodology"):
        tree = ast.parse((Path(ranking.__file__).parent / f"{name}.py").read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.split(".")[0] == "django" for m in imported), name


# --- properties ----------------------------------------------------------------------------------

scores = st.decimals(0, 100, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def periods(draw: st.DrawFn) -> list[Entry]:
    n = draw(st.integers(0, 25))
    values = draw(st.lists(st.sampled_from([D("50"), D("81"), D("81.004")]) | scores, min_size=n, max_size=n))
    return [Entry(i, draw(st.sampled_from(["Kab A", "Kab B", "Kota C", f"X{i}"])),
                  draw(st.sampled_from(["pemkab", "pemkot"])), draw(st.sampled_from(["", "63", "16"])),
                  v, "C", draw(st.sampled_from(ranking.ZONES)), ERA2) for i, v in enumerate(values)]


def _all(result: ranking.Rankings) -> list[ranking.Ranking]:
    return [*result.national.values(), *result.provincial.values()]


@settings(max_examples=80, deadline=None)
@given(periods(), st.randoms(use_true_random=False))
def test_rank_does_not_depend_on_input_order(entries: list[Entry], rnd: object) -> None:
    shuffled = list(entries)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert ranking.rank(entries) == ranking.rank(shuffled)


@settings(max_examples=80, deadline=None)
@given(periods())
def test_a_higher_score_never_gets_a_worse_rank_and_ties_share_one(entries: list[Entry]) -> None:
    for scope in _all(ranking.rank(entries)):
        for a in scope.rows:
            for b in scope.rows:
                if a.score > b.score:
                    assert a.rank < b.rank
                if a.score == b.score and a is not b:
                    assert a.rank == b.rank and a.tied and b.tied
        for index, row in enumerate(scope.rows):  # competition ranking: rank = 1 + number strictly better
            assert row.rank == 1 + sum(1 for other in scope.rows if other.score > row.score)
            assert row.tied == (sum(1 for other in scope.rows if other.score == row.score) > 1)
            assert index == 0 or scope.rows[index - 1].score >= row.score


@settings(max_examples=80, deadline=None)
@given(periods())
def test_counts_per_zone_sum_to_the_total(entries: list[Entry]) -> None:
    for scope in _all(ranking.rank(entries)):
        assert sum(s.count for s in scope.zones) == scope.total
    assert sum(s.count for s in ranking.distribution(entries)) == len(entries)


@settings(max_examples=60, deadline=None)
@given(periods(), periods())
def test_movement_is_a_number_only_within_one_era(before: list[Entry], now: list[Entry]) -> None:
    old = [Entry(e.institution, e.name, e.kind, e.province, e.score, e.category, e.zone, ERA1) for e in before]
    for previous, comparable in ((before, True), (old, False)):
        for scope in _all(ranking.rank(now, previous)):
            for row in scope.rows:
                assert row.movement is not None
                if not comparable:
                    assert row.movement.kind == "not-comparable" and row.movement.places is None
                elif row.movement.places is not None:
                    assert row.movement.previous_rank is not None
                    assert row.movement.places == row.movement.previous_rank - row.rank
