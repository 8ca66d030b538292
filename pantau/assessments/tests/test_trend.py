"""Trend lines per institution: split into labelled segments per methodology era, never mixed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.assessments import trend
from pantau.assessments.trend import Point

D = Decimal
OLD, NEW = "2016-2021", "2022-2024"


def p(year: int, score: str, era: str, zone: str = "green", category: str = "", label: str = "") -> Point:
    return Point(year, D(score), category or zone, zone, era, label)


def test_a_crossing_2021_to_2022_gives_two_labelled_segments_side_by_side() -> None:
    line = trend.trend([
        p(2022, "79.10", NEW, "green", "B", "ombudsman-2022"), p(2019, "70.00", OLD, "yellow", label="ombudsman-2016"),
        p(2021, "82.50", OLD, "green", label="ombudsman-2016"), p(2023, "88.40", NEW, "green", "A", "ombudsman-2022"),
    ])
    assert [(s.era, s.label, s.first_year, s.last_year) for s in line.segments] == [
        (OLD, "ombudsman-2016", 2019, 2021), (NEW, "ombudsman-2022", 2022, 2023)]
    assert line.segments[0].gaps == (2020,)  # no survey in 2020: a gap inside the era, not a new segment
    assert [(q.year, q.score, q.category, q.zone) for q in line.segments[1].points] == [
        (2022, D("79.10"), "B", "green"), (2023, D("88.40"), "A", "green")]
    assert line.crosses_eras and line.latest is not None and line.latest.year == 2023
    assert line.comparable_change() == D("9.30")


def test_the_change_is_never_taken_across_eras() -> None:
    line = trend.trend([p(2021, "90", OLD), p(2022, "60", NEW)])
    assert line.comparable_change() is None


def test_the_label_defaults_to_the_era() -> None:
    assert [s.label for s in trend.trend([p(2022, "80", NEW)]).segments] == [NEW]


def test_an_era_that_returns_starts_a_new_segment() -> None:
    line = trend.trend([p(2022, "80", NEW), p(2023, "81", "self-assessment"), p(2024, "82", NEW)])
    assert [s.era for s in line.segments] == [NEW, "self-assessment", NEW]


def test_two_results_for_one_year_are_refused() -> None:
    with pytest.raises(ValueError, match="two results for 2022"):
        trend.trend([p(2022, "80", NEW), p(2022, "81", NEW)])


def test_an_empty_trend_has_no_segments() -> None:
    line = trend.trend([])
    assert line.segments == () and line.latest is None and line.comparable_change() is None


def test_trend_lines_group_by_institution() -> None:
    lines = trend.trend_lines([Point(2022, D(80), "B", "green", NEW, institution=1),
                               Point(2021, D(70), "", "yellow", OLD, institution=1),
                               Point(2022, D(50), "D", "red", NEW, institution=2)])
    assert [len(lines[1].segments), len(lines[2].segments)] == [2, 1]


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.integers(2015, 2030), st.sampled_from([OLD, NEW, "self-assessment"]), max_size=16),
       st.randoms(use_true_random=False))
def test_no_segment_mixes_eras_and_every_point_appears_once_in_year_order(eras: dict[int, str], rnd: object) -> None:
    points = [p(year, "50", era) for year, era in eras.items()]
    rnd.shuffle(points)  # type: ignore[attr-defined]
    line = trend.trend(points)
    flat = [q for s in line.segments for q in s.points]
    assert [q.year for q in flat] == sorted(eras)
    for segment in line.segments:
        assert {q.era for q in segment.points} == {segment.era}
    for a, b in zip(line.segments, line.segments[1:], strict=False):
        assert a.era != b.era
