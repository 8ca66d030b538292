"""An institution's scores over the periods, as a trend that never mixes methodology eras: pure.

Results of different eras are never joined in one line (issue 8, "Methodologies as data";
``shared/docs/methodology.md`` §0): a 2021 score on the 2016–2021 checklist and a 2022 score on the
four dimensions do not measure the same thing, and their zones are cut differently. A trend is
therefore a sequence of *segments*, one per run of consecutive periods of the same era, each with
its label (e.g. "ombudsman-2016" zones beside "ombudsman-2022"); a crossing 2021→2022 gives two
segments side by side. A gap inside an era (no survey in 2020) stays inside its segment, marked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Point:
    year: int
    score: Decimal
    category: str
    zone: str  # green, yellow, red
    era: str  # the methodology's era, e.g. "2016-2021"
    label: str = ""  # how the era is named on a chart (e.g. "ombudsman-2016"); the era when empty
    institution: int | str = ""  # only for ``trend_lines``


@dataclass(frozen=True)
class Segment:
    era: str
    label: str
    points: tuple[Point, ...]  # by year
    gaps: tuple[int, ...]  # years inside the segment without a result (e.g. 2020)

    @property
    def first_year(self) -> int:
        return self.points[0].year

    @property
    def last_year(self) -> int:
        return self.points[-1].year


@dataclass(frozen=True)
class Trend:
    segments: tuple[Segment, ...]  # oldest first; consecutive segments are of different eras

    @property
    def crosses_eras(self) -> bool:
        return len({s.era for s in self.segments}) > 1

    @property
    def latest(self) -> Point | None:
        return self.segments[-1].points[-1] if self.segments else None

    def comparable_change(self) -> Decimal | None:
        """The latest score minus the one before it, only when both are of the same era."""
        if not self.segments or len(self.segments[-1].points) < 2:
            return None
        last, before = self.segments[-1].points[-1], self.segments[-1].points[-2]
        return last.score - before.score


def _label(points: list[Point]) -> str:
    labels: list[str] = []
    for p in points:
        name = p.label or p.era
        if name not in labels:
            labels.append(name)
    return " / ".join(labels)


def trend(points: Iterable[Point]) -> Trend:
    """One institution's points (any order) as era segments. Two results for one year are refused."""
    by_year: dict[int, Point] = {}
    for point in points:
        if point.year in by_year:
            raise ValueError(f"two results for {point.year}: a trend holds one (the current) result per year")
        if not point.era:
            raise ValueError(f"the result of {point.year} names no methodology era")
        by_year[point.year] = point
    runs: list[list[Point]] = []
    for year in sorted(by_year):
        point = by_year[year]
        if runs and runs[-1][-1].era == point.era:
            runs[-1].append(point)
        else:
            runs.append([point])
    segments = []
    for run in runs:
        years = {p.year for p in run}
        gaps = tuple(y for y in range(run[0].year + 1, run[-1].year) if y not in years)
        segments.append(Segment(run[0].era, _label(run), tuple(run), gaps))
    return Trend(tuple(segments))


def trend_lines(points: Iterable[Point]) -> Mapping[int | str, Trend]:
    """Many institutions' points (``Point.institution``) → each institution's trend."""
    grouped: dict[int | str, list[Point]] = defaultdict(list)
    for point in points:
        grouped[point.institution].append(point)
    return {inst: trend(pts) for inst, pts in grouped.items()}
